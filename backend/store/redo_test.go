package store

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// openWithoutCheckpoints opens a store whose redo log is never checkpointed,
// so that everything since the open is only in the log and in Badger's
// unsynced memtable log.
func openWithoutCheckpoints(t *testing.T, dir string, key []byte) (*Store, *badgerEngine) {
	t.Helper()
	s, err := Open(dir, key, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	e := s.eng.(*badgerEngine)
	e.stopCheckpoints()
	return s, e
}

// crashImage copies the open store's directory as a power loss could leave
// it: the files as written, but (loseMemtables) without Badger's memtable
// logs, which Badger never synced.
func crashImage(t *testing.T, dir string, loseMemtables bool) string {
	t.Helper()
	img := t.TempDir()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, ent := range ents {
		if ent.IsDir() || (loseMemtables && strings.HasSuffix(ent.Name(), ".mem")) {
			continue
		}
		src, err := os.Open(filepath.Join(dir, ent.Name()))
		if err != nil {
			t.Fatal(err)
		}
		dst, err := os.Create(filepath.Join(img, ent.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(dst, src); err != nil {
			t.Fatal(err)
		}
		src.Close()
		dst.Close()
	}
	return img
}

func segments(t *testing.T, dir string) []string {
	t.Helper()
	segs, err := redoSegments(dir)
	if err != nil {
		t.Fatal(err)
	}
	return segs
}

func TestAcknowledgedCommitsSurviveLosingBadgersUnsyncedLogs(t *testing.T) {
	t.Parallel()
	dir, key := t.TempDir(), newKey(t)
	s, _ := openWithoutCheckpoints(t, dir, key)
	defer s.Close()
	if err := s.Update(func(tx *Txn) error { return tx.Put("gone", record{"deleted later", 0}) }); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.Update(func(tx *Txn) error {
				var c record
				if err := tx.Get("counter", &c); err != nil && err != ErrNotFound {
					return err
				}
				c.Count++
				if err := tx.Put("counter", c); err != nil {
					return err
				}
				return tx.Put(fmt.Sprintf("rec/%03d", i), record{"r", i})
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if err := s.Update(func(tx *Txn) error { return tx.Delete("gone") }); err != nil {
		t.Fatal(err)
	}

	img := crashImage(t, dir, true)
	r, err := Open(img, key, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	check := func(r *Store) {
		t.Helper()
		var c record
		if err := r.View(func(tx *Txn) error { return tx.Get("counter", &c) }); err != nil || c.Count != 200 {
			t.Fatalf("counter after the crash: %+v, %v; want 200", c, err)
		}
		n := 0
		if err := r.View(func(tx *Txn) (err error) { n, err = tx.Count("rec/"); return err }); err != nil || n != 200 {
			t.Fatalf("%d records after the crash, want 200 (%v)", n, err)
		}
		if err := r.View(func(tx *Txn) error { return tx.Get("gone", &c) }); err != ErrNotFound {
			t.Fatalf("a deleted key came back: %v", err)
		}
	}
	check(r)
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if segs := segments(t, img); len(segs) != 0 {
		t.Fatalf("Close left redo segments %v", segs)
	}
	r, err = Open(img, key, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	check(r)
}

func TestACutRecordEndsItsSegmentOnlyAndLaterSegmentsReplay(t *testing.T) {
	t.Parallel()
	dir, key := t.TempDir(), newKey(t)
	s, e := openWithoutCheckpoints(t, dir, key)
	defer s.Close()
	put := func(k string) {
		if err := s.Update(func(tx *Txn) error { return tx.Put(k, record{k, 1}) }); err != nil {
			t.Fatal(err)
		}
	}
	put("one")
	put("two")
	end := e.redo.off // the second record's end (the segment goes on in zeros)
	e.redo.rotate()
	put("three")

	img := crashImage(t, dir, true)
	segs := segments(t, img)
	if len(segs) != 2 {
		t.Fatalf("segments %v, want 2", segs)
	}
	// Cut the second record of the first segment short, as a write the
	// machine died in the middle of.
	if err := os.Truncate(segs[0], end-5); err != nil {
		t.Fatal(err)
	}
	r, err := Open(img, key, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for k, want := range map[string]error{"one": nil, "two": ErrNotFound, "three": nil} {
		var v record
		if err := r.View(func(tx *Txn) error { return tx.Get(k, &v) }); err != want {
			t.Errorf("%s: %v, want %v", k, err, want)
		}
	}
}

func TestACheckpointRemovesTheSegmentsBadgerHasMadeDurable(t *testing.T) {
	t.Parallel()
	dir, key := t.TempDir(), newKey(t)
	s, e := openWithoutCheckpoints(t, dir, key)
	for i := range 50 {
		if err := s.Update(func(tx *Txn) error { return tx.Put(fmt.Sprint("k/", i), record{"v", i}) }); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(segments(t, dir)); n != 1 {
		t.Fatalf("%d segments before a checkpoint, want 1", n)
	}
	// A memtable waiting for its flush defers the removal; one is rare
	// here (50 small writes), so a few tries suffice.
	for try := 0; len(segments(t, dir)) > 0 && try < 50; try++ {
		if err := e.checkpoint(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if segs := segments(t, dir); len(segs) != 0 {
		t.Fatalf("segments after checkpoints: %v", segs)
	}
	if err := s.Update(func(tx *Txn) error { return tx.Put("after", record{"a", 1}) }); err != nil {
		t.Fatal(err)
	}
	if n := len(segments(t, dir)); n != 1 {
		t.Fatalf("%d segments after a new commit, want 1", n)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(dir, key, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n := 0
	if err := s.View(func(tx *Txn) (err error) { n, err = tx.Count("k/"); return err }); err != nil || n != 50 {
		t.Fatalf("%d keys after reopening, want 50 (%v)", n, err)
	}
}

func TestRedoRecordsRoundTrip(t *testing.T) {
	t.Parallel()
	ops := []redoOp{{key: "a/1", value: []byte(`{"x":1}`)}, {key: "ix/key-only", value: nil}, {key: "gone", delete: true}, {key: "", value: []byte{0, 1, 2}}}
	got, err := decodeOps(encodeOps(nil, ops))
	if err != nil || len(got) != len(ops) {
		t.Fatalf("%v %v", got, err)
	}
	for i := range ops {
		if got[i].key != ops[i].key || string(got[i].value) != string(ops[i].value) || got[i].delete != ops[i].delete {
			t.Errorf("op %d: %+v, want %+v", i, got[i], ops[i])
		}
	}
	for _, bad := range [][]byte{{3, 1, 'a'}, {1, 5, 'a'}, {1, 1, 'a'}, {2}} {
		if _, err := decodeOps(bad); err == nil {
			t.Errorf("%v decoded", bad)
		}
	}
}

// A recycled segment still holds its earlier records after the new ones:
// sealed for another segment number, they end the replay (the record
// after the new one lines up with an old one here, so it would be read).
func TestARecycledSegmentReplaysOnlyItsNewRecords(t *testing.T) {
	t.Parallel()
	dir, key := t.TempDir(), newKey(t)
	s, e := openWithoutCheckpoints(t, dir, key)
	defer s.Close()
	put := func(k string, v record) {
		t.Helper()
		if err := s.Update(func(tx *Txn) error { return tx.Put(k, v) }); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 10 {
		put(fmt.Sprintf("x%d", i), record{"old", i})
	}
	if err := e.checkpoint(); err != nil {
		t.Fatal(err)
	}
	if n := len(e.redo.free); n != 1 {
		t.Fatalf("%d recycled segments after the checkpoint, want 1", n)
	}
	put("x1", record{"new", 1}) // the size of the old first record
	if segs := segments(t, dir); len(segs) != 1 || len(e.redo.free) != 0 {
		t.Fatalf("segments %v, recycled %v: want the recycled one reused", segs, e.redo.free)
	}
	r, err := Open(crashImage(t, dir, false), key, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var v record
	if err := r.View(func(tx *Txn) error { return tx.Get("x1", &v) }); err != nil || v.Name != "new" {
		t.Fatalf("x1 after the replay: %+v, %v; want the new value", v, err)
	}
}
