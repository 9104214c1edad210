package store

import (
	"expvar"
	"sync/atomic"
	"time"
)

// The committer is the one serial stage every audited call passes through,
// so how long a batch takes, and in which phase, bounds the throughput
// (issue 14). It adds its phases up here, process-wide; the profiler of
// `hostbound serve` (HOSTBOUND_PPROF) serves them in /debug/vars as
// "store_commit", and `make bench-rest --profile` prints them per batch.
// Two clock reads per phase cost ~0.1 µs against a batch's ~300–800 µs.

// phase is one part of a batch's commit.
type phase int

const (
	phaseBatch     phase = iota // the whole commitBatch, functions to the writers' wake-up
	phaseFunctions              // the batch's functions (the use cases' writes)
	phaseCommit                 // the engine's commit: for Badger the four below, for PostgreSQL its statements and COMMIT
	phaseRedoWrite              // the redo record's write (Badger)
	phaseSync                   // its fdatasync (Badger)
	phaseLedger                 // the ledger's append (Badger)
	phaseBadger                 // Badger's CommitAt: the hand-off to its writer and back
	numPhases
)

var phaseNames = [numPhases]string{"batch", "functions", "commit", "redo_write", "sync", "ledger", "badger_commit"}

// commitTotals counts each phase's runs and time, and the writers the
// batches carried.
type commitTotals struct {
	count   [numPhases]atomic.Int64
	nanos   [numPhases]atomic.Int64
	writers atomic.Int64
}

var commitTimes commitTotals

// add counts one run of phase p that began at since.
func (t *commitTotals) add(p phase, since time.Time) {
	t.count[p].Add(1)
	t.nanos[p].Add(int64(time.Since(since)))
}

// snapshot is what /debug/vars shows: per phase its runs and microseconds,
// and the writers committed.
func (t *commitTotals) snapshot() map[string]any {
	out := map[string]any{"writers": t.writers.Load()}
	for p := range numPhases {
		out[phaseNames[p]] = map[string]int64{"count": t.count[p].Load(), "us": t.nanos[p].Load() / 1e3}
	}
	return out
}

func init() {
	expvar.Publish("store_commit", expvar.Func(func() any { return commitTimes.snapshot() }))
}
