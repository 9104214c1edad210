package store

import (
	"fmt"
	"slices"
)

// ledgerState is a list as published after a commit: where the key
// numbered first+i is (segment index << 32 | offset), or absent. A
// published state never changes: appending writes past its length, and
// anything else copies.
//
// The positions of older numbers are kept in chunks of ledgerChunkLen, at
// ~2.3 bytes a number instead of 8 (every audited call adds two numbers, one
// per list, for as long as the process runs: 16 bytes a call before, ~4
// now). The newest are a plain slice, where a transaction's pending marks
// live until it publishes.
type ledgerState struct {
	first uint64
	old   []*ledgerChunk // numbers first … first + len(old)*ledgerChunkLen - 1
	pos   []uint64       // the numbers after them
}

// ledgerChunkLen numbers make a chunk; a chunk is made once twice as many
// follow in pos, all of them settled (no pending marks).
const ledgerChunkLen = 1024

// ledgerMarkEvery is how often a chunk keeps an offset whole.
const ledgerMarkEvery = 16

// count is how many numbers the list spans.
func (st *ledgerState) count() int { return len(st.old)*ledgerChunkLen + len(st.pos) }

// archived is the first number kept in pos.
func (st *ledgerState) archived() uint64 { return st.first + uint64(len(st.old))*ledgerChunkLen }

// index returns the position of the list's i-th number, or absent.
func (st *ledgerState) index(i int) uint64 {
	if c := i / ledgerChunkLen; c < len(st.old) {
		return st.old[c].at(i % ledgerChunkLen)
	}
	return st.pos[i-len(st.old)*ledgerChunkLen]
}

// at returns the position of number seq, or absent.
func (st *ledgerState) at(seq uint64) uint64 {
	if seq < st.first || seq-st.first >= uint64(st.count()) {
		return absent
	}
	return st.index(int(seq - st.first))
}

// slot is where number seq's position is held in pos (nil: archived or
// out of range), for publish to settle a pending mark.
func (st *ledgerState) slot(seq uint64) *uint64 {
	if b := st.archived(); seq >= b && seq-b < uint64(len(st.pos)) {
		return &st.pos[seq-b]
	}
	return nil
}

// with is the state after position p was written for number seq.
func (st *ledgerState) with(seq, p uint64) (*ledgerState, error) {
	if len(st.old) > 0 && seq < st.archived() {
		// A rewrite of an archived number or one before the first: only
		// tests and restores do that. Expand, and chunk again later.
		return st.expanded().with(seq, p)
	}
	base, n := st.archived(), uint64(len(st.pos))
	var next *ledgerState
	switch {
	case n == 0 && len(st.old) == 0:
		next = &ledgerState{first: seq, pos: append(st.pos[:0:0], p)}
	case seq == base+n:
		next = &ledgerState{first: st.first, old: st.old, pos: append(st.pos, p)}
	case seq >= base && seq < base+n:
		pos := slices.Clone(st.pos)
		pos[seq-base] = p
		next = &ledgerState{first: st.first, old: st.old, pos: pos}
	case seq > base+n:
		if seq-(base+n) > maxLedgerGap {
			return nil, fmt.Errorf("store: a key skips more than %d numbers of an append-only prefix", maxLedgerGap)
		}
		pos := slices.Clone(st.pos)
		for uint64(len(pos)) < seq-base {
			pos = append(pos, absent)
		}
		next = &ledgerState{first: st.first, old: st.old, pos: append(pos, p)}
	default: // before first (nothing archived)
		if st.first-seq > maxLedgerGap {
			return nil, fmt.Errorf("store: a key skips more than %d numbers of an append-only prefix", maxLedgerGap)
		}
		pos := make([]uint64, st.first-seq, st.first-seq+n)
		for i := range pos {
			pos[i] = absent
		}
		pos[0] = p
		next = &ledgerState{first: seq, pos: append(pos, st.pos...)}
	}
	next.chunk()
	return next, nil
}

// expanded is st with every position in pos.
func (st *ledgerState) expanded() *ledgerState {
	pos := make([]uint64, st.count())
	for i := range pos {
		pos[i] = st.index(i)
	}
	return &ledgerState{first: st.first, pos: pos}
}

// chunk moves the oldest settled positions of a new state into chunks.
// Appending to old, like appending to pos, writes past what earlier
// states see.
func (st *ledgerState) chunk() {
	for len(st.pos) >= 2*ledgerChunkLen && settled(st.pos[:ledgerChunkLen]) {
		st.old = append(st.old, newLedgerChunk(st.pos[:ledgerChunkLen]))
		st.pos = st.pos[ledgerChunkLen:]
	}
}

// settled: no pending mark among ps (absent is not one).
func settled(ps []uint64) bool {
	for _, p := range ps {
		if p != absent && p&pendingBit != 0 {
			return false
		}
	}
	return true
}

// ledgerChunk is ledgerChunkLen positions. Those of one segment, in
// increasing order and at most 64 KiB apart (every record of an audit
// trail) are kept as 16-bit steps from the one before, with the offset of
// every 16th so that a read adds at most 15 steps (every 64th cost scans
// ~10 %); any other run (a segment's end, a deletion, a large record)
// keeps them whole.
type ledgerChunk struct {
	raw   []uint64
	base  uint64
	marks [ledgerChunkLen / ledgerMarkEvery]uint32
	steps [ledgerChunkLen]uint16
}

func newLedgerChunk(ps []uint64) *ledgerChunk {
	c := &ledgerChunk{base: ps[0]}
	for i, p := range ps {
		if p == absent || p>>32 != c.base>>32 || (i > 0 && (p < ps[i-1] || p-ps[i-1] > 0xFFFF)) {
			return &ledgerChunk{raw: slices.Clone(ps)}
		}
		if i > 0 {
			c.steps[i] = uint16(p - ps[i-1])
		}
		if i%ledgerMarkEvery == 0 {
			c.marks[i/ledgerMarkEvery] = uint32(p - c.base)
		}
	}
	return c
}

func (c *ledgerChunk) at(i int) uint64 {
	if c.raw != nil {
		return c.raw[i]
	}
	off := c.marks[i/ledgerMarkEvery]
	for j := i - i%ledgerMarkEvery + 1; j <= i; j++ {
		off += uint32(c.steps[j])
	}
	return c.base + uint64(off)
}
