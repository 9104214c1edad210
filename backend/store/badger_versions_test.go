package store

import (
	"bytes"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// A store written before Badger ran managed (Badger numbered the commits)
// opens with its values, and what it writes next is newer than them.
func TestAStoreBadgerNumberedItselfKeepsItsValuesAndTheirOrder(t *testing.T) {
	t.Parallel()
	dir, key := t.TempDir(), newKey(t)
	s, err := Open(dir, key, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(func(tx *Txn) error { return tx.Put("rec/1", record{"first", 0}) }); err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := badger.Open(badger.DefaultOptions(dir).WithEncryptionKey(key).WithIndexCacheSize(1 << 20).WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		if err := db.Update(func(t *badger.Txn) error {
			return t.Set([]byte("rec/1"), fmt.Appendf(nil, `{"name":"old","count":%d}`, i))
		}); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	read := func(s *Store, want record) {
		t.Helper()
		var got record
		if err := s.View(func(tx *Txn) error { return tx.Get("rec/1", &got) }); err != nil || got != want {
			t.Fatalf("got %+v, %v; want %+v", got, err, want)
		}
	}
	s, err = Open(dir, key, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	read(s, record{"old", 5})
	if err := s.Update(func(tx *Txn) error { return tx.Put("rec/1", record{"new", 6}) }); err != nil {
		t.Fatal(err)
	}
	read(s, record{"new", 6})
	s.Close()
	s, err = Open(dir, key, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	read(s, record{"new", 6})
}

// Compactions drop the versions nobody reads (the audit head is rewritten
// every commit: kept, they would grow the store for ever), and keep the
// one a transaction still open reads.
func TestCompactionsDropOldVersionsButWhatAnOpenReadSees(t *testing.T) {
	t.Parallel()
	s, err := Open(t.TempDir(), newKey(t), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	e := s.eng.(*badgerEngine)
	put := func(k string, v any) {
		t.Helper()
		if err := s.Update(func(tx *Txn) error { return tx.Put(k, v) }); err != nil {
			t.Fatal(err)
		}
	}
	// compact rewrites Badger's memtables as tables (by filling them) and
	// compacts every table after allowDiscard.
	fill := bytes.Repeat([]byte("x"), 256<<10)
	compact := func(round int) {
		t.Helper()
		for i := range 96 { // 24 MiB: more than two memtables (8 MiB each), so Flatten has two levels to merge
			put(fmt.Sprintf("fill/%d/%d", round, i), fill)
		}
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			if logs, err := memtableLogs(e.dir); err == nil && len(logs) == 1 {
				break // the full memtable is a table now
			}
			if time.Now().After(deadline) {
				t.Fatal("Badger did not flush its memtable")
			}
		}
		e.allowDiscard()
		if err := e.db.Flatten(1); err != nil {
			t.Fatal(err)
		}
	}
	versions := func() (n int) {
		t.Helper()
		txn := e.db.NewTransactionAt(math.MaxUint64, false)
		defer txn.Discard()
		it := txn.NewIterator(badger.IteratorOptions{AllVersions: true, Prefix: []byte("rec/1")})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			if !it.Item().IsDeletedOrExpired() {
				n++
			}
		}
		return n
	}

	put("rec/1", record{"v", 1})
	err = s.View(func(tx *Txn) error {
		for i := 2; i <= 20; i++ {
			put("rec/1", record{"v", i})
		}
		compact(1)
		var got record
		if err := tx.Get("rec/1", &got); err != nil || got != (record{"v", 1}) {
			return fmt.Errorf("the open read sees %+v, %v; want v 1", got, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	compact(2)
	if n := versions(); n != 1 {
		t.Fatalf("%d versions of rec/1 after the read ended and a compaction; want 1", n)
	}
	var got record
	if err := s.View(func(tx *Txn) error { return tx.Get("rec/1", &got) }); err != nil || got != (record{"v", 20}) {
		t.Fatalf("got %+v, %v", got, err)
	}
}
