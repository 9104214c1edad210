package hostcheck

import (
	"context"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"
)

type fakeDNS struct {
	forward map[string][]netip.Addr
	reverse map[string][]string
	calls   atomic.Int32
}

func (f *fakeDNS) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	f.calls.Add(1)
	return f.forward[host], nil
}

func (f *fakeDNS) LookupAddr(_ context.Context, addr string) ([]string, error) {
	f.calls.Add(1)
	return f.reverse[addr], nil
}

func TestMatch(t *testing.T) {
	t.Parallel()
	dns := &fakeDNS{
		forward: map[string][]netip.Addr{"web01.example.com": {netip.MustParseAddr("10.0.0.5"), netip.MustParseAddr("2001:db8::5")}},
		reverse: map[string][]string{"10.0.0.9": {"WEB01.example.com."}},
	}
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	m := NewMatcher(dns, func() time.Time { return now })
	host := func(s string) Host { h, _ := Parse(s); return h }
	addr := netip.MustParseAddr
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
		{"a reverse name equal to the hostname matches", "web01.example.com", "10.0.0.9", true},
		{"an unrelated address does not", "web01.example.com", "192.0.2.1", false},
	}
	for _, c := range cases {
		if got := m.Match(context.Background(), host(c.host), addr(c.addr)); got.OK != c.ok {
			t.Errorf("%s: got %v", c.name, got)
		}
	}
	res := m.Match(context.Background(), host("web01.example.com"), addr("192.0.2.1"))
	if len(res.Resolved) != 2 || res.Resolved[0] != "10.0.0.5" {
		t.Errorf("resolved %v", res.Resolved)
	}
	before := dns.calls.Load()
	for range 100 {
		m.Match(context.Background(), host("web01.example.com"), addr("192.0.2.1"))
	}
	if dns.calls.Load() != before {
		t.Errorf("lookups were not cached: %d more", dns.calls.Load()-before)
	}
}

func TestForwardedForIsBelievedOnlyFromTrustedProxies(t *testing.T) {
	t.Parallel()
	p, err := ParseProxies("127.0.0.1, 10.9.0.0/16")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ remote, xff, want string }{
		{"192.0.2.7:5555", "10.0.0.5", "192.0.2.7"},          // untrusted peer: header ignored
		{"127.0.0.1:5555", "10.0.0.5", "10.0.0.5"},           // trusted peer
		{"127.0.0.1:5555", "6.6.6.6, 10.0.0.5", "10.0.0.5"},  // right-most untrusted hop
		{"127.0.0.1:5555", "10.0.0.5, 10.9.1.1", "10.0.0.5"}, // skips a trusted hop
		{"127.0.0.1:5555", "garbage", "127.0.0.1"},
		{"[::1]:80", "", "::1"},
	}
	for _, c := range cases {
		got, ok := p.Source(c.remote, c.xff)
		if !ok || got.String() != c.want {
			t.Errorf("Source(%q, %q) = %v, want %s", c.remote, c.xff, got, c.want)
		}
	}
	if _, err := ParseProxies("proxy.example.com"); err == nil {
		t.Error("a hostname proxy was accepted")
	}
}
