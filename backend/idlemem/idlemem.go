// Package idlemem hands the heap's spare memory back to the operating
// system when the process goes quiet.
//
// Go's runtime returns freed heap pages slowly, paced by its last GC's heap
// goal: after a burst — 64 clients for half a minute, or Badger compacting
// tables of 100,000 users — `serve` kept 100–120 MB mapped for a live heap
// of ~26 MB, and an idle process runs no GC that would lower the goal. The
// desktop app and `serve` spend most of their life idle, and idle RSS is
// what an administrator sees. So once the process has allocated almost
// nothing for a while and holds much more than its live heap, it collects
// and releases at once (debug.FreeOSMemory: one GC, ~10 ms at that heap).
// Under load it never does: the allocation rate says it is busy.
package idlemem

import (
	"context"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// Defaults of Watch: looked at every 2 s; quiet below 1 MiB allocated in
// that time (idle serve allocates a few KB; one client fetching passwords
// in a loop, ~50 MB); released when 16 MiB or more is spare.
const (
	DefaultEvery = 2 * time.Second
	DefaultQuiet = 1 << 20
	DefaultSpare = 16 << 20
)

// Policy says when to release.
type Policy struct {
	Every time.Duration
	Quiet uint64 // bytes allocated per Every below which the process is idle
	Spare uint64 // heap bytes held beyond the live heap worth releasing
}

// Default is the policy main runs.
func Default() Policy {
	return Policy{Every: DefaultEvery, Quiet: DefaultQuiet, Spare: DefaultSpare}
}

// Watch looks at the runtime's memory every p.Every until ctx ends and
// releases when the process is quiet and holds enough spare heap.
func (p Policy) Watch(ctx context.Context) {
	t := time.NewTicker(p.Every)
	defer t.Stop()
	last := Read()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := Read()
		if p.shouldRelease(last, now) {
			debug.FreeOSMemory()
			now = Read() // the next look compares with the heap after the release
		}
		last = now
	}
}

// shouldRelease: little allocated since the last look, and the heap holds
// Spare or more beyond what the last GC found live.
func (p Policy) shouldRelease(last, now Sample) bool {
	return now.Allocated-last.Allocated < p.Quiet && now.Held > now.Live+p.Spare
}

// Sample is what Watch reads from runtime/metrics.
type Sample struct {
	Allocated uint64 // bytes allocated since the process started
	Held      uint64 // heap bytes mapped and not released to the OS
	Live      uint64 // the live heap as of the last GC
}

var sampleNames = []string{
	"/gc/heap/allocs:bytes",
	"/memory/classes/heap/objects:bytes",
	"/memory/classes/heap/unused:bytes",
	"/memory/classes/heap/free:bytes",
	"/gc/heap/live:bytes",
}

// Read samples the runtime's heap figures.
func Read() Sample {
	s := make([]metrics.Sample, len(sampleNames))
	for i, n := range sampleNames {
		s[i].Name = n
	}
	metrics.Read(s)
	v := func(i int) uint64 {
		if s[i].Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return s[i].Value.Uint64()
	}
	return Sample{Allocated: v(0), Held: v(1) + v(2) + v(3), Live: v(4)}
}
