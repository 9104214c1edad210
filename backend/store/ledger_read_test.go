package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// ledgerValue is record n's value: its number, then filler of a length
// that varies (so that records end at every offset of a window), and for
// big one far longer than a scan's block.
func ledgerValue(n uint64, big bool) []byte {
	size := int(n*7919) % 5000
	if big {
		size = 3 * ledgerScanBlock
	}
	v := fmt.Appendf(nil, "%d:", n)
	for len(v) < size {
		v = append(v, byte('a'+(n+uint64(len(v)))%26))
	}
	return v
}

// rawScan walks prefix forward (start "") or in reverse from start,
// returning the keys and checking every value against want.
func rawScan(s *Store, prefix, start string, want func(key string) []byte) ([]string, error) {
	var ks []string
	check := func(k string, v []byte) error {
		ks = append(ks, k)
		if want != nil && !bytes.Equal(v, want(k)) {
			return fmt.Errorf("%s: value of %d bytes, want %d", k, len(v), len(want(k)))
		}
		return nil
	}
	err := s.View(func(tx *Txn) error {
		if start == "" {
			return tx.EachRaw(prefix, check)
		}
		return tx.t.scan(prefix, start, true, false, func(k string, value func(func([]byte) error) error) (bool, error) {
			return true, value(func(v []byte) error { return check(k, v) })
		})
	})
	return ks, err
}

// seqOf is the number in a ledger key.
func seqOf(t *testing.T, key string) uint64 {
	t.Helper()
	_, seq, ok := ledgerKey(key)
	if !ok {
		t.Fatalf("%q is not a ledger key", key)
	}
	return seq
}

func TestScansReadTheLedgerSequentiallyAcrossWindowsAndSegments(t *testing.T) {
	t.Parallel()
	dir, key := t.TempDir(), newKey(t)
	s, e := openWithoutCheckpoints(t, dir, key)
	defer func() { s.Close() }()
	// Segments of 1.5 scan blocks: windows end inside records, at segment
	// ends, and a record of three blocks fills a segment of its own.
	e.led.segSize = ledgerScanBlock * 3 / 2
	const n, bigAt = 3000, 1500
	deleted := func(i uint64) bool { return i%97 == 0 }
	// A column entry between records, as the audit trail writes.
	appendTrail(t, s, n, 100, func(j uint64) []byte { return ledgerValue(j, j == bigAt) })
	// Deletes leave their tombstones in the segments between live records.
	if err := s.Update(func(tx *Txn) error {
		for i := uint64(1); i <= n; i++ {
			if deleted(i) {
				if err := tx.Delete(recK(i)); err != nil {
					return err
				}
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var live []string
	for i := uint64(1); i <= n; i++ {
		if !deleted(i) {
			live = append(live, recK(i))
		}
	}
	want := func(k string) []byte { s := seqOf(t, k); return ledgerValue(s, s == bigAt) }
	check := func(s *Store) {
		t.Helper()
		if segs := ledgerFiles(t, dir); len(segs) < 5 {
			t.Fatalf("%d segments, want several", len(segs))
		}
		got, err := rawScan(s, "audit/rec/", "", want)
		if err != nil || !slices.Equal(got, live) {
			t.Fatalf("forward: %d keys, %v; want %d", len(got), err, len(live))
		}
		got, err = rawScan(s, "audit/rec/", recK(n+1), want)
		if err != nil || !slices.Equal(got, reversed(live)) {
			t.Fatalf("reverse: %d keys, %v; want %d", len(got), err, len(live))
		}
		// From the middle, down across the big record and segment starts.
		got, err = rawScan(s, "audit/rec/", recK(bigAt+3), want)
		if err != nil || !slices.Equal(got, reversed(live[:slices.Index(live, recK(bigAt+3))+1])) {
			t.Fatalf("reverse from the middle: %d keys, %v", len(got), err)
		}
		if c := keysOf(t, s, "audit/ix/c/", ""); len(c) != n {
			t.Fatalf("%d column entries, want %d", len(c), n)
		}
		var v []byte
		if err := s.View(func(tx *Txn) error {
			return tx.t.get(recK(bigAt), func(b []byte) error { v = slices.Clone(b); return nil })
		}); err != nil || !bytes.Equal(v, want(recK(bigAt))) {
			t.Fatalf("get of the big record: %d bytes, %v", len(v), err)
		}
	}
	check(s)
	// A transaction's scan merges its own writes (pending) with the
	// segments read in sequence.
	if err := s.Update(func(tx *Txn) error {
		if err := tx.Delete(recK(2)); err != nil {
			return err
		}
		if err := tx.PutRaw(recK(n+1), []byte("own")); err != nil {
			return err
		}
		var ks []string
		err := tx.EachRaw("audit/rec/", func(k string, v []byte) error {
			if k == recK(n+1) && string(v) != "own" {
				return fmt.Errorf("own write's value %q", v)
			}
			ks = append(ks, k)
			return nil
		})
		if err != nil {
			return err
		}
		if wantKs := append(slices.Delete(slices.Clone(live), 1, 2), recK(n+1)); !slices.Equal(ks, wantKs) {
			return fmt.Errorf("own writes: %d keys, want %d", len(ks), len(wantKs))
		}
		return errRollBack
	}); !errors.Is(err, errRollBack) {
		t.Fatal(err)
	}
	s = reopen(t, s, dir, key)
	check(s)
}

var errRollBack = errors.New("roll back")

func reversed(s []string) []string {
	r := slices.Clone(s)
	slices.Reverse(r)
	return r
}

func TestADamagedRecordInTheMiddleOfAScanIsAnError(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		at   int // byte of the record changed
	}{
		{"in its ciphertext", ledgerHeader + 3},
		{"in its nonce", 9},
		{"in its length", 5},
		{"made a tombstone", 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s, e := openWithoutCheckpoints(t, t.TempDir(), newKey(t))
			defer s.Close()
			err := s.Update(func(tx *Txn) error {
				for i := uint64(1); i <= 1000; i++ {
					if err := tx.PutRaw(recK(i), ledgerValue(i, false)); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			// Changed under the open store, after open checked every record.
			p := e.led.lists[1].state.Load().at(500)
			f, err := os.OpenFile(filepath.Join(e.led.dir, ledgerPrefix+Num(p>>32+1)+ledgerSuffix), os.O_RDWR, 0)
			if err != nil {
				t.Fatal(err)
			}
			b := []byte{0}
			off := int64(uint32(p)) + int64(c.at)
			if _, err := f.ReadAt(b, off); err != nil {
				t.Fatal(err)
			}
			b[0] ^= 0x80
			if _, err := f.WriteAt(b, off); err != nil {
				t.Fatal(err)
			}
			f.Close()
			for start, before := range map[string]int{"": 499, recK(1001): 500} {
				ks, err := rawScan(s, "audit/rec/", start, nil)
				if !errors.Is(err, errLedgerRecord) || len(ks) != before {
					t.Errorf("scan from %q: %v after %d keys, want a damaged record after %d", start, err, len(ks), before)
				}
			}
		})
	}
}
