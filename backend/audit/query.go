package audit

import (
	"fmt"
	"strings"
	"time"

	"hostbound/backend/store"
)

// Index entries live under ixPrefix: the column's (columns.go), and the
// per-field entries "audit/ix/<field>/<value>\x00<seq>" that records
// written before the column had (legacyQuery reads them).
const ixPrefix = "audit/ix/"

// Filter selects records; empty fields match everything. Actor, Operation,
// Result and Source match exactly (any case), Target as a substring.
type Filter struct {
	From      time.Time `json:"from"`
	To        time.Time `json:"to"`
	Actor     string    `json:"actor"`
	Operation string    `json:"operation"`
	Target    string    `json:"target"`
	Result    string    `json:"result"`
	Source    string    `json:"source"`
}

func (f Filter) match(r Record) bool {
	eq := func(want, got string) bool { return want == "" || strings.EqualFold(want, got) }
	return eq(f.Actor, r.Actor) && eq(f.Operation, r.Operation) && eq(f.Result, r.Result) && eq(f.Source, r.Source) &&
		(f.Target == "" || strings.Contains(strings.ToLower(r.Target), strings.ToLower(f.Target))) &&
		(f.From.IsZero() || !r.Time.Before(f.From)) && (f.To.IsZero() || r.Time.Before(f.To))
}

// Page is a slice of the filtered trail, newest first.
type Page struct {
	Records []Record `json:"records"`
	// Next is the sequence number to pass as Before for the next page; 0
	// when there is no more.
	Next uint64 `json:"next"`
}

// Query returns up to limit records matching f with sequence numbers below
// before (0: from the newest), newest first.
func (l *Log) Query(tx *store.Txn, f Filter, before uint64, limit int) (Page, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	h, herr := readHead(tx)
	if herr != nil {
		return Page{}, herr
	}
	top := h.Seq
	if before != 0 && before-1 < top {
		top = before - 1
	}
	if !f.To.IsZero() {
		t, err := lastBefore(tx, f.To, top)
		if err != nil {
			return Page{}, err
		}
		top = t
	}
	if top == 0 {
		return Page{}, nil
	}
	var page Page
	add := func(r Record) bool {
		if len(page.Records) == limit {
			page.Next = r.Seq + 1
			return false
		}
		page.Records = append(page.Records, r)
		return true
	}
	match := func(r Record) (bool, error) {
		if !f.From.IsZero() && r.Time.Before(f.From) {
			return false, nil // older than the range: done
		}
		if !f.match(r) {
			return true, nil
		}
		return add(r), nil
	}
	var bottom uint64 = 1
	if !f.From.IsZero() {
		b, err := lastBefore(tx, f.From, top)
		if err != nil {
			return Page{}, err
		}
		bottom = b + 1
	}
	from, ok, err := l.cols.walk(f, top, bottom, func(seq uint64) (bool, error) {
		var r Record
		if err := tx.Get(recKey(seq), &r); err != nil {
			return false, err
		}
		return match(r)
	})
	switch {
	case err != nil:
		return page, err
	case !ok:
		// Not loaded (Trail loads it first): read every record.
		return page, eachBelow(tx, top, match)
	case page.Next != 0 || from <= bottom:
		return page, nil
	}
	// Below the column: the older index entries, or the records.
	return page, legacyQuery(tx, f, min(top, from-1), match)
}

// legacyQuery serves the records written before the column's entries
// existed: those have an index entry per field (audit/ix/<field>/<value>),
// the exact filter likely to be most selective walks it, or else the
// records themselves.
func legacyQuery(tx *store.Txn, f Filter, top uint64, match func(Record) (bool, error)) error {
	for _, fv := range [][2]string{{"actor", f.Actor}, {"source", f.Source}, {"operation", f.Operation}, {"result", f.Result}} {
		field, value := fv[0], fv[1]
		if value == "" || (field == "result" && strings.EqualFold(value, Success)) {
			continue // successes were not always indexed by result
		}
		prefix := fmt.Sprintf("%s%s/%s\x00", ixPrefix, field, strings.ToLower(value))
		return tx.EachKeyReverse(prefix, prefix+store.Num(top), func(key string) (bool, error) {
			var seq uint64
			fmt.Sscanf(key[len(prefix):], "%d", &seq)
			var r Record
			if err := tx.Get(recKey(seq), &r); err != nil {
				return false, err
			}
			return match(r)
		})
	}
	return eachBelow(tx, top, match)
}

// eachBelow calls match with the records from top down until it says no.
func eachBelow(tx *store.Txn, top uint64, match func(Record) (bool, error)) error {
	return tx.EachReverse(recPrefix, recKey(top), func(_ string, decode func(any) error) (bool, error) {
		var r Record
		if err := decode(&r); err != nil {
			return false, err
		}
		return match(r)
	})
}

// lastBefore finds the newest record (at or below top) older than t by
// binary search: records are appended in time order, so a time range
// starts its walk there instead of at the newest record.
func lastBefore(tx *store.Txn, t time.Time, top uint64) (uint64, error) {
	lo, hi := uint64(0), top // answer in [lo, hi]; record lo is older (0 = none)
	for lo < hi {
		mid := lo + (hi-lo+1)/2
		var r Record
		if err := tx.Get(recKey(mid), &r); err != nil {
			return 0, err
		}
		if r.Time.Before(t) {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo, nil
}

// Count returns the number of records in the trail.
func (l *Log) Count(tx *store.Txn) (uint64, error) {
	h, err := readHead(tx)
	if err != nil {
		return 0, err
	}
	return h.Seq, nil
}
