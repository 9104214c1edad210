package restapi

import (
	"math"
	"net/netip"
	"sync"
	"time"
)

// limiter throttles failed authentications per source address: a bucket of
// burst tokens refilled at rate per second; each failure takes one, and an
// empty bucket answers 429 without touching the store.
type limiter struct {
	mu      sync.Mutex
	burst   float64
	rate    float64 // tokens per second
	clock   func() time.Time
	buckets map[netip.Addr]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(burst int, per time.Duration, clock func() time.Time) *limiter {
	return &limiter{burst: float64(burst), rate: float64(burst) / per.Seconds(), clock: clock, buckets: map[netip.Addr]*bucket{}}
}

func (l *limiter) refill(b *bucket, now time.Time) {
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.rate)
	b.at = now
}

// blocked reports whether addr has no failures left, and for how many
// seconds.
func (l *limiter) blocked(addr netip.Addr) (bool, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[addr]
	if !ok {
		return false, 0
	}
	now := l.clock()
	l.refill(b, now)
	if b.tokens >= 1 {
		return false, 0
	}
	return true, int(math.Ceil((1 - b.tokens) / l.rate))
}

// fail takes a token for a failed authentication from addr.
func (l *limiter) fail(addr netip.Addr) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock()
	b, ok := l.buckets[addr]
	if !ok {
		if len(l.buckets) > 10_000 {
			l.sweep(now)
		}
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[addr] = b
	}
	l.refill(b, now)
	b.tokens = math.Max(0, b.tokens-1)
}

// sweep forgets addresses whose bucket is full again.
func (l *limiter) sweep(now time.Time) {
	for a, b := range l.buckets {
		l.refill(b, now)
		if b.tokens >= l.burst {
			delete(l.buckets, a)
		}
	}
}
