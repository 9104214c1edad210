// Package hostcheck parses the Host of an API user and decides whether a
// request's source address belongs to it.
//
// A host is exactly one of: an IPv4 or IPv6 address, a CIDR block (beyond
// PMP), or a hostname/FQDN (RFC 1123 labels). Parse returns it in canonical
// form: addresses unmapped and compressed, CIDRs masked, hostnames lower
// case without a trailing dot.
package hostcheck

import (
	"errors"
	"net/netip"
	"strings"
)

// Kind of host.
type Kind string

const (
	KindIP       Kind = "ip"
	KindCIDR     Kind = "cidr"
	KindHostname Kind = "hostname"
)

// Host is a parsed Host field.
type Host struct {
	Kind   Kind
	Addr   netip.Addr   // KindIP
	Prefix netip.Prefix // KindCIDR
	Name   string       // KindHostname
}

// String is the canonical form, what is stored and shown.
func (h Host) String() string {
	switch h.Kind {
	case KindIP:
		return h.Addr.String()
	case KindCIDR:
		return h.Prefix.String()
	default:
		return h.Name
	}
}

// ErrInvalid says the rule; the caller names the field.
var ErrInvalid = errors.New("not a valid hostname, IP address or CIDR")

// Parse reads one host.
func Parse(s string) (Host, error) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 253+1 {
		return Host{}, ErrInvalid
	}
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return Host{}, ErrInvalid
		}
		if p.Addr().Is4In6() {
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
			if !p.IsValid() {
				return Host{}, ErrInvalid
			}
		}
		return Host{Kind: KindCIDR, Prefix: p.Masked()}, nil
	}
	if a, err := netip.ParseAddr(s); err == nil {
		if a.Zone() != "" {
			return Host{}, ErrInvalid // a zone only means something on one machine
		}
		return Host{Kind: KindIP, Addr: a.Unmap()}, nil
	}
	name := strings.ToLower(strings.TrimSuffix(s, "."))
	if !validHostname(name) {
		return Host{}, ErrInvalid
	}
	return Host{Kind: KindHostname, Name: name}, nil
}

// validHostname applies RFC 1123 (and RFC 3696: the last label is not all
// digits, so "10.0.0.300" is no hostname).
func validHostname(s string) bool {
	if len(s) == 0 || len(s) > 253 {
		return false
	}
	labels := strings.Split(s, ".")
	for _, l := range labels {
		if len(l) == 0 || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	last := labels[len(labels)-1]
	return strings.Trim(last, "0123456789") != ""
}
