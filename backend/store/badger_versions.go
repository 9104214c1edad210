package store

import "sync"

// versions numbers Badger's commits itself (Badger's managed mode).
// Badger's own numbering (its oracle) tracks every transaction's read and
// commit through two watermarks kept by a goroutine of their own: each
// read-only transaction sent it two marks and each commit two more, and a
// new transaction waited for the last commit's mark to come back — a
// goroutine hand-off on every call of the retrieval path (issue 14). Here
// one committer commits one transaction at a time, so a counter under a
// mutex does the same: readers take the newest committed version, and the
// oldest version still read bounds what compactions may drop.
type versions struct {
	mu      sync.Mutex
	last    uint64         // newest committed version: what a new transaction reads
	next    uint64         // the version the next commit writes (> last; a failed commit uses one up)
	readers map[uint64]int // versions open transactions read, and how many read each
}

func newVersions(max uint64) *versions {
	return &versions{last: max, next: max + 1, readers: map[uint64]int{}}
}

// read registers a transaction reading the newest committed version and
// returns it; done must follow. with runs under the same lock as
// committed's: what it reads beside Badger (the ledger's view) is of the
// same commit.
func (v *versions) read(with func()) uint64 {
	v.mu.Lock()
	ts := v.last
	v.readers[ts]++
	with()
	v.mu.Unlock()
	return ts
}

// done ends a transaction that read version ts.
func (v *versions) done(ts uint64) {
	v.mu.Lock()
	if n := v.readers[ts]; n > 1 {
		v.readers[ts] = n - 1
	} else {
		delete(v.readers, ts)
	}
	v.mu.Unlock()
}

// reserve returns the version the next commit writes.
func (v *versions) reserve() uint64 {
	v.mu.Lock()
	ts := v.next
	v.next++
	v.mu.Unlock()
	return ts
}

// committed makes version ts (reserved, and now in Badger) what new
// transactions read, after with has published the rest of the commit.
func (v *versions) committed(ts uint64, with func()) {
	v.mu.Lock()
	with()
	if ts > v.last {
		v.last = ts
	}
	v.mu.Unlock()
}

// discardable is the newest version at or below which compactions may drop
// what no transaction can read any more: the oldest version still read, or
// the newest committed one when none is (Badger keeps the newest value of
// each key at or below it).
func (v *versions) discardable() uint64 {
	v.mu.Lock()
	defer v.mu.Unlock()
	min := v.last
	for ts := range v.readers {
		if ts < min {
			min = ts
		}
	}
	return min
}
