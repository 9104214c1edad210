package store

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"hostbound/backend/keys"
)

// The redo log is what makes the embedded engine's commits durable. Each
// committed transaction is appended to it, encrypted, and synced with one
// fdatasync before Badger commits it; Badger itself writes without
// syncing. Syncing Badger's logs instead cost two msyncs of its mapped
// files per commit (~550 µs and most of a core's time at one client,
// measured), and Badger does not sync a memtable's log when it rotates it,
// so a commit acknowledged between a rotation and that memtable's flush
// could be lost on power loss.
//
// Because a transaction reaches Badger only after it is in the log,
// whatever Badger holds after a crash is either checkpointed (durable in
// Badger) or in the log: replaying the log in order on open gives back
// every acknowledged commit, in order. The log is rotated into segments;
// a segment is removed once Badger has made everything in it durable
// (checkpoint).
type redoLog struct {
	dir  string
	aead cipher.AEAD
	// mu is held from a record's append to Badger's commit of it, and by
	// rotate: a rotated segment holds only commits Badger has.
	mu  sync.Mutex
	f   *os.File
	seg uint64 // number of the segment being written
	off int64  // its length
	old []string
	// free are removed segments kept for reuse (recycled), under mu.
	free []string
	// room is the size of the segment being written (its zeros end there);
	// last is how much the one before it held.
	room, last int64
	buf        []byte
}

const (
	redoPrefix = "redo-"
	redoSuffix = ".log"
	// redoHeader: length of the sealed record (4 bytes) and its nonce.
	redoHeader = 4 + 12
	// maxRedoRecord bounds what replay allocates for one record: Badger's
	// own transaction limit is far below it.
	maxRedoRecord = 1 << 30
	// A segment is written over blocks it already has: filled with zeros
	// when created, or a removed segment renamed (recycled). An fdatasync
	// then writes only data, not the file's growth: 25 % less time and
	// CPU per sync on this disk (measured, 1.5 KB records).
	redoSegmentSize = 8 << 20
	// minRedoSegment is a new segment's size after a quiet one (twice what
	// the last held, between the two): a store that writes little does not
	// write megabytes of zeros.
	minRedoSegment = 256 << 10
	recyclePrefix  = "recycle-"
	recycleSuffix  = ".redo"
	maxRecycled    = 4
)

// redoOp is one write of a transaction: a set (value non-nil or empty
// key-only entry) or a delete.
type redoOp struct {
	key    string
	value  []byte
	delete bool
}

func openRedo(dir string, master []byte) (*redoLog, []string, error) {
	block, err := aes.NewCipher(keys.Derive(master, keys.StoreRedoLog))
	if err != nil {
		return nil, nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, nil, err
	}
	segs, err := redoSegments(dir)
	if err != nil {
		return nil, nil, err
	}
	r := &redoLog{dir: dir, aead: aead}
	if r.free, err = filepath.Glob(filepath.Join(dir, recyclePrefix+"*"+recycleSuffix)); err != nil {
		return nil, nil, err
	}
	if len(segs) > 0 {
		r.seg = segmentNumber(segs[len(segs)-1])
	}
	return r, segs, nil
}

// redoSegments lists the segments in dir, oldest first.
func redoSegments(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	var segs []string
	for _, e := range ents {
		if n := e.Name(); strings.HasPrefix(n, redoPrefix) && strings.HasSuffix(n, redoSuffix) {
			segs = append(segs, filepath.Join(dir, n))
		}
	}
	slices.Sort(segs) // zero-padded numbers
	return segs, nil
}

func segmentNumber(path string) uint64 {
	var n uint64
	fmt.Sscanf(strings.TrimSuffix(strings.TrimPrefix(filepath.Base(path), redoPrefix), redoSuffix), "%d", &n)
	return n
}

// startSegment opens the next segment for appending (at the first record
// after a rotation); the directory is synced so that the segment survives
// a crash.
func (r *redoLog) startSegment() error {
	r.seg++
	name := filepath.Join(r.dir, redoPrefix+Num(r.seg)+redoSuffix)
	var f *os.File
	if n := len(r.free); n > 0 {
		src := r.free[n-1]
		r.free = r.free[:n-1]
		if os.Rename(src, name) == nil {
			if g, err := os.OpenFile(name, os.O_WRONLY, 0o600); err == nil {
				if fi, err := g.Stat(); err == nil {
					f, r.room = g, fi.Size()
				} else {
					g.Close()
				}
			}
		}
	}
	if f == nil {
		r.room = min(max(2*r.last, minRedoSegment), redoSegmentSize)
		var err error
		if f, err = newZeroedSegment(name, r.room); err != nil {
			return fmt.Errorf("redo log: %w", err)
		}
	}
	if err := syncDir(r.dir); err != nil {
		f.Close()
		return err
	}
	r.f, r.off = f, 0
	return nil
}

// newZeroedSegment creates a segment of size zeros, synced.
func newZeroedSegment(name string, size int64) (*os.File, error) {
	f, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	zeros := make([]byte, min(size, 1<<20))
	for n := int64(0); n < size && err == nil; n += int64(len(zeros)) {
		_, err = f.Write(zeros)
	}
	if err == nil {
		err = fdatasync(f)
	}
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		os.Remove(name)
		return nil, err
	}
	return f, nil
}

// append writes one transaction's writes as a record and syncs it. On an
// error the segment is cut back to before the record, so that a later
// record never follows a broken one. The caller holds mu.
func (r *redoLog) append(ops []redoOp) error {
	if r.f != nil && r.off >= r.room {
		r.retire() // full: the next record starts another
	}
	if r.f == nil {
		if err := r.startSegment(); err != nil {
			return err
		}
	}
	// The record is sealed in place, in one buffer kept for the next:
	// header, then the ops (the tag's room reserved, so Seal stays in it).
	var head [redoHeader]byte
	b := encodeOps(append(r.buf[:0], head[:]...), ops)
	n := len(b) - redoHeader
	b = slices.Grow(b, r.aead.Overhead())
	binary.BigEndian.PutUint32(b, uint32(n+r.aead.Overhead()))
	if _, err := rand.Read(b[4:redoHeader]); err != nil {
		return err
	}
	var ad [16]byte
	r.aead.Seal(b[redoHeader:redoHeader], b[4:redoHeader], b[redoHeader:], r.position(&ad, r.seg, r.off))
	sealed := b[:redoHeader+n+r.aead.Overhead()]
	r.buf = sealed[:0]
	started := time.Now()
	if _, err := r.f.Write(sealed); err != nil {
		return r.undo(err)
	}
	commitTimes.add(phaseRedoWrite, started)
	started = time.Now()
	if err := fdatasync(r.f); err != nil {
		return r.undo(err)
	}
	commitTimes.add(phaseSync, started)
	r.off += int64(len(sealed))
	return nil
}

// undo cuts the segment back to its last whole record after a failed
// append or commit.
func (r *redoLog) undo(cause error) error {
	if err := r.f.Truncate(r.off); err != nil {
		// The segment may end in a broken record: start another one.
		r.retire()
	} else {
		_, _ = r.f.Seek(r.off, 0)
	}
	return fmt.Errorf("redo log: %w", cause)
}

// position is a record's associated data: a record cannot be moved to
// another place or segment.
func (r *redoLog) position(ad *[16]byte, seg uint64, off int64) []byte {
	binary.BigEndian.PutUint64(ad[:8], seg)
	binary.BigEndian.PutUint64(ad[8:], uint64(off))
	return ad[:]
}

// rotate makes the current segment old (if it has records), so that the
// next checkpoint can remove it.
func (r *redoLog) rotate() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.f != nil && r.off > 0 {
		r.retire()
	}
}

// retire closes the segment being written and makes it old; the next
// record starts another. The caller holds mu.
func (r *redoLog) retire() {
	r.last = r.off
	r.old = append(r.old, r.f.Name())
	r.f.Close()
	r.f = nil
}

// oldSegments returns the rotated segments.
func (r *redoLog) oldSegments() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.old)
}

// removeOld removes the rotated segments that Badger has made durable,
// keeping up to maxRecycled of them (renamed) for reuse.
func (r *redoLog) removeOld(segs []string) error {
	r.mu.Lock()
	room := maxRecycled - len(r.free)
	r.mu.Unlock()
	var kept []string
	for _, s := range segs {
		if room > 0 {
			to := filepath.Join(r.dir, recyclePrefix+strings.TrimSuffix(strings.TrimPrefix(filepath.Base(s), redoPrefix), redoSuffix)+recycleSuffix)
			if err := os.Rename(s, to); err == nil {
				kept = append(kept, to)
				room--
				continue
			}
		}
		if err := os.Remove(s); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("redo log: %w", err)
		}
	}
	// A removal must be durable before a later segment is removed: replaying
	// a resurrected old segment after newer checkpointed commits would undo them.
	if err := syncDir(r.dir); err != nil {
		return err
	}
	r.mu.Lock()
	r.old = slices.DeleteFunc(r.old, func(s string) bool { return slices.Contains(segs, s) })
	r.free = append(r.free, kept...)
	r.mu.Unlock()
	return nil
}

// close closes the segment being written (the records stay).
func (r *redoLog) close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.f != nil {
		r.retire()
	}
}

// readSegment calls fn with the writes of every whole record of a segment,
// in order. It stops at zeros (clean end) or at the first record that is
// cut short or does not authenticate (tail): the tail of a segment written
// when the process or the machine died, or what a recycled file held
// before (sealed for another segment number); nothing after it was
// acknowledged.
func (r *redoLog) readSegment(path string, fn func(ops []redoOp) error) (records int, tail bool, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, false, fmt.Errorf("redo log: %w", err)
	}
	seg := segmentNumber(path)
	var ad [16]byte
	for off := 0; off < len(data); {
		if len(data)-off < redoHeader {
			return records, true, nil
		}
		n := int(binary.BigEndian.Uint32(data[off:]))
		if n == 0 {
			return records, false, nil // the zeros of a new segment
		}
		end := off + redoHeader + n
		if n > maxRedoRecord || end > len(data) {
			return records, true, nil
		}
		plain, err := r.aead.Open(nil, data[off+4:off+redoHeader], data[off+redoHeader:end], r.position(&ad, seg, int64(off)))
		if err != nil {
			return records, true, nil
		}
		ops, err := decodeOps(plain)
		if err != nil {
			return records, false, fmt.Errorf("redo log %s: record at %d: %w", filepath.Base(path), off, err)
		}
		if err := fn(ops); err != nil {
			return records, false, err
		}
		records++
		off = end
	}
	return records, false, nil
}

// encodeOps appends the binary form of ops to b: per write a tag (1 set,
// 2 delete), the key and for a set the value, each length-prefixed.
func encodeOps(b []byte, ops []redoOp) []byte {
	for _, op := range ops {
		if op.delete {
			b = append(b, 2)
		} else {
			b = append(b, 1)
		}
		b = binary.AppendUvarint(b, uint64(len(op.key)))
		b = append(b, op.key...)
		if !op.delete {
			b = binary.AppendUvarint(b, uint64(len(op.value)))
			b = append(b, op.value...)
		}
	}
	return b
}

var errBadRecord = errors.New("malformed record")

func decodeOps(b []byte) ([]redoOp, error) {
	var ops []redoOp
	field := func() ([]byte, bool) {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			return nil, false
		}
		v := b[k : k+int(n)]
		b = b[k+int(n):]
		return v, true
	}
	for len(b) > 0 {
		tag := b[0]
		b = b[1:]
		key, ok := field()
		if !ok || (tag != 1 && tag != 2) {
			return nil, errBadRecord
		}
		op := redoOp{key: string(key), delete: tag == 2}
		if tag == 1 {
			if op.value, ok = field(); !ok {
				return nil, errBadRecord
			}
		}
		ops = append(ops, op)
	}
	return ops, nil
}

// syncDir makes the directory's entries (a created or removed segment)
// durable.
func syncDir(dir string) error {
	if !dirSyncable {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("redo log: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("redo log: sync %s: %w", dir, err)
	}
	return nil
}
