package audit

import (
	"bytes"
	"sort"
	"strings"
	"sync"

	"hostbound/backend/store"
)

// Searching the trail by a substring of Target (PRODUCT.md §6) reads no
// record that does not match: every record also writes a key-only entry
//
//	audit/ix/t/<seq>\x00<lower-case target>
//
// and the first such search loads them all, key by key (no values to
// decode), into a column in memory: the distinct targets in one byte
// buffer and, per record, the number of its target. A search then runs
// bytes.Index over the buffer once, marks the targets that match and walks
// the column from the newest record down; only the records it finds are
// read. Records written before these entries existed are read and matched
// one by one, as before. Measured in BenchmarkMillion.
const tPrefix = ixPrefix + "t/"

// noTarget marks a record the column does not know (written before the
// entries existed): the search reads it.
const noTarget = ^uint32(0)

func tKey(seq uint64, target string) string {
	return tPrefix + store.Num(seq) + "\x00" + lowerTarget(target)
}

// lowerTarget is target as the column keeps it: lower case, without the
// NUL that separates targets in the buffer.
func lowerTarget(t string) string { return strings.ReplaceAll(strings.ToLower(t), "\x00", "\uFFFD") }

// targetColumn is the in-memory column; it only grows.
type targetColumn struct {
	mu      sync.RWMutex
	loaded  bool
	loading bool
	buf     []byte   // distinct targets, each followed by \x00
	starts  []uint32 // where each target starts in buf
	col     []uint32 // col[seq-1]: the record's target number, or noTarget
	recent  map[string]uint32
	waiting []pendingTarget // appended while loading
}

type pendingTarget struct {
	seq    uint64
	target string
}

// maxRecent bounds the map that lets repeated targets share one copy.
const maxRecent = 8192

// add appends record seq's target (Append's AfterCommit, in seq order).
func (c *targetColumn) add(seq uint64, target string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.loading:
		c.waiting = append(c.waiting, pendingTarget{seq, target})
	case c.loaded:
		c.put(seq, lowerTarget(target))
	}
}

// put records target (already lower-cased) for seq; c.mu is held.
func (c *targetColumn) put(seq uint64, target string) {
	for uint64(len(c.col)) < seq-1 {
		c.col = append(c.col, noTarget) // a gap: records the column does not know
	}
	if uint64(len(c.col)) >= seq {
		return // already there
	}
	n, ok := c.recent[target]
	if !ok {
		if len(c.recent) >= maxRecent {
			c.recent = map[string]uint32{}
		}
		n = uint32(len(c.starts))
		c.starts = append(c.starts, uint32(len(c.buf)))
		c.buf = append(append(c.buf, target...), 0)
		c.recent[target] = n
	}
	c.col = append(c.col, n)
}

// LoadTargets loads the target column, once (the first search by target
// does; a benchmark calls it to time it apart).
func (l *Log) LoadTargets(st *store.Store) error {
	c := &l.targets
	c.mu.Lock()
	if c.loaded || c.loading {
		c.mu.Unlock()
		return nil
	}
	c.loading, c.recent = true, map[string]uint32{}
	c.mu.Unlock()
	// Appends from now on wait in c.waiting; the snapshot below sees every
	// record committed before it.
	var loaded []pendingTarget
	err := st.View(func(tx *store.Txn) error {
		return tx.EachKey(tPrefix, func(key string) error {
			rest := key[len(tPrefix):]
			seq, ok := parseNum(rest)
			if !ok || len(rest) < 21 {
				return nil
			}
			loaded = append(loaded, pendingTarget{seq, rest[21:]})
			return nil
		})
	})
	c.mu.Lock()
	defer c.mu.Unlock()
	c.loading = false
	if err != nil {
		c.waiting = nil
		return err
	}
	for _, t := range loaded {
		c.put(t.seq, t.target)
	}
	for _, t := range c.waiting {
		c.put(t.seq, lowerTarget(t.target))
	}
	c.waiting, c.loaded = nil, true
	return nil
}

// parseNum reads the 20-digit number at the start of s.
func parseNum(s string) (uint64, bool) {
	if len(s) < 20 {
		return 0, false
	}
	var n uint64
	for _, ch := range []byte(s[:20]) {
		if ch < '0' || ch > '9' {
			return 0, false
		}
		n = n*10 + uint64(ch-'0')
	}
	return n, true
}

// candidates calls fn with the sequence numbers from top down whose target
// may contain needle: those whose target does, and those the column does
// not know (fn reads and matches them). ok is false when the column is not
// loaded.
func (c *targetColumn) candidates(needle string, top uint64, fn func(seq uint64) (bool, error)) (ok bool, err error) {
	c.mu.RLock()
	if !c.loaded {
		c.mu.RUnlock()
		return false, nil
	}
	// The slices only grow: their headers taken now stay valid to read.
	buf, starts, col := c.buf, c.starts, c.col
	c.mu.RUnlock()

	match := make([]bool, len(starts))
	n := []byte(lowerTarget(needle))
	for at := 0; ; {
		i := bytes.Index(buf[at:], n)
		if i < 0 {
			break
		}
		p := uint32(at + i)
		t := sort.Search(len(starts), func(k int) bool { return starts[k] > p }) - 1
		match[t] = true
		// Next target: past this one's NUL.
		end := bytes.IndexByte(buf[p:], 0)
		at = int(p) + end + 1
	}
	for seq := top; seq > 0; seq-- {
		if seq <= uint64(len(col)) {
			t := col[seq-1]
			if t != noTarget && !match[t] {
				continue
			}
		}
		more, err := fn(seq)
		if err != nil || !more {
			return true, err
		}
	}
	return true, nil
}
