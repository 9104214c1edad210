package hostcheck

import (
	"context"
	"net"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// Resolver is the DNS as host binding needs it; net.DefaultResolver fits.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Matcher decides whether a source address belongs to a host. Lookups are
// cached for TTL (both answers and failures), so a burst of requests costs
// one lookup, and a changed DNS record is seen within TTL.
type Matcher struct {
	resolver Resolver
	ttl      time.Duration
	timeout  time.Duration
	clock    func() time.Time

	mu      sync.Mutex
	forward map[string]cached[[]netip.Addr]
}

type cached[T any] struct {
	v       T
	expires time.Time
}

// NewMatcher returns a matcher with a 30 s cache and a 2 s lookup timeout.
func NewMatcher(r Resolver, clock func() time.Time) *Matcher {
	return &Matcher{resolver: r, ttl: 30 * time.Second, timeout: 2 * time.Second, clock: clock,
		forward: map[string]cached[[]netip.Addr]{}}
}

// Result explains a decision, for the audit record of a refusal.
type Result struct {
	OK       bool
	Resolved []string // what the hostname resolved to (forward lookup)
}

// Match reports whether addr is h: the address itself, inside the CIDR, or
// one of the hostname's A/AAAA addresses.
//
// A reverse (PTR) name is believed only when forward-confirmed, because
// the owner of an address writes its PTR record and can make it name any
// host. Confirming a PTR that names h means finding addr among h's own
// A/AAAA records, and that is exactly the forward check: once confirmed,
// the reverse answer can never change the decision. So no reverse lookup
// is made, which also spares a lookup that the client's DNS could stall.
func (m *Matcher) Match(ctx context.Context, h Host, addr netip.Addr) Result {
	addr = addr.Unmap()
	switch h.Kind {
	case KindIP:
		return Result{OK: h.Addr == addr}
	case KindCIDR:
		return Result{OK: h.Prefix.Contains(addr)}
	}
	res := Result{}
	for _, a := range m.lookupForward(ctx, h.Name) {
		res.Resolved = append(res.Resolved, a.String())
		if a.Unmap() == addr {
			res.OK = true
		}
	}
	return res
}

func (m *Matcher) lookupForward(ctx context.Context, name string) []netip.Addr {
	now := m.clock()
	m.mu.Lock()
	c, ok := m.forward[name]
	m.mu.Unlock()
	if ok && now.Before(c.expires) {
		return c.v
	}
	ctx, cancel := context.WithTimeout(ctx, m.timeout)
	defer cancel()
	addrs, _ := m.resolver.LookupNetIP(ctx, "ip", name)
	m.mu.Lock()
	m.forward[name] = cached[[]netip.Addr]{v: addrs, expires: now.Add(m.ttl)}
	m.mu.Unlock()
	return addrs
}

// Proxies is the list of trusted proxies whose X-Forwarded-For is believed.
type Proxies []netip.Prefix

// ParseProxies reads a comma-separated list of IPs and CIDRs.
func ParseProxies(s string) (Proxies, error) {
	var out Proxies
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		h, err := Parse(f)
		if err != nil || h.Kind == KindHostname {
			return nil, ErrInvalid
		}
		if h.Kind == KindIP {
			out = append(out, netip.PrefixFrom(h.Addr, h.Addr.BitLen()))
		} else {
			out = append(out, h.Prefix)
		}
	}
	return out, nil
}

// Source returns the client address of a request: the peer, or, when the
// peer is a trusted proxy, the right-most X-Forwarded-For entry that is not
// itself a trusted proxy. xff holds every X-Forwarded-For header line
// (Header.Values), read as one list in order: a client can send a line of
// its own before the proxy's, so the first line alone may be a forgery.
func (p Proxies) Source(remoteAddr string, xff []string) (netip.Addr, bool) {
	ap, err := netip.ParseAddrPort(remoteAddr)
	var peer netip.Addr
	if err == nil {
		peer = ap.Addr().Unmap()
	} else if h, _, err := net.SplitHostPort(remoteAddr); err == nil {
		if peer, err = netip.ParseAddr(h); err != nil {
			return netip.Addr{}, false
		}
		peer = peer.Unmap()
	} else {
		return netip.Addr{}, false
	}
	if len(xff) == 0 || !p.trusted(peer) {
		return peer, true
	}
	for i := len(xff) - 1; i >= 0; i-- {
		hops := strings.Split(xff[i], ",")
		for j := len(hops) - 1; j >= 0; j-- {
			a, err := netip.ParseAddr(strings.TrimSpace(hops[j]))
			if err != nil {
				return peer, true // a garbled header is not believed
			}
			a = a.Unmap()
			if !p.trusted(a) {
				return a, true
			}
		}
	}
	return peer, true
}

func (p Proxies) trusted(a netip.Addr) bool {
	for _, pr := range p {
		if pr.Contains(a) {
			return true
		}
	}
	return false
}
