package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
)

func recK(n uint64) string           { return "audit/rec/" + Num(n) }
func colK(n uint64, s string) string { return "audit/ix/c/" + Num(n) + "\x00" + s }

// appendTrail writes records 1…n as the audit trail does, each followed by
// its column entry, batch records to a transaction.
func appendTrail(tb testing.TB, s *Store, n, batch uint64, value func(uint64) []byte) {
	tb.Helper()
	for i := uint64(1); i <= n; i += batch {
		err := s.Update(func(tx *Txn) error {
			for j := i; j < i+batch && j <= n; j++ {
				if err := tx.PutRaw(recK(j), value(j)); err != nil {
					return err
				}
				if err := tx.PutKey(colK(j, "x")); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
}

// keysOf lists the keys of a forward (start "") or reverse scan.
func keysOf(t *testing.T, s *Store, prefix, start string) []string {
	t.Helper()
	var ks []string
	err := s.View(func(tx *Txn) error {
		if start != "" {
			return tx.EachKeyReverse(prefix, start, func(k string) (bool, error) { ks = append(ks, k); return true, nil })
		}
		ks = txKeys(t, tx, prefix)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ks
}

func ledgerFiles(t *testing.T, dir string) []string {
	t.Helper()
	fs, err := filepath.Glob(filepath.Join(dir, ledgerPrefix+"*"))
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

func TestAppendOnlyKeysSurviveLosingTheLedgersUnsyncedTail(t *testing.T) {
	t.Parallel()
	dir, key := t.TempDir(), newKey(t)
	s, _ := openWithoutCheckpoints(t, dir, key)
	defer s.Close()
	// One writer numbers the keys, as the audit trail does; 32 goroutines
	// queue their writes at once so that batches hold several.
	var mu sync.Mutex
	next := uint64(0)
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				err := s.Update(func(tx *Txn) error {
					mu.Lock()
					defer mu.Unlock()
					var n record
					if err := tx.Get("audit/head", &n); err != nil && err != ErrNotFound {
						return err
					}
					n.Count++
					if err := tx.Put(recK(uint64(n.Count)), record{"record", n.Count}); err != nil {
						return err
					}
					if err := tx.PutKey(colK(uint64(n.Count), "target")); err != nil {
						return err
					}
					next = uint64(n.Count)
					return tx.Put("audit/head", n)
				})
				if err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if next != 320 {
		t.Fatalf("head at %d, want 320", next)
	}
	img := crashImage(t, dir, true)
	segs := ledgerFiles(t, img)
	if len(segs) != 1 {
		t.Fatalf("ledger segments %v", segs)
	}
	// The page cache kept only part of the ledger, ending inside a record.
	fi, _ := os.Stat(segs[0])
	if err := os.Truncate(segs[0], fi.Size()/3+7); err != nil {
		t.Fatal(err)
	}
	for range 2 { // after the replay, and again after a clean close
		r, err := Open(img, key, quietLog())
		if err != nil {
			t.Fatal(err)
		}
		ks := keysOf(t, r, "audit/rec/", "")
		if len(ks) != 320 || ks[0] != recK(1) || ks[319] != recK(320) || !slices.IsSorted(ks) {
			t.Fatalf("%d records after the crash, want 320 in order", len(ks))
		}
		if n := len(keysOf(t, r, "audit/ix/c/", "")); n != 320 {
			t.Fatalf("%d column entries after the crash, want 320", n)
		}
		var got record
		if err := r.View(func(tx *Txn) error { return tx.Get(recK(200), &got) }); err != nil || got.Count != 200 {
			t.Fatalf("record 200: %+v, %v", got, err)
		}
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestScansMergeTheLedgerWithKeysWrittenBeforeIt(t *testing.T) {
	t.Parallel()
	dir, key := t.TempDir(), newKey(t)
	s, err := Open(dir, key, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	// Records 1–5 as a store without the ledger wrote them: in Badger.
	e := s.eng.(*badgerEngine)
	bt := e.db.NewTransactionAt(e.vers.last, true)
	for i := uint64(1); i <= 5; i++ {
		if err := bt.Set([]byte(recK(i)), fmt.Appendf(nil, `{"Name":"old","Count":%d}`, i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := bt.CommitAt(e.vers.reserve(), nil); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = Open(dir, key, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(func(tx *Txn) error {
		for i := uint64(6); i <= 10; i++ {
			if err := tx.Put(recK(i), record{"new", int(i)}); err != nil {
				return err
			}
		}
		if err := tx.Put("audit/head", record{"head", 10}); err != nil {
			return err
		}
		// A legacy key is rewritten where it is.
		return tx.Put(recK(3), record{"old, rewritten", 3})
	})
	if err != nil {
		t.Fatal(err)
	}
	check := func(s *Store) {
		t.Helper()
		var want []string
		for i := uint64(1); i <= 10; i++ {
			want = append(want, recK(i))
		}
		if got := keysOf(t, s, "audit/rec/", ""); !slices.Equal(got, want) {
			t.Fatalf("forward scan: %q", got)
		}
		if got := keysOf(t, s, "audit/rec/", recK(7)); !slices.Equal(got, []string{recK(7), recK(6), recK(5), recK(4), recK(3), recK(2), recK(1)}) {
			t.Fatalf("reverse scan from 7: %q", got)
		}
		all := append([]string{"audit/head"}, want...)
		sort.Strings(all)
		if got := keysOf(t, s, "audit/", ""); !slices.Equal(got, all) {
			t.Fatalf("scan of audit/: %q", got)
		}
		if got := keysOf(t, s, "audit/", "audit/rec/"+Num(8)+"x"); len(got) != 9 || got[0] != recK(8) || got[8] != "audit/head" {
			t.Fatalf("reverse scan of audit/ from 8: %q", got)
		}
		if got := keysOf(t, s, "audit/rec/0000000000000000000", ""); len(got) != 9 {
			t.Fatalf("scan of a narrower prefix: %q", got)
		}
		var raw []string
		if err := s.View(func(tx *Txn) error {
			return tx.EachRaw("", func(k string, v []byte) error { raw = append(raw, k+"="+string(v)); return nil })
		}); err != nil {
			t.Fatal(err)
		}
		if len(raw) != 11 || !strings.Contains(raw[3], "old, rewritten") || !strings.Contains(raw[8], `"new"`) {
			t.Fatalf("EachRaw: %q", raw)
		}
		var r record
		for _, i := range []uint64{2, 9} {
			if err := s.View(func(tx *Txn) error { return tx.Get(recK(i), &r) }); err != nil || r.Count != int(i) {
				t.Fatalf("record %d: %+v, %v", i, r, err)
			}
		}
	}
	check(s)
	if e := s.eng.(*badgerEngine); !e.led.lists[1].hasLegacy || e.led.lists[1].legacyMax != 5 {
		t.Fatalf("legacy records up to %d (%v), want 5", e.led.lists[1].legacyMax, e.led.lists[1].hasLegacy)
	}
	s = reopen(t, s, dir, key)
	defer s.Close()
	check(s)
}

func TestRewritesDeletesAndGapsUnderAnAppendOnlyPrefix(t *testing.T) {
	t.Parallel()
	dir, key := t.TempDir(), newKey(t)
	s, err := Open(dir, key, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	put := func(tx *Txn, i uint64, name string) error { return tx.Put(recK(i), record{name, int(i)}) }
	err = s.Update(func(tx *Txn) error {
		for i := uint64(1); i <= 5; i++ {
			if err := put(tx, i, "first"); err != nil {
				return err
			}
		}
		// The transaction sees its own writes.
		if got := len(txKeys(t, tx, "audit/rec/")); got != 5 {
			return fmt.Errorf("own writes: %d keys", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(func(tx *Txn) error {
		if err := put(tx, 3, "rewritten"); err != nil {
			return err
		}
		if err := tx.Delete(recK(2)); err != nil {
			return err
		}
		if err := put(tx, 9, "after a gap"); err != nil {
			return err
		}
		return put(tx, 0, "before the first")
	})
	if err != nil {
		t.Fatal(err)
	}
	// Another key with a number already taken is refused, and its
	// transaction writes nothing.
	err = s.Update(func(tx *Txn) error {
		if err := put(tx, 10, "lost"); err != nil {
			return err
		}
		if err := tx.PutKey(colK(4, "a")); err != nil {
			return err
		}
		return tx.PutKey(colK(4, "b"))
	})
	if !errors.Is(err, errSameNumber) {
		t.Fatalf("a second key numbered 4: %v", err)
	}
	check := func(s *Store) {
		t.Helper()
		want := []string{recK(0), recK(1), recK(3), recK(4), recK(5), recK(9)}
		if got := keysOf(t, s, "audit/rec/", ""); !slices.Equal(got, want) {
			t.Fatalf("keys: %q", got)
		}
		if got := keysOf(t, s, "audit/rec/", recK(8)); !slices.Equal(got, []string{recK(5), recK(4), recK(3), recK(1), recK(0)}) {
			t.Fatalf("reverse from a missing number: %q", got)
		}
		var r record
		if err := s.View(func(tx *Txn) error { return tx.Get(recK(3), &r) }); err != nil || r.Name != "rewritten" {
			t.Fatalf("rewritten record: %+v, %v", r, err)
		}
		for _, i := range []uint64{2, 7, 10} {
			if err := s.View(func(tx *Txn) error { return tx.Get(recK(i), &r) }); err != ErrNotFound {
				t.Fatalf("record %d: %v, want not found", i, err)
			}
		}
		if got := keysOf(t, s, "audit/ix/c/", ""); len(got) != 0 {
			t.Fatalf("column entries of a failed transaction: %q", got)
		}
	}
	check(s)
	s = reopen(t, s, dir, key)
	defer s.Close()
	check(s)

	// Nothing of a key or value reaches the ledger's files in plaintext.
	const planted = "planted-9f2c-secret"
	if err := s.Update(func(tx *Txn) error {
		if err := tx.Put(recK(10), record{planted, 10}); err != nil {
			return err
		}
		return tx.PutKey(colK(10, planted))
	}); err != nil {
		t.Fatal(err)
	}
	for _, f := range ledgerFiles(t, dir) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(planted)) || bytes.Contains(b, []byte("audit/")) {
			t.Fatalf("%s holds plaintext", f)
		}
	}
}

// reopen closes s and opens its directory again.
func reopen(t *testing.T, s *Store, dir string, key []byte) *Store {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(dir, key, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func txKeys(t *testing.T, tx *Txn, prefix string) []string {
	var ks []string
	if err := tx.EachKey(prefix, func(k string) error { ks = append(ks, k); return nil }); err != nil {
		t.Fatal(err)
	}
	return ks
}

func TestLedgerKeysAreNumberedKeysOfTheAppendOnlyPrefixes(t *testing.T) {
	for key, want := range map[string]bool{
		recK(7):                          true,
		colK(7, "x"):                     true,
		"audit/rec/123":                  false,
		"audit/rec/" + Num(7)[:19] + "x": false,
		"audit/ix/target/" + Num(7):      false,
		"audit/head":                     false,
	} {
		if _, _, ok := ledgerKey(key); ok != want {
			t.Errorf("ledgerKey(%q) = %v, want %v", key, ok, want)
		}
	}
}
