package testenv

import (
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Load calls op b.N times from conc goroutines and reports the rate (as
// unit, e.g. "req/s") and the p50 and p99 latency in milliseconds. A
// failed call is counted and the next one made; any failure fails the
// benchmark after the run, naming the first.
func Load(b *testing.B, conc int, unit string, op func() error) {
	var failures atomic.Int64
	var firstErr atomic.Value
	var next atomic.Int64
	lat := make([][]time.Duration, conc)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for g := range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(b.N) {
				t0 := time.Now()
				if err := op(); err != nil {
					if failures.Add(1) == 1 {
						firstErr.Store(err)
					}
					continue
				}
				lat[g] = append(lat[g], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if n := failures.Load(); n > 0 {
		b.Fatalf("%d of %d calls failed, the first: %v", n, b.N, firstErr.Load())
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	pct := func(p float64) float64 { return float64(all[int(float64(len(all)-1)*p)].Microseconds()) / 1000 }
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), unit)
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(0, "ns/op")
}
