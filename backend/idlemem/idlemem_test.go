package idlemem

import (
	"context"
	"runtime"
	"testing"
	"time"
)

var sink [][]byte

// burst leaves about n bytes of heap that nothing references.
func burst(n int) {
	for i := 0; i < n>>16; i++ {
		sink = append(sink, make([]byte, 64<<10))
	}
	sink = nil
}

func TestAQuietProcessHandsBackWhatABurstLeft(t *testing.T) {
	burst(128 << 20)
	runtime.GC() // the burst is now free heap the runtime keeps mapped
	before := Read()
	if before.Held < before.Live+64<<20 {
		t.Fatalf("the burst left no spare heap to release: %+v", before)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := Default()
	p.Every = 20 * time.Millisecond
	go p.Watch(ctx)
	deadline := time.Now().Add(5 * time.Second)
	for {
		s := Read()
		if s.Held <= s.Live+DefaultSpare {
			t.Logf("held %d MiB → %d MiB (live %d MiB)", before.Held>>20, s.Held>>20, s.Live>>20)
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("still held %d MiB for a live heap of %d MiB after 5 s idle", s.Held>>20, s.Live>>20)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestABusyProcessIsLeftToItsGC(t *testing.T) {
	// A live heap of 64 MiB sets a GC goal of 128: the 32 MiB of garbage
	// below stays uncollected, well past Spare, so only the allocation
	// between the two looks says no. (Sampled here, not on a ticker: a
	// test starved of the CPU for one tick would look quiet.)
	live := make([][]byte, 0, 1024)
	for range 1024 {
		live = append(live, make([]byte, 64<<10))
	}
	runtime.GC()
	p := Default()
	last := Read()
	burst(32 << 20)
	now := Read()
	runtime.KeepAlive(live)
	if now.Held <= now.Live+p.Spare {
		t.Fatalf("the garbage was collected before the second look: %+v", now)
	}
	if p.shouldRelease(last, now) {
		t.Fatalf("released after %d MiB allocated between two looks", (now.Allocated-last.Allocated)>>20)
	}
}

func TestReleaseNeedsQuietAndSpare(t *testing.T) {
	p := Policy{Quiet: 1 << 20, Spare: 16 << 20}
	last := Sample{Allocated: 1000 << 20}
	for _, c := range []struct {
		name string
		now  Sample
		want bool
	}{
		{"quiet, 64 MiB spare", Sample{Allocated: last.Allocated + 4096, Held: 90 << 20, Live: 26 << 20}, true},
		{"busy, 64 MiB spare", Sample{Allocated: last.Allocated + 2<<20, Held: 90 << 20, Live: 26 << 20}, false},
		{"quiet, 8 MiB spare", Sample{Allocated: last.Allocated, Held: 34 << 20, Live: 26 << 20}, false},
		{"quiet, exactly Spare", Sample{Allocated: last.Allocated, Held: 42 << 20, Live: 26 << 20}, false},
	} {
		if got := p.shouldRelease(last, c.now); got != c.want {
			t.Errorf("%s: release %v, want %v", c.name, got, c.want)
		}
	}
}
