package audit

import "hostbound/backend/store"

// Several serve nodes on one shared store (issue 16) append to one trail,
// but a node's column only hears of its own appends. The records of the
// others are there in the store; the column shows them as unknown (a gap
// before one of its own, or a tail past its last), and a query reads and
// matches each such record, which stays correct but grows slower with
// every record another node writes. catchUp reads their column entries
// (keys only, newest first, down to the lowest unknown) into the column
// before a query. On one process there is never a gap: it costs one head
// read.

// catchUp fills the column's unknown rows from the store. The column is
// loaded.
func (l *Log) catchUp(st *store.Store) error {
	c := &l.cols
	c.mu.RLock()
	low, end := c.lowUnknown, c.from+uint64(len(c.rows)/nColumns) // end: the first seq past the column
	c.mu.RUnlock()
	var found []columnEntry
	var top uint64
	err := st.View(func(tx *store.Txn) error {
		h, err := readHead(tx)
		top = h.Seq
		if err != nil || (h.Seq < end && low == 0) {
			return err // nothing unknown
		}
		if low == 0 {
			low = end
		}
		return tx.EachKeyReverse(cPrefix, cPrefix+store.Num(h.Seq)+"\x01", func(key string) (bool, error) {
			e, ok := parseEntry(key[len(cPrefix):])
			if !ok {
				return true, nil
			}
			if e.seq < low {
				return false, nil
			}
			found = append(found, e)
			return true, nil
		})
	})
	if err != nil || len(found) == 0 {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	// A walk may be reading the rows without the lock (they only grow):
	// filled in a copy, never in place.
	rows := append([]uint32(nil), c.rows...)
	for i := len(found) - 1; i >= 0; i-- { // oldest first, so the tail grows in order
		e := found[i]
		if e.seq < c.from {
			continue
		}
		at := (e.seq - c.from) * nColumns
		for uint64(len(rows)) < at {
			rows = append(rows, unknown, unknown, unknown, unknown, unknown)
		}
		if uint64(len(rows)) == at {
			rows = append(rows, unknown, unknown, unknown, unknown, unknown)
		} else if rows[at] != unknown {
			continue
		}
		for k := range nColumns {
			rows[at+uint64(k)] = c.vals[k].id(e.fields[k])
		}
	}
	c.rows = rows
	// Rows up to top that are still unknown have no entry (every record
	// up to the head had committed): they are not looked for again.
	c.lowUnknown = lowestUnknown(rows, c.from, top)
	return nil
}

// lowestUnknown is the seq of the first unknown row after top, 0 without one.
func lowestUnknown(rows []uint32, from, top uint64) uint64 {
	for i := 0; i < len(rows); i += nColumns {
		if seq := from + uint64(i/nColumns); seq > top && rows[i] == unknown {
			return seq
		}
	}
	return 0
}
