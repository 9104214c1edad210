package store

import (
	"bytes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/sirupsen/logrus"
	logtest "github.com/sirupsen/logrus/hooks/test"
)

// oldRec is a record as the release before ledgerMagic wrote it.
type oldRec struct {
	key, value string
	del        bool
}

// writeOldSegment writes segment index of dir in the old format: no
// magic, and associated data the segment and offset only (a copy of the
// old append, not ledgerAD, so that a change there shows here).
func writeOldSegment(t *testing.T, dir string, aead cipher.AEAD, index int, recs ...oldRec) {
	t.Helper()
	var b []byte
	for _, r := range recs {
		var ad [16]byte
		binary.BigEndian.PutUint64(ad[:8], uint64(index))
		binary.BigEndian.PutUint64(ad[8:], uint64(len(b)))
		vlen := uint32(len(r.value))
		if r.del {
			vlen = tombstone
		}
		b = binary.BigEndian.AppendUint32(b, uint32(len(r.key)))
		b = binary.BigEndian.AppendUint32(b, vlen)
		nonce := make([]byte, 12)
		rand.Read(nonce)
		b = aead.Seal(append(b, nonce...), nonce, []byte(r.key+r.value), ad[:])
	}
	if err := os.WriteFile(segPath(dir, index), b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func segPath(dir string, index int) string {
	return filepath.Join(dir, ledgerPrefix+Num(uint64(index+1))+ledgerSuffix)
}

// ledgerAEAD is the cipher the ledger of a store with key uses.
func ledgerAEAD(t *testing.T, key []byte) cipher.AEAD {
	t.Helper()
	l, err := openLedger(t.TempDir(), key)
	if err != nil {
		t.Fatal(err)
	}
	return l.aead
}

// editFile applies edit to the bytes of path.
func editFile(t *testing.T, path string, edit func([]byte) []byte) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, edit(b), 0o600); err != nil {
		t.Fatal(err)
	}
}

// moveLengthByte makes the record starting b one byte longer in its key
// and one shorter in its value: the same bytes, split elsewhere.
func moveLengthByte(b []byte) {
	binary.BigEndian.PutUint32(b[0:], binary.BigEndian.Uint32(b[0:])+1)
	binary.BigEndian.PutUint32(b[4:], binary.BigEndian.Uint32(b[4:])-1)
}

// threeSegments writes, one segment each: column entries 1 and 2 (empty
// values) and record 1; the delete of entry 2; entry 3. It returns the
// positions of entry 1 and record 1.
func threeSegments(t *testing.T, dir string, key []byte) (col1, rec1 uint64) {
	t.Helper()
	s, e := openWithoutCheckpoints(t, dir, key)
	e.led.segSize = 1 // every append starts a segment
	for _, f := range []func(tx *Txn) error{
		func(tx *Txn) error {
			if err := tx.PutKey(colK(1, "a")); err != nil {
				return err
			}
			if err := tx.PutKey(colK(2, "b")); err != nil {
				return err
			}
			return tx.PutRaw(recK(1), []byte("value"))
		},
		func(tx *Txn) error { return tx.Delete(colK(2, "b")) },
		func(tx *Txn) error { return tx.PutKey(colK(3, "c")) },
	} {
		if err := s.Update(f); err != nil {
			t.Fatal(err)
		}
	}
	col1, rec1 = e.led.lists[0].state.Load().at(1), e.led.lists[1].state.Load().at(1)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if n := len(ledgerFiles(t, dir)); n != 3 {
		t.Fatalf("%d segments, want 3", n)
	}
	return col1, rec1
}

func TestAChangedRecordHeaderInANewSegmentIsDamageNotAnEdit(t *testing.T) {
	t.Parallel()
	del := uint64(len(ledgerMagic)) // the delete is alone in segment 2
	for _, c := range []struct {
		name string
		seg  int
		at   func(col1, rec1 uint64) uint64 // the record's offset
		edit func(rec []byte)
	}{
		{"a live empty-valued entry made a tombstone", 0, func(c, _ uint64) uint64 { return c }, func(b []byte) { b[4] ^= 0x80 }},
		{"a delete's tombstone cleared", 1, func(_, _ uint64) uint64 { return del }, func(b []byte) { b[4] ^= 0x80 }},
		{"a byte of the value moved to the key", 0, func(_, r uint64) uint64 { return r }, moveLengthByte},
		{"a value length byte changed", 0, func(c, _ uint64) uint64 { return c }, func(b []byte) { b[7] ^= 1 }},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir, key := t.TempDir(), newKey(t)
			col1, rec1 := threeSegments(t, dir, key)
			at := uint32(c.at(col1, rec1))
			editFile(t, segPath(dir, c.seg), func(b []byte) []byte { c.edit(b[at:]); return b })
			openDamaged(t, dir, key, c.seg)
		})
	}
	t.Run("in the last segment the record is cut off, and that is logged", func(t *testing.T) {
		t.Parallel()
		dir, key := t.TempDir(), newKey(t)
		threeSegments(t, dir, key)
		editFile(t, segPath(dir, 2), func(b []byte) []byte { b[del+4] ^= 0x80; return b })
		log, hook := logtest.NewNullLogger()
		s, err := Open(dir, key, log)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if got := keysOf(t, s, "audit/ix/c/", ""); !slices.Equal(got, []string{colK(1, "a")}) {
			t.Fatalf("entries %q", got)
		}
		cut := slices.IndexFunc(hook.AllEntries(), func(e *logrus.Entry) bool {
			return e.Level == logrus.WarnLevel && e.Data["segment"] == filepath.Base(segPath(dir, 2)) && e.Data["offset"] == int64(del)
		})
		if cut < 0 {
			t.Fatalf("no warning of the cut at %d of segment 3 in %d log entries", del, len(hook.AllEntries()))
		}
	})
}

func TestARecordHeaderChangedUnderAnOpenStoreIsAnErrorOnRead(t *testing.T) {
	t.Parallel()
	dir, key := t.TempDir(), newKey(t)
	s, e := openWithoutCheckpoints(t, dir, key)
	defer s.Close()
	if err := s.Update(func(tx *Txn) error { return tx.PutRaw(recK(1), []byte("value")) }); err != nil {
		t.Fatal(err)
	}
	p := e.led.lists[1].state.Load().at(1)
	editFile(t, segPath(dir, int(p>>32)), func(b []byte) []byte { moveLengthByte(b[uint32(p):]); return b })
	err := s.View(func(tx *Txn) error { return tx.t.get(recK(1), func([]byte) error { return nil }) })
	if !errors.Is(err, errLedgerRecord) {
		t.Fatalf("get: %v, want a damaged record (not a record of another key)", err)
	}
}

func TestSegmentsOfTheOldFormatStillOpenAndAppendsGoToTheNew(t *testing.T) {
	t.Parallel()
	dir, key := t.TempDir(), newKey(t)
	aead := ledgerAEAD(t, key)
	writeOldSegment(t, dir, aead, 0,
		oldRec{key: recK(1), value: "one"}, oldRec{key: colK(1, "a")},
		oldRec{key: recK(2), value: "two"}, oldRec{key: recK(2), del: true},
		oldRec{key: recK(3), value: "three"})
	old, err := os.ReadFile(segPath(dir, 0))
	if err != nil {
		t.Fatal(err)
	}
	values := map[string][]byte{recK(1): []byte("one"), recK(3): []byte("three"), recK(4): []byte("four")}
	check := func(s *Store, want ...string) {
		t.Helper()
		got, err := rawScan(s, "audit/rec/", "", func(k string) []byte { return values[k] })
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("records %q, %v; want %q", got, err, want)
		}
		if got := keysOf(t, s, "audit/ix/c/", ""); !slices.Equal(got, []string{colK(1, "a")}) {
			t.Fatalf("entries %q", got)
		}
	}
	s, err := Open(dir, key, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	check(s, recK(1), recK(3))
	if err := s.Update(func(tx *Txn) error { return tx.PutRaw(recK(4), values[recK(4)]) }); err != nil {
		t.Fatal(err)
	}
	check(s, recK(1), recK(3), recK(4))
	s = reopen(t, s, dir, key)
	check(s, recK(1), recK(3), recK(4))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(segPath(dir, 0)); !bytes.Equal(b, old) {
		t.Fatal("the old segment was written to")
	}
	if b, _ := os.ReadFile(segPath(dir, 1)); !bytes.HasPrefix(b, []byte(ledgerMagic)) {
		t.Fatal("the append after the old segment is not in a new one")
	}

	writeOldSegment(t, dir, aead, 2, oldRec{key: recK(5), value: "five"})
	if s, err := Open(dir, key, quietLog()); !errors.Is(err, errSegmentDamaged) {
		if err == nil {
			s.Close()
		}
		t.Fatalf("an old segment after a new one: %v, want damaged", err)
	}
}

func TestANewSegmentWithoutItsMagicDoesNotOpenAsTheOldFormat(t *testing.T) {
	t.Parallel()
	strip := func(b []byte) []byte { return b[len(ledgerMagic):] }
	for _, c := range []struct {
		name string
		seg  int
		edit func([]byte) []byte
	}{
		{"the first segment's magic removed", 0, strip},
		{"a later segment's magic removed", 1, strip},
		{"the first segment's magic zeroed", 0, func(b []byte) []byte { clear(b[:len(ledgerMagic)]); return b }},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir, key := t.TempDir(), newKey(t)
			threeSegments(t, dir, key)
			editFile(t, segPath(dir, c.seg), c.edit)
			openDamaged(t, dir, key, c.seg)
		})
	}
	t.Run("a new record does not open with the old associated data at its place", func(t *testing.T) {
		t.Parallel()
		dir, key := t.TempDir(), newKey(t)
		_, rec1 := threeSegments(t, dir, key)
		b, err := os.ReadFile(segPath(dir, 0))
		if err != nil {
			t.Fatal(err)
		}
		rec, off := b[uint32(rec1):], int64(uint32(rec1))
		n := ledgerHeader + int(binary.BigEndian.Uint32(rec[0:])+binary.BigEndian.Uint32(rec[4:])) + 16
		aead := ledgerAEAD(t, key)
		var ad [ledgerADSize]byte
		open := func(v2 bool) error {
			_, err := aead.Open(nil, rec[8:ledgerHeader], rec[ledgerHeader:n], ledgerAD(&ad, v2, 0, off, rec))
			return err
		}
		if err := open(true); err != nil {
			t.Fatalf("as the new format: %v", err)
		}
		if open(false) == nil {
			t.Fatal("a new record opens as the old format")
		}
	})
}

func TestASegmentCutShortAsItWasCreatedIsRemoved(t *testing.T) {
	t.Parallel()
	for _, size := range []int64{0, 5} {
		dir, key := t.TempDir(), newKey(t)
		s, e := openWithoutCheckpoints(t, dir, key)
		e.led.segSize = 1
		for i := uint64(1); i <= 2; i++ {
			if err := s.Update(func(tx *Txn) error { return tx.PutRaw(recK(i), []byte("v")) }); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		// The process stopped as segment 2 was created: record 2 never was.
		if err := os.Truncate(segPath(dir, 1), size); err != nil {
			t.Fatal(err)
		}
		s, err := Open(dir, key, quietLog())
		if err != nil {
			t.Fatalf("cut to %d bytes: %v", size, err)
		}
		if n := len(ledgerFiles(t, dir)); n != 1 {
			t.Fatalf("cut to %d bytes: %d segments, want it removed", size, n)
		}
		if err := s.Update(func(tx *Txn) error { return tx.PutRaw(recK(3), []byte("v")) }); err != nil {
			t.Fatal(err)
		}
		s = reopen(t, s, dir, key)
		if got := keysOf(t, s, "audit/rec/", ""); !slices.Equal(got, []string{recK(1), recK(3)}) {
			t.Fatalf("cut to %d bytes: records %q", size, got)
		}
		s.Close()
	}
}

// openDamaged checks that the store in dir does not open, segment seg
// (from 0) named damaged.
func openDamaged(t *testing.T, dir string, key []byte, seg int) {
	t.Helper()
	s, err := Open(dir, key, quietLog())
	if err == nil {
		s.Close()
	}
	if !errors.Is(err, errSegmentDamaged) {
		t.Fatalf("open: %v, want segment %d damaged", err, seg+1)
	}
}
