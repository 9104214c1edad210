package authguard

import (
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"hostbound/backend/audit"
)

// t0 is the start of a minute, so that failures at t0+0…59 s share it.
var t0 = time.Date(2026, 11, 26, 10, 4, 0, 0, time.UTC)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type recorder struct {
	mu   sync.Mutex
	recs []audit.Record
}

func (r *recorder) record(rec audit.Record) { r.mu.Lock(); r.recs = append(r.recs, rec); r.mu.Unlock() }
func (r *recorder) all() []audit.Record {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]audit.Record(nil), r.recs...)
}

// newGuard returns a guard at t0 with c's limits, a clock to move and the
// records it writes.
func newGuard(c Config) (*Guard, *clock, *recorder) {
	clk, rec := &clock{t: t0}, &recorder{}
	c.Clock, c.Record = clk.now, rec.record
	return New(c), clk, rec
}

func authFailure(src netip.Addr, reason string) audit.Record {
	return audit.Record{Source: src.String(), Operation: "Authentication", Target: "/restapi/json/v1/resources",
		Result: audit.Failure, Reason: reason, Actor: "(unknown key)", ActorKind: audit.ActorAPIUser}
}

// counted is how many failures the records account for: one for a record
// of its own, N for "N more failed authentications …".
func counted(t *testing.T, recs []audit.Record) int {
	t.Helper()
	n := 0
	for _, r := range recs {
		var more int
		if _, err := fmt.Sscanf(r.Reason, "%d more failed authentications", &more); err == nil {
			n += more
		} else {
			n++
		}
	}
	return n
}

var addr = netip.MustParseAddr

func TestKey(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		in   netip.Addr
		want netip.Prefix
	}{
		{"an IPv4 address is its own /32", addr("192.0.2.7"), netip.MustParsePrefix("192.0.2.7/32")},
		{"an IPv4-mapped IPv6 address is the IPv4 /32", addr("::ffff:192.0.2.7"), netip.MustParsePrefix("192.0.2.7/32")},
		{"an IPv6 address is its /64", addr("2001:db8:1:2:3:4:5:6"), netip.MustParsePrefix("2001:db8:1:2::/64")},
		{"an IPv6 zone is dropped", addr("fe80::1%eth0"), netip.MustParsePrefix("fe80::/64")},
		{"no address is the zero prefix", netip.Addr{}, netip.Prefix{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := Key(c.in); got != c.want {
				t.Errorf("Key(%v) = %v, want %v", c.in, got, c.want)
			}
		})
	}
}

func TestASourceIsBlockedAfterItsBurstUntilATokenRefills(t *testing.T) {
	t.Parallel()
	g, clk, _ := newGuard(Config{Burst: 10, Window: time.Minute})
	src := addr("192.0.2.7")
	blockedFor := func(want bool, wait time.Duration) {
		t.Helper()
		if b, w := g.Blocked(src); b != want || w != wait {
			t.Fatalf("at %v: Blocked = %v, %v; want %v, %v", clk.now().Sub(t0), b, w, want, wait)
		}
	}
	blockedFor(false, 0)
	for range 9 {
		g.Fail(src, authFailure(src, "unknown API key"))
	}
	blockedFor(false, 0)
	g.Fail(src, authFailure(src, "unknown API key"))
	blockedFor(true, 6*time.Second) // one token per Window/Burst
	for range 100 {
		g.Fail(src, authFailure(src, "unknown API key"))
	}
	blockedFor(true, 6*time.Second) // failures past the burst do not lengthen the wait
	clk.advance(5 * time.Second)
	blockedFor(true, time.Second)
	clk.advance(time.Second)
	blockedFor(false, 0)
	g.Fail(src, authFailure(src, "unknown API key"))
	blockedFor(true, 6*time.Second)
	clk.advance(time.Minute)
	for range 9 {
		g.Fail(src, authFailure(src, "unknown API key"))
	}
	blockedFor(false, 0) // a full window refills the whole burst
}

func TestSourcesShareABucketByKey(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		fail, ask string
		blocked   bool
	}{
		{"two IPv6 addresses in one /64 share a bucket", "2001:db8:0:1::1", "2001:db8:0:1:ffff:ffff:ffff:ffff", true},
		{"IPv6 addresses in different /64s do not", "2001:db8:0:1::1", "2001:db8:0:2::1", false},
		{"an IPv4-mapped IPv6 address counts as the IPv4 address", "::ffff:192.0.2.7", "192.0.2.7", true},
		{"the IPv4 address counts for its IPv4-mapped form", "192.0.2.7", "::ffff:192.0.2.7", true},
		{"neighbouring IPv4 addresses do not share", "192.0.2.7", "192.0.2.8", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			g, _, _ := newGuard(Config{Burst: 1})
			g.Fail(addr(c.fail), authFailure(addr(c.fail), "unknown API key"))
			if b, _ := g.Blocked(addr(c.ask)); b != c.blocked {
				t.Errorf("after a failure from %s, Blocked(%s) = %v", c.fail, c.ask, b)
			}
		})
	}
}

func TestTheLeastRecentlyUsedSourceIsForgottenWhenTheTableIsFull(t *testing.T) {
	t.Parallel()
	a, b, c := addr("192.0.2.1"), addr("192.0.2.2"), addr("192.0.2.3")
	cases := []struct {
		name      string
		knock     bool // a asks Blocked between b's failure and c's
		forgotten netip.Addr
	}{
		{"the oldest failure is forgotten", false, a},
		{"a blocked source that keeps asking stays remembered", true, b},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g, _, _ := newGuard(Config{Burst: 1, MaxSources: 2})
			g.Fail(a, authFailure(a, "x"))
			g.Fail(b, authFailure(b, "x"))
			if tc.knock {
				g.Blocked(a)
			}
			g.Fail(c, authFailure(c, "x"))
			for _, src := range []netip.Addr{a, b, c} {
				if blocked, _ := g.Blocked(src); blocked == (src == tc.forgotten) {
					t.Errorf("Blocked(%s) = %v", src, blocked)
				}
			}
		})
	}
}

func TestTheTablesStayBoundedUnderManySources(t *testing.T) {
	t.Parallel()
	g, _, rec := newGuard(Config{Burst: 1}) // MaxSources: the default 10,000
	const n = 100_000
	var last netip.Addr
	for i := range n {
		var b [16]byte
		b[0], b[1], b[2], b[3] = 0x20, 0x01, 0x0d, 0xb8
		b[4], b[5], b[6], b[7] = byte(i>>24), byte(i>>16), byte(i>>8), byte(i)
		b[15] = 1
		last = netip.AddrFrom16(b)
		g.Fail(last, authFailure(last, "unknown API key"))
		if buckets, aggs := g.sizes(); buckets > 10_000 || aggs > 10_000 {
			t.Fatalf("after %d sources: %d buckets, %d aggregates; the bound is 10,000", i+1, buckets, aggs)
		}
	}
	if buckets, aggs := g.sizes(); buckets != 10_000 || aggs != 10_000 {
		t.Errorf("%d buckets, %d aggregates; want both full at 10,000", buckets, aggs)
	}
	if blocked, _ := g.Blocked(last); !blocked {
		t.Error("the most recent source was forgotten")
	}
	g.Close()
	if got := counted(t, rec.all()); got != n {
		t.Errorf("the records account for %d failures, want %d", got, n)
	}
}

func TestFailuresAreAggregatedPerSourceAndMinute(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		sources int
	}{
		{"1,000 failures from one source make two records", 1},
		{"1,000 failures from each of 10 sources make twenty records", 10},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			g, clk, rec := newGuard(Config{})
			src := func(s, i int) netip.Addr {
				if s%2 == 1 {
					return netip.AddrFrom4([4]byte{192, 0, 2, byte(s)})
				}
				return netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, byte(s), 14: byte(i >> 8), 15: byte(i)}) // rotating inside the /64
			}
			for i := range 1000 {
				clk.set(t0.Add(time.Duration(i) * 59 * time.Millisecond))
				for s := range c.sources {
					g.Fail(src(s, i), authFailure(src(s, i), fmt.Sprintf("unknown API key %d", i)))
				}
			}
			if got := len(rec.all()); got != c.sources {
				t.Fatalf("%d records during the minute, want %d (the first of each source)", got, c.sources)
			}
			clk.set(t0.Add(time.Minute - time.Nanosecond))
			g.Flush()
			if got := len(rec.all()); got != c.sources {
				t.Fatalf("Flush before the minute ended wrote %d records", got-c.sources)
			}
			clk.set(t0.Add(time.Minute))
			g.Flush()
			recs := rec.all()
			if len(recs) != 2*c.sources {
				t.Fatalf("%d records, want %d", len(recs), 2*c.sources)
			}
			for s := range c.sources {
				first, agg := recs[s], recs[c.sources+s]
				if first.Reason != "unknown API key 0" || first.Source != src(s, 0).String() {
					t.Errorf("first record %+v, want the first failure's details", first)
				}
				keyText := Key(src(s, 0)).String()
				if s%2 == 1 {
					keyText = src(s, 0).String()
				}
				want := "999 more failed authentications from " + keyText + " between 10:04 and 10:05 UTC (last: unknown API key 999)"
				if agg.Reason != want || agg.Result != audit.Failure || agg.Operation != "Authentication" || agg.Source != src(s, 999).String() {
					t.Errorf("aggregate record %+v, want reason %q from the last source", agg, want)
				}
			}
			g.Flush()
			g.Close()
			if got := len(rec.all()); got != 2*c.sources {
				t.Errorf("a second Flush and Close wrote %d more records", got-2*c.sources)
			}
		})
	}
}

func TestAFailureInALaterMinuteWritesTheEarlierCountFirst(t *testing.T) {
	t.Parallel()
	g, clk, rec := newGuard(Config{})
	src := addr("192.0.2.7")
	for range 3 {
		g.Fail(src, authFailure(src, "unknown API key"))
	}
	clk.set(t0.Add(2*time.Minute + 5*time.Second))
	g.Fail(src, authFailure(src, "key expired"))
	recs := rec.all()
	if len(recs) != 3 {
		t.Fatalf("%d records, want 3: %+v", len(recs), recs)
	}
	if !strings.HasPrefix(recs[1].Reason, "2 more failed authentications from 192.0.2.7 between 10:04 and 10:05 UTC") {
		t.Errorf("second record %q, want the count of 10:04", recs[1].Reason)
	}
	if recs[2].Reason != "key expired" {
		t.Errorf("third record %q, want the first failure of 10:06 in full", recs[2].Reason)
	}
}

func TestLongAttackerTextIsCutInTheRecords(t *testing.T) {
	t.Parallel()
	g, _, rec := newGuard(Config{})
	src := addr("2001:db8::1")
	long := "/restapi/json/v1/resources/" + strings.Repeat("é", 8<<10) // 16 KiB and more, two bytes a character
	for range 2 {
		r := authFailure(src, strings.Repeat("ü", 8<<10))
		r.Target = long
		g.Fail(src, r)
	}
	g.Close()
	recs := rec.all()
	if len(recs) != 2 {
		t.Fatalf("%d records, want 2", len(recs))
	}
	for _, r := range recs {
		if len(r.Target) > 256 || len(r.Reason) > 512 || !utf8.ValidString(r.Target) || !utf8.ValidString(r.Reason) {
			t.Errorf("target of %d bytes, reason of %d bytes (valid UTF-8: %v, %v); want at most 256 and 512",
				len(r.Target), len(r.Reason), utf8.ValidString(r.Target), utf8.ValidString(r.Reason))
		}
	}
	if !strings.HasPrefix(recs[0].Target, "/restapi/json/v1/resources/éé") || !strings.HasSuffix(recs[0].Target, "é…") {
		t.Errorf("target %q, want the start of the path, marked as cut", recs[0].Target)
	}
	if !strings.HasPrefix(recs[1].Reason, "1 more failed authentications") || !strings.HasSuffix(recs[1].Reason, "ü…)") {
		t.Errorf("aggregate reason %q, want the count and the cut last reason", recs[1].Reason)
	}
}

func TestCut(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		in    string
		limit int
		want  string
	}{
		{"text within the limit is kept", "abc", 5, "abc"},
		{"text of exactly the limit is kept", "abcde", 5, "abcde"},
		{"longer text is cut and marked", "abcdefgh", 6, "abc…"},
		{"a character is never split", "ééééé", 8, "éé…"},
		{"invalid UTF-8 is repaired as the audit trail stores it", "a\xffb", 10, "a\uFFFDb"},
		{"repaired text that no longer fits is cut", "\xff\xfe\xfd-\xff\xfe\xfd-\xff", 8, "\uFFFD-…"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := cut(c.in, c.limit); got != c.want {
				t.Errorf("cut(%q, %d) = %q, want %q", c.in, c.limit, got, c.want)
			}
		})
	}
}

func FuzzCut(f *testing.F) {
	for _, s := range []string{"", "abc", "ééééé", "a\xffb", strings.Repeat("x", 300), "\xf0\x9f\x98"} {
		f.Add(s, 8)
	}
	f.Fuzz(func(t *testing.T, s string, limit int) {
		limit = 4 + (limit&0xffff)%600 // the limits in use are far above the ellipsis
		got := cut(s, limit)
		if len(got) > limit || !utf8.ValidString(got) {
			t.Fatalf("cut(%q, %d) = %q: %d bytes, valid %v", s, limit, got, len(got), utf8.ValidString(got))
		}
		if repaired := strings.ToValidUTF8(s, "\uFFFD"); len(repaired) <= limit && got != repaired {
			t.Fatalf("cut(%q, %d) = %q, want the text kept", s, limit, got)
		}
	})
}

func TestCloseWritesThePendingAggregates(t *testing.T) {
	t.Parallel()
	g, clk, rec := newGuard(Config{})
	for _, s := range []string{"192.0.2.1", "192.0.2.2"} {
		for range 3 {
			g.Fail(addr(s), authFailure(addr(s), "unknown API key"))
		}
	}
	clk.advance(30 * time.Second) // shutting down within the minute
	g.Close()
	recs := rec.all()
	if len(recs) != 4 {
		t.Fatalf("%d records, want 2 firsts and 2 aggregates", len(recs))
	}
	for _, r := range recs[2:] {
		if !strings.HasPrefix(r.Reason, "2 more failed authentications from 192.0.2.") {
			t.Errorf("aggregate %q, want a count of 2", r.Reason)
		}
	}
	g.Close()
	if n := len(rec.all()); n != 4 {
		t.Errorf("a second Close wrote %d more records", n-4)
	}
}

func TestAFullAggregateTableWritesTheEvictedCountFirst(t *testing.T) {
	t.Parallel()
	g, _, rec := newGuard(Config{MaxSources: 2})
	a, b, c := addr("192.0.2.1"), addr("192.0.2.2"), addr("192.0.2.3")
	g.Fail(a, authFailure(a, "first from a"))
	g.Fail(a, authFailure(a, "second from a"))
	g.Fail(b, authFailure(b, "first from b"))
	g.Fail(c, authFailure(c, "first from c")) // evicts a
	g.Close()
	var got []string
	for _, r := range rec.all() {
		got = append(got, r.Reason)
	}
	want := []string{"first from a", "first from b",
		"1 more failed authentications from 192.0.2.1 between 10:04 and 10:05 UTC (last: second from a)", "first from c"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("records\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Record writes to the store and fsyncs: under the guard's lock it would
// stall every request, and a Record that asks the guard would deadlock.
func TestRecordIsCalledWithoutTheGuardsLock(t *testing.T) {
	t.Parallel()
	clk := &clock{t: t0}
	var g *Guard
	calls := 0
	g = New(Config{MaxSources: 1, Clock: clk.now, Record: func(audit.Record) {
		calls++
		if !g.mu.TryLock() {
			t.Errorf("record %d was written under the guard's lock", calls)
			return
		}
		g.mu.Unlock()
	}})
	a, b := addr("192.0.2.1"), addr("192.0.2.2")
	g.Fail(a, authFailure(a, "x")) // first of a minute
	g.Fail(a, authFailure(a, "x"))
	g.Fail(b, authFailure(b, "x")) // evicts a's count
	g.Fail(b, authFailure(b, "x"))
	clk.advance(time.Minute)
	g.Flush() // b's count
	g.Fail(a, authFailure(a, "x"))
	g.Fail(a, authFailure(a, "x"))
	clk.advance(time.Minute)
	g.Fail(a, authFailure(a, "x")) // a's count of the minute before, and a first
	g.Fail(a, authFailure(a, "x"))
	g.Close() // a's count
	if calls != 8 {
		t.Errorf("%d records, want 8", calls)
	}
}

func TestConcurrentUseIsRaceFreeAndCountsEveryFailure(t *testing.T) {
	t.Parallel()
	g, clk, rec := newGuard(Config{Burst: 5, MaxSources: 16})
	const workers, each = 8, 2000
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				src := netip.AddrFrom4([4]byte{198, 51, 100, byte((w*each + i) % 64)})
				g.Blocked(src)
				g.Fail(src, authFailure(src, "unknown API key"))
			}
		})
	}
	done := make(chan struct{})
	var tick sync.WaitGroup
	tick.Go(func() {
		for {
			select {
			case <-done:
				return
			default:
				clk.advance(700 * time.Millisecond)
				g.Flush()
			}
		}
	})
	wg.Wait()
	close(done)
	tick.Wait()
	g.Close()
	if got := counted(t, rec.all()); got != workers*each {
		t.Errorf("the records account for %d failures, want %d", got, workers*each)
	}
}

func BenchmarkFail(b *testing.B) {
	g := New(Config{Clock: time.Now, Record: func(audit.Record) {}})
	srcs := make([]netip.Addr, 1<<16) // more than MaxSources: evictions included
	for i := range srcs {
		srcs[i] = netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 4: byte(i >> 8), 5: byte(i), 15: 1})
	}
	rec := authFailure(srcs[0], "unknown API key")
	i := 0
	for b.Loop() {
		g.Fail(srcs[i&(len(srcs)-1)], rec)
		i++
	}
}

func TestAClockThatGoesBackDoesNotBlockASourceForTheJump(t *testing.T) {
	t.Parallel()
	g, clk, _ := newGuard(Config{Burst: 10, Window: time.Minute})
	src := addr("192.0.2.8")
	g.Fail(src, authFailure(src, "unknown API key"))
	clk.advance(-2 * time.Hour)
	if b, w := g.Blocked(src); b {
		t.Fatalf("one failure, then the clock went back two hours: blocked for %v", w)
	}
	for range 10 {
		g.Fail(src, authFailure(src, "unknown API key"))
	}
	if b, _ := g.Blocked(src); !b {
		t.Fatal("the burst no longer limits after the jump")
	}
}

func TestAFailureSeenByAnotherNodeSpendsATokenHereWithoutARecord(t *testing.T) {
	var shared [][]byte
	var records int
	g := New(Config{Burst: 2, Window: time.Minute, Share: func(m []byte) { shared = append(shared, m) },
		Record: func(audit.Record) { records++ }})
	src := netip.MustParseAddr("2001:db8::1")
	g.Fail(src, audit.Record{})
	if len(shared) != 1 || string(shared[0]) != "2001:db8::/64" {
		t.Fatalf("shared %q, want the source's /64", shared)
	}
	h := New(Config{Burst: 2, Window: time.Minute, Record: func(audit.Record) { records++ }})
	for _, m := range shared {
		h.Remote(m)
	}
	h.Remote([]byte("not a prefix"))
	h.Remote([]byte("2001:db8::/48")) // not a source key: ignored
	if blocked, _ := h.Blocked(src); blocked {
		t.Fatal("one failure of two blocked the source")
	}
	h.Remote(shared[0])
	if blocked, _ := h.Blocked(netip.MustParseAddr("2001:db8::2")); !blocked {
		t.Error("two failures seen elsewhere do not block the source's /64 here")
	}
	if blocked, _ := h.Blocked(netip.MustParseAddr("2001:db9::1")); blocked {
		t.Error("another /64 is blocked")
	}
	if records != 1 {
		t.Errorf("%d records written, want 1 (by the node that saw the failure)", records)
	}
}
