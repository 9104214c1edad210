package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Reading the ledger. A get is one pread of ledgerReadAhead bytes at its
// position. A scan walks positions that are mostly consecutive in the file
// (the audit trail appends a record and its column entry together, so one
// list's records alternate with the other's): a pread each cost a syscall
// and an allocation per record (1,000,000 audit records: 16.6 s, 6.7 s from
// Badger). A scan's reader keeps a window of the segment instead, filled by
// reads that double from ledgerScanFirst to ledgerScanBlock (a first page
// of 100 records reads little), ahead of the position for a forward scan
// and behind it for a reverse one; records are decrypted from the window.
// Every record is still opened with its position (and header) as
// associated data, so stale or damaged bytes in a window are an error,
// never another record.
const (
	ledgerScanFirst = 32 << 10
	ledgerScanBlock = 1 << 20
)

// ledgerReader reads records for one caller at a time. What it returns is
// valid until its next read or its release.
type ledgerReader struct {
	l       *ledger
	grow    bool // a scan's: each fill reads twice the last, up to ledgerScanBlock
	reverse bool // windows end at the record read (a reverse scan's)
	next    int  // bytes the next fill reads
	// buf holds segment seg from offset start (seg -1: nothing).
	buf   []byte
	seg   int
	start int64
	plain []byte
	ad    [ledgerADSize]byte
}

// reader returns a reader from the pool: a scan's (grow) or a get's.
func (l *ledger) reader(grow, reverse bool) *ledgerReader {
	r, _ := l.readers.Get().(*ledgerReader)
	if r == nil {
		r = &ledgerReader{l: l}
	}
	r.grow, r.reverse, r.seg, r.buf = grow, reverse, -1, r.buf[:0]
	r.next = ledgerReadAhead
	if grow {
		r.next = ledgerScanFirst
	}
	return r
}

// release returns r to the pool. Its window is forgotten: bytes past the
// positions one transaction sees may change (a failed append is cut off
// and the next written there). Buffers grown for a record larger than a
// scan's block are dropped.
func (r *ledgerReader) release() {
	if cap(r.buf) > ledgerScanBlock {
		r.buf = nil
	}
	if cap(r.plain) > ledgerScanBlock {
		r.plain = nil
	}
	r.l.readers.Put(r)
}

// errLedgerRecord: the bytes at a position are not a live record.
var errLedgerRecord = errors.New("ledger: a record does not open")

// read returns the key and value of the record at position p.
func (r *ledgerReader) read(p uint64) (key, value []byte, err error) {
	index, off := int(p>>32), int64(uint32(p))
	head, err := r.bytes(index, off, ledgerHeader)
	if err != nil {
		return nil, nil, err
	}
	klen, vlen := binary.BigEndian.Uint32(head[0:]), binary.BigEndian.Uint32(head[4:])
	if vlen&tombstone != 0 || klen > maxLedgerKey || vlen > maxLedgerValue {
		// A delete's record is never at a live position.
		return nil, nil, fmt.Errorf("%w: damaged header", errLedgerRecord)
	}
	rec, err := r.bytes(index, off, ledgerHeader+int(klen)+int(vlen)+r.l.aead.Overhead())
	if err != nil {
		return nil, nil, err
	}
	plain, err := r.l.aead.Open(r.plain[:0], rec[8:ledgerHeader], rec[ledgerHeader:], ledgerAD(&r.ad, index >= r.l.oldSegs, index, off, rec))
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", errLedgerRecord, err)
	}
	r.plain = plain[:0]
	return plain[:klen], plain[klen:], nil
}

// bytes returns n bytes of segment index at off: from the window when it
// holds them, else after filling it from there.
func (r *ledgerReader) bytes(index int, off int64, n int) ([]byte, error) {
	if index == r.seg && off >= r.start && off+int64(n) <= r.start+int64(len(r.buf)) {
		return r.buf[off-r.start:][:n], nil
	}
	size := max(n, r.next)
	if r.grow {
		r.next = min(2*r.next, ledgerScanBlock)
	}
	start := off
	if r.reverse { // end where a record read whole (most are) ends
		start = max(0, off+int64(max(n, ledgerReadAhead))-int64(size))
	}
	if cap(r.buf) < size {
		if r.grow { // the whole block at once: the reader goes back to the pool
			r.buf = make([]byte, max(size, ledgerScanBlock))
		} else {
			r.buf = make([]byte, size)
		}
	}
	files := *r.l.files.Load()
	m, err := files[index].ReadAt(r.buf[:size], start)
	r.buf, r.seg, r.start = r.buf[:m], index, start
	if off+int64(n) > start+int64(m) {
		r.seg = -1
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("ledger: read: %w", err)
		}
		return nil, fmt.Errorf("%w: cut short", errLedgerRecord)
	}
	// An error with the bytes asked for in hand is the end of the file.
	return r.buf[off-start:][:n], nil
}
