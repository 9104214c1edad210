package authguard

import (
	"fmt"
	"net/netip"
	"sync"
	"time"

	"hostbound/backend/audit"
)

// Config sets the guard's limits; zero values take the defaults.
type Config struct {
	Burst      int                // failures allowed per Window from one source before Blocked says yes (default 10)
	Window     time.Duration      // default time.Minute; tokens refill at Burst/Window
	MaxSources int                // bound of each table (default 10_000); least recently used evicted in O(1)
	Clock      func() time.Time   // default time.Now
	Record     func(audit.Record) // writes one audit record; called outside the guard's lock, maybe concurrently
	// Share, when set, tells the other nodes of a shared store of a
	// failure (share.go); called outside the lock. It must not block.
	Share func(msg []byte)
}

// Guard throttles and records failed authentications. It is safe for
// concurrent use.
type Guard struct {
	burst    int
	interval time.Duration // Window/Burst: the time one token takes to refill
	clock    func() time.Time
	record   func(audit.Record)
	share    func([]byte)

	mu sync.Mutex
	// buckets holds, per source key, when its bucket is full again: a
	// token bucket in one time value (GCRA), least recently used first.
	buckets *table[netip.Prefix, time.Time]
	// tallies holds the current minute of each source key that failed,
	// oldest minute first, so Flush stops at the first that has not ended.
	tallies *table[netip.Prefix, tally]
}

// tally counts a source key's failures in one minute after the first,
// which was written at once.
type tally struct {
	minute time.Time
	count  int
	last   audit.Record // trimmed
}

// New returns a guard with c's limits.
func New(c Config) *Guard {
	if c.Burst <= 0 {
		c.Burst = 10
	}
	if c.Window <= 0 {
		c.Window = time.Minute
	}
	if c.MaxSources <= 0 {
		c.MaxSources = 10_000
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	if c.Record == nil {
		c.Record = func(audit.Record) {}
	}
	if c.Share == nil {
		c.Share = func([]byte) {}
	}
	return &Guard{burst: c.Burst, interval: max(c.Window/time.Duration(c.Burst), 1), clock: c.Clock, record: c.Record, share: c.Share,
		buckets: newTable[netip.Prefix, time.Time](c.MaxSources), tallies: newTable[netip.Prefix, tally](c.MaxSources)}
}

// Key is the table key of an address: IPv4 (and IPv4-mapped IPv6) as the
// /32, IPv6 as its /64, since whoever has one address of a /64 usually has
// all of it. The zero Addr gives the zero Prefix.
func Key(a netip.Addr) netip.Prefix {
	a = a.Unmap().WithZone("")
	bits := 64
	if a.Is4() {
		bits = 32
	}
	p, _ := a.Prefix(bits) // cannot fail: bits fit the family
	return p
}

// Blocked reports whether src has used up its failures, and how long until
// the next attempt is allowed (the caller rounds it up for Retry-After).
// Asking counts as use for the LRU: a source that keeps trying while
// blocked is not the one forgotten.
func (g *Guard) Blocked(src netip.Addr) (bool, time.Duration) {
	k := Key(src)
	g.mu.Lock()
	defer g.mu.Unlock()
	n, ok := g.buckets.get(k)
	if !ok {
		return false, 0
	}
	g.buckets.toBack(n)
	now := g.clock()
	g.forgiveClockJump(n, now)
	// Blocked while less than one token is left: the bucket is more than
	// burst-1 tokens short of full.
	wait := n.val.Sub(now) - time.Duration(g.burst-1)*g.interval
	if wait <= 0 {
		return false, 0
	}
	return true, wait
}

// Fail counts one failed authentication from src and records it. rec is
// the record the face would have written; its text is cut, and within a
// minute only the first failure of src's key is written at once, the rest
// as one count when the minute ends (Flush).
func (g *Guard) Fail(src netip.Addr, rec audit.Record) {
	rec = trim(rec)
	rec.Result = audit.Failure
	k := Key(src)
	out := make([]audit.Record, 0, 2) // at most the previous minute's count and this failure
	g.mu.Lock()
	now := g.clock() // read under the lock, so tallies are added in time order
	g.take(k, now)
	minute := now.UTC().Truncate(time.Minute)
	switch t, ok := g.tallies.get(k); {
	case ok && t.val.minute.Equal(minute):
		t.val.count++
		t.val.last = rec
	case ok: // a new minute: settle the one before
		if t.val.count > 0 {
			out = append(out, t.val.aggregate(k))
		}
		t.val = tally{minute: minute}
		g.tallies.toBack(t)
		out = append(out, rec)
	default:
		if _, evicted := g.tallies.add(k, tally{minute: minute}); evicted != nil && evicted.val.count > 0 {
			out = append(out, evicted.val.aggregate(evicted.key))
		}
		out = append(out, rec)
	}
	g.mu.Unlock()
	g.share(shareMsg(k))
	for _, r := range out {
		g.record(r)
	}
}

// take spends one token of k's bucket. The bucket never goes below empty:
// failures past the limit (concurrent requests that passed Blocked) do not
// lengthen the wait.
func (g *Guard) take(k netip.Prefix, now time.Time) {
	n, ok := g.buckets.get(k)
	if !ok {
		n, _ = g.buckets.add(k, now)
	} else {
		g.buckets.toBack(n)
		g.forgiveClockJump(n, now)
	}
	full := n.val
	if full.Before(now) {
		full = now
	}
	full = full.Add(g.interval)
	if limit := now.Add(time.Duration(g.burst) * g.interval); full.After(limit) {
		full = limit
	}
	n.val = full
}

// forgiveClockJump empties a bucket whose debt reaches further ahead than
// a full one can: the clock went back (an injected or stepped clock), and a
// source must not stay blocked for as long as the jump.
func (g *Guard) forgiveClockJump(n *node[netip.Prefix, time.Time], now time.Time) {
	if n.val.After(now.Add(time.Duration(g.burst) * g.interval)) {
		n.val = now
	}
}

// Flush writes the counts of the minutes that have ended. Call it from a
// ticker.
func (g *Guard) Flush() { g.flush(false) }

// Close writes every pending count, ended or not (on shutdown). The guard
// stays usable.
func (g *Guard) Close() { g.flush(true) }

func (g *Guard) flush(all bool) {
	var out []audit.Record
	g.mu.Lock()
	now := g.clock()
	for t := g.tallies.front(); t != nil; t = g.tallies.front() {
		if !all && now.Before(t.val.minute.Add(time.Minute)) {
			break
		}
		g.tallies.remove(t)
		if t.val.count > 0 {
			out = append(out, t.val.aggregate(t.key))
		}
	}
	g.mu.Unlock()
	for _, r := range out {
		g.record(r)
	}
}

// aggregate is the count's record: the last failure's, with the count as
// its reason.
func (t tally) aggregate(k netip.Prefix) audit.Record {
	r := t.last
	r.Result = audit.Failure
	head := fmt.Sprintf("%d more failed authentications from %s between %s and %s UTC (last: ",
		t.count, keyText(k), t.minute.Format("15:04"), t.minute.Add(time.Minute).Format("15:04"))
	r.Reason = head + cut(t.last.Reason, max(maxReason-len(head)-1, len(ellipsis)+1)) + ")"
	return r
}

func keyText(k netip.Prefix) string {
	switch {
	case !k.IsValid():
		return "an unknown address"
	case k.Addr().Is4():
		return k.Addr().String()
	default:
		return k.String()
	}
}

// sizes is for tests: the entries in each table.
func (g *Guard) sizes() (buckets, tallies int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.buckets.len(), g.tallies.len()
}
