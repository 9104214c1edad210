package hostcheck

import (
	"context"
	"errors"
	"net/http"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"
)

type fakeDNS struct {
	forward map[string][]netip.Addr
	reverse map[string][]string
	err     error // returned by every lookup when set
	calls   atomic.Int32
}

func (f *fakeDNS) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	f.calls.Add(1)
	return f.forward[host], f.err
}

func (f *fakeDNS) LookupAddr(_ context.Context, addr string) ([]string, error) {
	f.calls.Add(1)
	return f.reverse[addr], f.err
}

func mustHost(t *testing.T, s string) Host {
	t.Helper()
	h, err := Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestMatch(t *testing.T) {
	t.Parallel()
	dns := &fakeDNS{
		forward: map[string][]netip.Addr{"web01.example.com": {netip.MustParseAddr("10.0.0.5"), netip.MustParseAddr("2001:db8::5")}},
	}
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	m := NewMatcher(dns, func() time.Time { return now })
	cases := []struct {
		name string
		host string
		addr string
		ok   bool
	}{
		{"the registered IP matches", "10.0.0.5", "10.0.0.5", true},
		{"another IP does not", "10.0.0.5", "10.0.0.6", false},
		{"an IPv4-mapped source matches its IPv4", "10.0.0.5", "::ffff:10.0.0.5", true},
		{"an address inside the CIDR matches", "10.0.0.0/24", "10.0.0.200", true},
		{"an address outside the CIDR does not", "10.0.0.0/24", "10.0.1.1", false},
		{"a forward-resolved address matches", "web01.example.com", "2001:db8::5", true},
		{"an IPv4-mapped source matches a forward-resolved IPv4", "web01.example.com", "::ffff:10.0.0.5", true},
		{"an unrelated address does not", "web01.example.com", "192.0.2.1", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := m.Match(context.Background(), mustHost(t, c.host), netip.MustParseAddr(c.addr)); got.OK != c.ok {
				t.Errorf("got %+v, want OK=%v", got, c.ok)
			}
		})
	}
}

func TestARefusalSaysWhatTheHostnameResolvedTo(t *testing.T) {
	t.Parallel()
	dns := &fakeDNS{
		forward: map[string][]netip.Addr{"web01.example.com": {netip.MustParseAddr("10.0.0.5"), netip.MustParseAddr("2001:db8::5")}},
		reverse: map[string][]string{"192.0.2.1": {"web01.example.com."}},
	}
	m := NewMatcher(dns, func() time.Time { return time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC) })
	res := m.Match(context.Background(), mustHost(t, "web01.example.com"), netip.MustParseAddr("192.0.2.1"))
	if res.OK || len(res.Resolved) != 2 || res.Resolved[0] != "10.0.0.5" || res.Resolved[1] != "2001:db8::5" {
		t.Errorf("got %+v, want a refusal naming 10.0.0.5 and 2001:db8::5", res)
	}
}

// A PTR record is written by whoever owns the address, so it proves
// nothing alone: only the bound name's own A/AAAA records can vouch for an
// address (forward-confirmed reverse DNS).
func TestAReverseNameIsBelievedOnlyWhenForwardConfirmed(t *testing.T) {
	t.Parallel()
	dns := &fakeDNS{
		forward: map[string][]netip.Addr{"web01.example.com": {netip.MustParseAddr("10.0.0.5")}},
		reverse: map[string][]string{
			"10.0.0.5":    {"web01.example.com."},
			"203.0.113.6": {"WEB01.example.com."}, // the attacker's own PTR
		},
	}
	m := NewMatcher(dns, func() time.Time { return time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC) })
	cases := []struct {
		name string
		addr string
		ok   bool
	}{
		{"a PTR naming the host from an address the host's A records lack is refused", "203.0.113.6", false},
		{"a PTR naming the host from an address its A records hold is accepted", "10.0.0.5", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			res := m.Match(context.Background(), mustHost(t, "web01.example.com"), netip.MustParseAddr(c.addr))
			if res.OK != c.ok {
				t.Errorf("got %+v, want OK=%v", res, c.ok)
			}
			if len(res.Resolved) != 1 || res.Resolved[0] != "10.0.0.5" {
				t.Errorf("resolved %v, want the forward answer [10.0.0.5]", res.Resolved)
			}
		})
	}
}

func TestLookupsAreCachedForTheTTL(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		dns  *fakeDNS
	}{
		{"an answer is cached", &fakeDNS{forward: map[string][]netip.Addr{"web01.example.com": {netip.MustParseAddr("10.0.0.5")}}}},
		{"a failure is cached", &fakeDNS{err: errors.New("SERVFAIL")}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var now atomic.Int64
			start := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
			m := NewMatcher(c.dns, func() time.Time { return start.Add(time.Duration(now.Load())) })
			h, stranger := mustHost(t, "web01.example.com"), netip.MustParseAddr("192.0.2.1")
			m.Match(context.Background(), h, stranger)
			first := c.dns.calls.Load()
			if first == 0 {
				t.Fatal("no lookup was made")
			}
			now.Store(int64(29 * time.Second))
			for range 100 {
				m.Match(context.Background(), h, stranger)
			}
			if n := c.dns.calls.Load(); n != first {
				t.Errorf("%d more lookups within the TTL", n-first)
			}
			now.Store(int64(31 * time.Second))
			m.Match(context.Background(), h, stranger)
			if n := c.dns.calls.Load(); n == first {
				t.Error("the cached entry outlived its TTL")
			}
		})
	}
}

func TestForwardedForIsBelievedOnlyFromTrustedProxies(t *testing.T) {
	t.Parallel()
	p, err := ParseProxies("127.0.0.1, 10.9.0.0/16")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		remote string
		xff    []string
		want   string
	}{
		{"an untrusted peer's header is ignored", "192.0.2.7:5555", []string{"10.0.0.5"}, "192.0.2.7"},
		{"a trusted peer's header is believed", "127.0.0.1:5555", []string{"10.0.0.5"}, "10.0.0.5"},
		{"the right-most untrusted hop is the client", "127.0.0.1:5555", []string{"6.6.6.6, 10.0.0.5"}, "10.0.0.5"},
		{"a trusted hop is skipped", "127.0.0.1:5555", []string{"10.0.0.5, 10.9.1.1"}, "10.0.0.5"},
		{"a garbled header means the peer", "127.0.0.1:5555", []string{"garbage"}, "127.0.0.1"},
		{"no header means the peer", "[::1]:80", nil, "::1"},
		{"a later header line holds later hops", "127.0.0.1:5555", []string{"6.6.6.6", "10.0.0.5"}, "10.0.0.5"},
		{"trusted hops are skipped across lines", "127.0.0.1:5555", []string{"6.6.6.6, 10.0.0.5", "10.9.1.1", "10.9.2.2"}, "10.0.0.5"},
		{"a garbled entry on any line reached means the peer", "127.0.0.1:5555", []string{"10.0.0.5", "junk", "10.9.1.1"}, "127.0.0.1"},
		{"an IPv4-mapped hop counts as its IPv4", "[::1]:80", []string{"::ffff:10.0.0.5"}, "10.0.0.5"},
	}
	p = append(p, netip.MustParsePrefix("::1/128"))
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, ok := p.Source(c.remote, c.xff)
			if !ok || got.String() != c.want {
				t.Errorf("Source(%q, %q) = %v, %v; want %s", c.remote, c.xff, got, ok, c.want)
			}
		})
	}
	if _, err := ParseProxies("proxy.example.com"); err == nil {
		t.Error("a hostname proxy was accepted")
	}
}

// The proxy appends the peer it saw to the last X-Forwarded-For line, or
// adds a line of its own; the first line is whatever the client sent. Only
// every line together says who the proxy saw.
func TestASpoofedFirstForwardedForLineDoesNotHideTheClient(t *testing.T) {
	t.Parallel()
	p, err := ParseProxies("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	r, err := http.NewRequest(http.MethodGet, "https://vault.example/restapi/json/v1/resources", nil)
	if err != nil {
		t.Fatal(err)
	}
	r.RemoteAddr = "127.0.0.1:40000"
	r.Header.Add("X-Forwarded-For", "10.0.0.5")     // the attacker's claim: the bound host
	r.Header.Add("X-Forwarded-For", "198.51.100.7") // appended by the proxy: the real client
	got, ok := p.Source(r.RemoteAddr, r.Header.Values("X-Forwarded-For"))
	if !ok || got != netip.MustParseAddr("198.51.100.7") {
		t.Errorf("Source = %v, %v; want the real client 198.51.100.7", got, ok)
	}
}
