package store

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/sirupsen/logrus"
)

func quietLog() logrus.FieldLogger {
	l := logrus.New()
	l.SetOutput(io.Discard)
	return l
}

func newKey(t *testing.T) []byte {
	t.Helper()
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		t.Fatal(err)
	}
	return k
}

type record struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

func TestValuesSurviveCloseAndReopen(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func() *Store) {
		s := open()
		if err := s.Update(func(tx *Txn) error { return tx.Put("rec/1", record{"one", 1}) }); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		s = open()
		var got record
		if err := s.View(func(tx *Txn) error { return tx.Get("rec/1", &got) }); err != nil || got != (record{"one", 1}) {
			t.Fatalf("got %+v, %v", got, err)
		}
		err := s.View(func(tx *Txn) error { return tx.Get("rec/2", &got) })
		if !errors.Is(err, ErrNotFound) {
			t.Fatalf("missing key: %v", err)
		}
	})
}

func TestAFailedUpdateWritesNothing(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func() *Store) {
		s := open()
		boom := errors.New("boom")
		err := s.Update(func(tx *Txn) error {
			if err := tx.Put("a", 1); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("got %v", err)
		}
		s.View(func(tx *Txn) error {
			if ok, _ := tx.Has("a"); ok {
				t.Fatal("a failed transaction left a value behind")
			}
			return nil
		})
	})
}

func TestNoPlaintextReachesTheDisk(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, err := Open(dir, newKey(t), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	marker := "MARKER-7c1e0f3b-plaintext-must-not-appear"
	big := bytes.Repeat([]byte(marker), 200) // large enough for the value log
	err = s.Update(func(tx *Txn) error {
		if err := tx.Put("small", marker); err != nil {
			return err
		}
		return tx.Put("big", string(big))
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	files := 0
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte("MARKER-7c1e0f3b")) {
			t.Errorf("%s holds the marker in plaintext", p)
		}
		return nil
	})
	if files == 0 {
		t.Fatal("no files were written")
	}
}

func TestAWrongKeyLocksAndChangesNoFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, err := Open(dir, newKey(t), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(func(tx *Txn) error { return tx.Put("k", "v") }); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	before := checksums(t, dir)
	if _, err := Open(dir, newKey(t), quietLog()); !errors.Is(err, ErrWrongKey) {
		t.Fatalf("wrong key: got %v, want ErrWrongKey", err)
	}
	after := checksums(t, dir)
	for name, sum := range before {
		if after[name] != sum {
			t.Errorf("%s changed", name)
		}
	}
	if len(after) != len(before) {
		t.Errorf("files before %d, after %d", len(before), len(after))
	}
}

func TestASecondOpenOfTheSameDirectoryIsRefused(t *testing.T) {
	t.Parallel()
	dir, key := t.TempDir(), newKey(t)
	s, err := Open(dir, key, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := Open(dir, key, quietLog()); !errors.Is(err, ErrAlreadyRunning) {
		t.Fatalf("got %v, want ErrAlreadyRunning", err)
	}
}

func TestTheDataDirectoryIsPrivate(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "db")
	s, err := Open(dir, newKey(t), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Fatalf("mode %v, want 0700", fi.Mode().Perm())
	}
}

func checksums(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[p] = sha256.Sum256(b)
		return nil
	})
	return out
}

func TestSizeCountsBlocksOnDisk(t *testing.T) {
	t.Parallel()
	s, err := Open(t.TempDir(), newKey(t), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Update(func(tx *Txn) error { return tx.Put("k", "v") }); err != nil {
		t.Fatal(err)
	}
	// The value log is preallocated as a 64 MiB sparse file: a fresh store
	// must not report it as used.
	if n := s.Size(); n <= 0 || n > 16<<20 {
		t.Fatalf("a fresh store reports %d bytes", n)
	}
}

func TestNumPadsTo20DigitsInNumericOrder(t *testing.T) {
	for _, n := range []uint64{0, 7, 1234567890, 1<<64 - 1} {
		if got, want := Num(n), fmt.Sprintf("%020d", n); got != want {
			t.Errorf("Num(%d) = %q, want %q", n, got, want)
		}
	}
}
