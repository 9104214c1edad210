package store

import (
	"bufio"
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
	"sync/atomic"

	"hostbound/backend/keys"
)

// The ledger keeps the embedded engine's append-only keys out of Badger's
// LSM tree. The audit trail's records and its column entries are written
// once, in sequence, and never changed: in Badger every one of them was
// rewritten by each compaction it went through, and the table builders'
// buffers held the heap near its limit under sustained load (measured at
// 64 clients: 8,000 → 2,700 req/s over five 10 s runs, 230 MB heap; with
// those keys out of the tree 8,400 → 11,400 req/s, 15–90 MB).
//
// A key under an append-only prefix that ends in a Num (prefix + 20 digits,
// optionally more) goes to the ledger; its number identifies it (another
// key with the same number is refused). Records are appended to segment
// files, encrypted (AES-GCM, with the header's lengths, the segment and
// the offset as associated data: ledgerAD), and found through an index in
// memory: one position per number, the key numbered n at index n - first.
// Appending the next number is the cheap case; a rewrite, a delete (a
// tombstone record) or a gap copies the index, as they only happen in
// tests and restores. Durability is the redo log's, as for Badger: a
// commit is in the redo log (synced) before it reaches the ledger, a
// checkpoint syncs the ledger before removing redo segments, and replay
// appends what the ledger lost (a torn tail is cut off on open).
//
// Keys of those prefixes written before the ledger existed stay in Badger
// (legacy, numbers up to legacyMax); scans merge both.
var appendOnly = [...]string{
	"audit/ix/c/", // the audit column's entries (backend/audit/columns.go)
	"audit/rec/",  // the audit records (backend/audit/audit.go)
}

// AppendOnly reports whether keys with prefix are kept in the ledger (a
// test in the packages that own them checks their prefixes).
func AppendOnly(prefix string) bool { return slices.Contains(appendOnly[:], prefix) }

// Segment formats. A segment of the current format starts with ledgerMagic,
// and its records' associated data covers their header's lengths, tombstone
// bit included (before, flipping that bit of an empty-valued record hid it,
// silently). Segments written before it (old) start with their first
// record, whose key length (30 bytes to maxLedgerKey, big-endian) begins
// with a zero byte where the magic does not; an empty one, or one cut
// inside its first header, is recognised all the same. Old segments are
// read, never written: the first append after opening a store whose last
// segment is old starts a new one (simpler than writing the old format
// until that segment fills, and no record of the old format is ever written
// again). Once a segment is new every later one must be: an old-format
// segment after a new one is damage, not a downgrade. Taking the magic off
// a new segment does not make it readable as old: its records move, and
// their associated data is 24 bytes where the old was 16 (GCM authenticates
// that length), whatever the offsets. Damage at the end of the last segment
// looks like a crash's torn tail: it is cut off there as before, and the
// engine logs the cut.
const (
	ledgerMagic = "hbledg\x00\x02"
	// ledgerADSize is the current format's associated data (ledgerAD).
	ledgerADSize = 8 + 8 + 8
)

const (
	ledgerPrefix = "ledger-"
	ledgerSuffix = ".seg"
	// ledgerHeader: key length, value length (4 bytes each), nonce.
	ledgerHeader = 4 + 4 + 12
	// ledgerSegmentSize is where a segment ends (the next record starts
	// another); positions keep 32 bits of offset.
	ledgerSegmentSize = 64 << 20
	// ledgerReadAhead is read at a position at once: most records fit.
	ledgerReadAhead = 2048
	maxLedgerKey    = 1 << 20
	maxLedgerValue  = 1 << 30
)

// errSameNumber: a key under an append-only prefix with the number of
// another key there (a bug in the caller, never user input).
var errSameNumber = errors.New("another key of an append-only prefix has this number")

// errSegmentDamaged: a segment holds bytes that do not open where only
// whole records may be (anywhere but the end of the last segment).
var errSegmentDamaged = errors.New("damaged")

// maxLedgerGap bounds the numbers a write may skip (each costs 8 bytes of
// index).
const maxLedgerGap = 1 << 20

const (
	// absent marks a number without a key (deleted, or skipped).
	absent = ^uint64(0)
	// pendingBit marks a position that is a transaction's own write, not
	// yet in a segment: the rest is its index in the transaction.
	pendingBit = uint64(1) << 63
	// tombstone is the value-length bit of a delete's record.
	tombstone = uint32(1) << 31
)

type ledger struct {
	dir  string
	aead cipher.AEAD
	// mu orders appends (the committer, replay), rotations and truncations.
	mu    sync.Mutex
	f     *os.File // the segment being appended to; nil before the first
	off   int64
	files atomic.Pointer[[]*os.File] // every segment, oldest first, for reads
	lists [len(appendOnly)]ledgerList
	buf   []byte
	// oldSegs: the first oldSegs segments are in the old format (set by
	// openLedger, never changed: appends go to new segments).
	oldSegs int
	// tailCut is what openLedger cut off the end of the last segment (zero
	// size: nothing), for the engine to log.
	tailCut ledgerCut
	// segSize is ledgerSegmentSize (tests lower it).
	segSize int64
	// readers: ledgerReaders with their buffers, for reuse (ledger_read.go).
	readers sync.Pool
}

// ledgerCut is a last segment's tail that did not open: a record cut short
// when the process stopped, or damage (indistinguishable there).
type ledgerCut struct {
	segment   string
	off, size int64
}

// ledgerList is one append-only prefix.
type ledgerList struct {
	// legacyMax is the greatest number of the prefix's keys in Badger
	// (hasLegacy false: none); keys up to it stay there.
	legacyMax uint64
	hasLegacy bool
	state     atomic.Pointer[ledgerState]
}

// ledgerWrite is one write of a transaction to the ledger.
type ledgerWrite struct {
	list   int
	seq    uint64
	key    string
	value  []byte
	delete bool
}

// ledgerKey says which list key belongs to and its number.
func ledgerKey(key string) (list int, seq uint64, ok bool) {
	for i, p := range appendOnly {
		if !strings.HasPrefix(key, p) {
			continue
		}
		rest := key[len(p):]
		if len(rest) < 20 {
			return 0, 0, false
		}
		for _, c := range []byte(rest[:20]) {
			if c < '0' || c > '9' {
				return 0, 0, false
			}
			seq = seq*10 + uint64(c-'0')
		}
		return i, seq, true
	}
	return 0, 0, false
}

// openLedger reads the segments in dir and rebuilds the index; a record
// cut short at the end of the last segment is cut off.
func openLedger(dir string, master []byte) (*ledger, error) {
	block, err := aes.NewCipher(keys.Derive(master, keys.StoreLedger))
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	l := &ledger{dir: dir, aead: aead, segSize: ledgerSegmentSize}
	for i := range l.lists {
		l.lists[i].state.Store(&ledgerState{})
	}
	names, err := filepath.Glob(filepath.Join(dir, ledgerPrefix+"*"+ledgerSuffix))
	if err != nil {
		return nil, err
	}
	slices.Sort(names) // zero-padded numbers
	files := []*os.File{}
	fail := func(err error) (*ledger, error) {
		for _, f := range files {
			f.Close()
		}
		return nil, fmt.Errorf("open store: ledger: %w", err)
	}
	newSeen := false
	for n, name := range names {
		if name != l.segmentName(n) {
			return fail(fmt.Errorf("segment %s is missing", filepath.Base(l.segmentName(n))))
		}
		f, err := os.OpenFile(name, os.O_RDWR, 0o600)
		if err != nil {
			return fail(err)
		}
		last := n == len(names)-1
		v2, creating, err := segmentFormat(f)
		if err != nil {
			f.Close()
			return fail(err)
		}
		if last && creating {
			// Created when the process stopped, before its magic was
			// written: it holds nothing.
			f.Close()
			if err := os.Remove(name); err != nil {
				return fail(err)
			}
			break
		}
		files = append(files, f)
		if v2 {
			newSeen = true
		} else if newSeen {
			return fail(fmt.Errorf("segment %s is %w: in the old format after one in the new", filepath.Base(name), errSegmentDamaged))
		} else {
			l.oldSegs = n + 1
		}
		end, whole, err := l.load(f, n, v2)
		if err != nil {
			return fail(err)
		}
		if !whole {
			if !last {
				return fail(fmt.Errorf("segment %s is %w at offset %d", filepath.Base(name), errSegmentDamaged, end))
			}
			fi, err := f.Stat()
			if err != nil {
				return fail(err)
			}
			if err := f.Truncate(end); err != nil {
				return fail(err)
			}
			l.tailCut = ledgerCut{segment: filepath.Base(name), off: end, size: fi.Size() - end}
		}
		l.off = end
	}
	l.files.Store(&files)
	if len(files) > 0 {
		l.f = files[len(files)-1]
		if _, err := l.f.Seek(l.off, io.SeekStart); err != nil {
			return fail(err)
		}
	}
	return l, nil
}

// segmentFormat reads the start of a segment: v2 when it is ledgerMagic;
// creating when the file is shorter than the magic and holds only its
// start (a segment being created when the process stopped, empty included).
func segmentFormat(f *os.File) (v2, creating bool, err error) {
	var b [len(ledgerMagic)]byte
	n, err := f.ReadAt(b[:], 0)
	if err != nil && err != io.EOF {
		return false, false, err
	}
	return n == len(b) && string(b[:]) == ledgerMagic, n < len(b) && string(b[:n]) == ledgerMagic[:n], nil
}

func (l *ledger) segmentName(index int) string {
	return filepath.Join(l.dir, ledgerPrefix+Num(uint64(index+1))+ledgerSuffix)
}

// load indexes the records of segment index (v2: in the current format);
// whole is false when it ends in a record that does not open (end is
// where that record starts).
func (l *ledger) load(f *os.File, index int, v2 bool) (end int64, whole bool, err error) {
	if v2 {
		end = int64(len(ledgerMagic))
	}
	if _, err := f.Seek(end, io.SeekStart); err != nil {
		return 0, false, err
	}
	r := bufio.NewReaderSize(f, 1<<20)
	var head [ledgerHeader]byte
	var body []byte
	var ad [ledgerADSize]byte
	for {
		if _, err := io.ReadFull(r, head[:]); err != nil {
			return end, err == io.EOF, nil
		}
		klen, vlen := binary.BigEndian.Uint32(head[0:]), binary.BigEndian.Uint32(head[4:])
		del := vlen&tombstone != 0
		vlen &^= tombstone
		if klen > maxLedgerKey || vlen > maxLedgerValue {
			return end, false, nil
		}
		n := int(klen) + int(vlen) + l.aead.Overhead()
		body = slices.Grow(body[:0], n)[:n]
		if _, err := io.ReadFull(r, body); err != nil {
			return end, false, nil
		}
		plain, err := l.aead.Open(body[:0], head[8:], body, ledgerAD(&ad, v2, index, end, head[:]))
		if err != nil {
			return end, false, nil
		}
		list, seq, ok := ledgerKey(string(plain[:klen]))
		if !ok {
			return end, false, fmt.Errorf("a record in %s is not an append-only key", filepath.Base(f.Name()))
		}
		p := uint64(index)<<32 | uint64(end)
		if del {
			p = absent
		}
		st, err := l.lists[list].state.Load().with(seq, p)
		if err != nil {
			return end, false, err
		}
		l.lists[list].state.Store(st)
		end += int64(ledgerHeader + n)
	}
}

// ledgerAD is the associated data of the record at off in segment index
// whose header starts head, written to ad (a caller's, so that reading
// many records allocates once): the segment, the offset and (v2, the
// current format) the header's key and value lengths, tombstone bit
// included. The nonce needs no cover: a changed nonce fails the tag.
func ledgerAD(ad *[ledgerADSize]byte, v2 bool, index int, off int64, head []byte) []byte {
	binary.BigEndian.PutUint64(ad[:8], uint64(index))
	binary.BigEndian.PutUint64(ad[8:16], uint64(off))
	if !v2 {
		return ad[:16]
	}
	copy(ad[16:], head[:8])
	return ad[:]
}

// publish makes a committed transaction's writes visible: its states,
// with its pending marks replaced by the positions written.
func (l *ledger) publish(states [len(appendOnly)]*ledgerState, ws []ledgerWrite, pos []uint64) {
	for j, w := range ws {
		st := states[w.list]
		if slot := st.slot(w.seq); slot != nil && *slot == pendingBit|uint64(j) {
			if w.delete {
				*slot = absent
			} else {
				*slot = pos[j]
			}
		}
	}
	for i := range l.lists {
		if states[i] != l.lists[i].state.Load() {
			l.lists[i].state.Store(states[i])
		}
	}
}

// view is what a transaction sees of the ledger: the lists as of its
// begin. The engine takes it with Badger's snapshot under the lock that
// commits publish under (versions), so it holds the keys of the commits
// that snapshot sees, and no others.
func (l *ledger) view() (v [len(appendOnly)]*ledgerState) {
	for i := range l.lists {
		v[i] = l.lists[i].state.Load()
	}
	return v
}

// ledgerMark is where an append started, to cut it off again.
type ledgerMark struct {
	f   *os.File
	off int64
}

// append writes a transaction's keys after the last record (not synced:
// the redo log holds them). The caller holds the redo log's mu.
func (l *ledger) append(ws []ledgerWrite) (mark ledgerMark, pos []uint64, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil || l.off >= l.segSize || len(*l.files.Load()) <= l.oldSegs {
		if err := l.startSegment(); err != nil {
			return mark, nil, err
		}
	}
	files := *l.files.Load()
	index := len(files) - 1
	mark = ledgerMark{f: l.f, off: l.off}
	b := l.buf[:0]
	off := l.off
	pos = make([]uint64, len(ws))
	var ad [ledgerADSize]byte
	for i, w := range ws {
		start := len(b)
		b = binary.BigEndian.AppendUint32(b, uint32(len(w.key)))
		vlen := uint32(len(w.value))
		if w.delete {
			vlen = tombstone
		}
		b = binary.BigEndian.AppendUint32(b, vlen)
		b = append(b, make([]byte, 12)...)
		if _, err := rand.Read(b[start+8 : start+ledgerHeader]); err != nil {
			return mark, nil, err
		}
		// Sealed in place after its header (the tag's room reserved, so
		// that Seal writes into b rather than a copy).
		body := len(b)
		b = slices.Grow(append(append(b, w.key...), w.value...), l.aead.Overhead())
		l.aead.Seal(b[body:body], b[start+8:start+ledgerHeader], b[body:], ledgerAD(&ad, true, index, off, b[start:]))
		b = b[:len(b)+l.aead.Overhead()]
		pos[i] = uint64(index)<<32 | uint64(off)
		off += int64(len(b) - start)
	}
	l.buf = b[:0]
	if _, err := l.f.Write(b); err != nil {
		l.cut(mark)
		return mark, nil, fmt.Errorf("ledger: %w", err)
	}
	l.off = off
	return mark, pos, nil
}

// undo cuts off an append whose commit failed.
func (l *ledger) undo(mark ledgerMark) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cut(mark)
}

func (l *ledger) cut(mark ledgerMark) {
	if mark.f == nil || mark.f != l.f {
		return
	}
	if err := l.f.Truncate(mark.off); err == nil {
		_, _ = l.f.Seek(mark.off, io.SeekStart)
	}
	l.off = mark.off
}

// startSegment syncs the segment being written (a later one never holds
// what an earlier one lacks) and opens the next, in the current format.
// The caller holds mu.
func (l *ledger) startSegment() error {
	if l.f != nil {
		if err := fdatasync(l.f); err != nil {
			return fmt.Errorf("ledger: %w", err)
		}
	}
	files := *l.files.Load()
	name := l.segmentName(len(files))
	f, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_RDWR, 0o600)
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	if _, err := f.WriteString(ledgerMagic); err != nil {
		f.Close()
		os.Remove(name) // or the next start finds it there
		return fmt.Errorf("ledger: %w", err)
	}
	if err := syncDir(l.dir); err != nil {
		f.Close()
		os.Remove(name)
		return err
	}
	grown := append(slices.Clip(files), f)
	l.files.Store(&grown)
	l.f, l.off = f, int64(len(ledgerMagic))
	return nil
}

// sync makes every record appended so far durable (earlier segments were
// synced when the next one started).
func (l *ledger) sync() error {
	l.mu.Lock()
	f := l.f
	l.mu.Unlock()
	if f == nil {
		return nil
	}
	if err := fdatasync(f); err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	return nil
}

func (l *ledger) close() error {
	err := l.sync()
	for _, f := range *l.files.Load() {
		f.Close()
	}
	return err
}
