package hostcheck

import (
	"strings"
	"testing"
)

// FuzzParseProxies: the trusted-proxies setting and the X-Forwarded-For
// header are outside input. Neither may panic; a parsed list prints back to
// a list that parses to the same, and Source always names a valid address.
// xff holds the header lines separated by "\n"; several lines say what one
// comma-joined line says (RFC 9110 §5.3).
func FuzzParseProxies(f *testing.F) {
	for _, s := range [][3]string{
		{"10.0.0.1, 192.168.0.0/16", "10.0.0.1:443", "203.0.113.9, 10.0.0.1"},
		{"", "127.0.0.1:1", ""},
		{"::1,fe80::/10", "[::1]:80", "2001:db8::1,::1"},
		{"a.example,1.2.3.4", "bad", "x, y"},
		{"0.0.0.0/0", "[::ffff:1.2.3.4]:5", ",,,"},
		{"127.0.0.1", "127.0.0.1:9", "10.0.0.5\n198.51.100.7"},
		{"127.0.0.0/8", "127.0.0.1:9", "6.6.6.6, 127.0.0.2\n\n127.0.0.3"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, list, remote, xff string) {
		p, err := ParseProxies(list)
		if err != nil {
			return
		}
		parts := make([]string, len(p))
		for i, pr := range p {
			if !pr.IsValid() {
				t.Fatalf("%q gave an invalid prefix", list)
			}
			parts[i] = pr.String()
		}
		again, err := ParseProxies(strings.Join(parts, ","))
		if err != nil || len(again) != len(p) {
			t.Fatalf("%q -> %q -> %v, %v", list, parts, again, err)
		}
		for i := range p {
			if again[i] != p[i] {
				t.Fatalf("%q: %v became %v", list, p[i], again[i])
			}
		}
		lines := strings.Split(xff, "\n")
		a, ok := p.Source(remote, lines)
		if ok && !a.IsValid() {
			t.Fatalf("Source(%q, %q) = %v, true", remote, lines, a)
		}
		joined, jok := p.Source(remote, []string{strings.Join(lines, ",")})
		if joined != a || jok != ok {
			t.Fatalf("Source(%q, %q) = %v, %v but the joined line gives %v, %v", remote, lines, a, ok, joined, jok)
		}
	})
}
