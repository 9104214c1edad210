package audit

import (
	"bytes"
	"sort"
	"strings"
	"sync"

	"hostbound/backend/store"
)

// The trail's filters (PRODUCT.md §6) run over a column in memory: every
// record writes, besides itself, one key-only entry
//
//	audit/ix/c/<seq>\x00<actor>\x00<operation>\x00<source>\x00<result>\x00<target>
//
// (the fields lower-cased) instead of one index entry per field — each
// entry costs Badger an encryption of its own on the single writer's path.
// The first query loads the entries, key by key (no values to decode), into
// a column: per field, its distinct values in one byte buffer, and per
// record the number of each of its values. A query finds the matching
// values once (bytes.Index over each buffer: exact or, for Target, a
// substring), then walks the column from the newest record down and reads
// only the records that match. Records written before the entries existed
// are below the column's first record: the older index entries
// (audit/ix/<field>/…) or the records themselves serve them, as before.
const cPrefix = ixPrefix + "c/"

// The column's fields, in the entry's order.
const (
	cActor = iota
	cOperation
	cSource
	cResult
	cTarget
	nColumns
)

// unknown marks a record inside the column's range without an entry (it
// is read and matched).
const unknown = ^uint32(0)

func cKey(r Record) string {
	var b strings.Builder
	b.WriteString(cPrefix)
	b.WriteString(store.Num(r.Seq))
	for _, v := range [nColumns]string{r.Actor, r.Operation, r.Source, r.Result, r.Target} {
		b.WriteByte(0)
		b.WriteString(columnValue(v))
	}
	return b.String()
}

// columnValue is v as the column keeps it: lower case, without the NUL that
// separates values.
func columnValue(v string) string { return strings.ReplaceAll(strings.ToLower(v), "\x00", "\uFFFD") }

// values are the distinct values of one field: buf is "\x00v0\x00v1\x00…",
// starts[i] where vi begins. A value can be stored twice (recent is bounded),
// never missed.
type values struct {
	buf    []byte
	starts []uint32
	recent map[string]uint32
}

// maxRecent bounds each field's map that lets repeated values share a copy.
const maxRecent = 8192

func (v *values) id(s string) uint32 {
	if n, ok := v.recent[s]; ok {
		return n
	}
	if v.recent == nil || len(v.recent) >= maxRecent {
		v.recent = map[string]uint32{}
	}
	if len(v.buf) == 0 {
		v.buf = append(v.buf, 0)
	}
	n := uint32(len(v.starts))
	v.starts = append(v.starts, uint32(len(v.buf)))
	v.buf = append(append(v.buf, s...), 0)
	v.recent[s] = n
	return n
}

// matching marks the values equal to want (exact) or containing it.
func matching(buf []byte, starts []uint32, want string, exact bool) []bool {
	m := make([]bool, len(starts))
	n := []byte(columnValue(want))
	if exact {
		n = append(append([]byte{0}, n...), 0)
	}
	for at := 0; at < len(buf); {
		i := bytes.Index(buf[at:], n)
		if i < 0 {
			break
		}
		p := uint32(at + i)
		if exact {
			p++ // past the NUL before the value
		}
		k := sort.Search(len(starts), func(k int) bool { return starts[k] > p }) - 1
		if k >= 0 {
			m[k] = true
		}
		end := bytes.IndexByte(buf[p:], 0)
		if end < 0 {
			break
		}
		at = int(p) + end
	}
	return m
}

// columns is the in-memory column; it only grows.
type columns struct {
	mu      sync.RWMutex
	loaded  bool
	loading bool
	from    uint64 // the first record the column covers
	vals    [nColumns]values
	rows    []uint32 // nColumns per record from `from` on
	waiting []columnEntry
	// lowUnknown is the first record inside the rows without its entry
	// (another node's, columns_catchup.go); 0 when there is none.
	lowUnknown uint64
}

type columnEntry struct {
	seq    uint64
	fields [nColumns]string // as columnValue leaves them
}

func entryOf(r Record) columnEntry {
	e := columnEntry{seq: r.Seq}
	for i, v := range [nColumns]string{r.Actor, r.Operation, r.Source, r.Result, r.Target} {
		e.fields[i] = columnValue(v)
	}
	return e
}

// add appends a committed record (Append's AfterCommit, in seq order).
func (c *columns) add(e columnEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.loading:
		c.waiting = append(c.waiting, e)
	case c.loaded:
		c.put(e)
	}
}

// put records e; c.mu is held.
func (c *columns) put(e columnEntry) {
	if c.from == 0 {
		c.from = e.seq
	}
	if e.seq < c.from {
		return
	}
	have := uint64(len(c.rows) / nColumns)
	if have < e.seq-c.from && c.lowUnknown == 0 {
		c.lowUnknown = c.from + have
	}
	for ; have < e.seq-c.from; have++ {
		c.rows = append(c.rows, unknown, unknown, unknown, unknown, unknown)
	}
	if have > e.seq-c.from {
		return // already there
	}
	for i := range nColumns {
		c.rows = append(c.rows, c.vals[i].id(e.fields[i]))
	}
}

// LoadColumns loads the column, once, and then takes in what other nodes
// of a shared store appended (Trail's queries do first; a benchmark calls
// it to time it apart).
func (l *Log) LoadColumns(st *store.Store) error {
	c := &l.cols
	c.mu.Lock()
	if c.loaded {
		c.mu.Unlock()
		return l.catchUp(st)
	}
	if c.loading {
		c.mu.Unlock()
		return nil
	}
	c.loading = true
	c.mu.Unlock()
	// Appends from now on wait in c.waiting; the snapshot below sees every
	// record committed before.
	var loaded []columnEntry
	var next uint64
	err := st.View(func(tx *store.Txn) error {
		h, err := readHead(tx)
		if err != nil {
			return err
		}
		next = h.Seq + 1
		return tx.EachKey(cPrefix, func(key string) error {
			e, ok := parseEntry(key[len(cPrefix):])
			if ok {
				loaded = append(loaded, e)
			}
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
	if len(loaded) == 0 {
		c.from = next // the column starts with the next record
	}
	for _, e := range loaded {
		c.put(e)
	}
	for _, e := range c.waiting {
		c.put(e)
	}
	c.waiting, c.loaded = nil, true
	return nil
}

func parseEntry(s string) (columnEntry, bool) {
	if len(s) < 21 || s[20] != 0 {
		return columnEntry{}, false
	}
	var e columnEntry
	for _, ch := range []byte(s[:20]) {
		if ch < '0' || ch > '9' {
			return columnEntry{}, false
		}
		e.seq = e.seq*10 + uint64(ch-'0')
	}
	rest := s[21:]
	for i := range nColumns - 1 {
		j := strings.IndexByte(rest, 0)
		if j < 0 {
			return columnEntry{}, false
		}
		e.fields[i], rest = rest[:j], rest[j+1:]
	}
	e.fields[nColumns-1] = rest
	return e, true
}

// walk calls fn with the sequence numbers from top down to bottom (at
// least the column's first record) that may match f: those whose values
// do, and those the column does not know. It returns the column's first
// record (records below it are for the caller), and ok false when the
// column is not loaded.
func (c *columns) walk(f Filter, top, bottom uint64, fn func(seq uint64) (bool, error)) (from uint64, ok bool, err error) {
	c.mu.RLock()
	if !c.loaded {
		c.mu.RUnlock()
		return 0, false, nil
	}
	// The slices only grow: their headers taken now stay valid to read.
	from, rows := c.from, c.rows
	var want [nColumns][]bool
	for i, w := range [nColumns]string{f.Actor, f.Operation, f.Source, f.Result, f.Target} {
		if w != "" {
			want[i] = matching(c.vals[i].buf, c.vals[i].starts, w, i != cTarget)
		}
	}
	c.mu.RUnlock()
	if bottom < from {
		bottom = from
	}
	n := uint64(len(rows) / nColumns)
	for seq := top; seq >= bottom && seq > 0; seq-- {
		if i := seq - from; i < n && rows[i*nColumns] != unknown {
			row := rows[i*nColumns : (i+1)*nColumns]
			skip := false
			for k, m := range want {
				if m != nil && !m[row[k]] {
					skip = true
					break
				}
			}
			if skip {
				continue
			}
		}
		more, err := fn(seq)
		if err != nil || !more {
			return from, true, err
		}
	}
	return from, true, nil
}
