package hostcheck

import (
	"errors"
	"testing"
)

func TestParse(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		kind Kind
		out  string
	}{
		{"web01.example.com", KindHostname, "web01.example.com"},
		{"WEB01.Example.COM.", KindHostname, "web01.example.com"},
		{"localhost", KindHostname, "localhost"},
		{"192.168.1.20", KindIP, "192.168.1.20"},
		{" 10.0.0.1 ", KindIP, "10.0.0.1"},
		{"2001:db8::0:1", KindIP, "2001:db8::1"},
		{"::ffff:10.1.2.3", KindIP, "10.1.2.3"},
		{"10.20.0.7/16", KindCIDR, "10.20.0.0/16"},
		{"2001:db8::/32", KindCIDR, "2001:db8::/32"},
		{"::ffff:10.0.0.0/104", KindCIDR, "10.0.0.0/8"},
	}
	for _, c := range cases {
		h, err := Parse(c.in)
		if err != nil || h.Kind != c.kind || h.String() != c.out {
			t.Errorf("Parse(%q) = %v %q, %v; want %v %q", c.in, h.Kind, h.String(), err, c.kind, c.out)
		}
	}
	for _, bad := range []string{"", " ", "web 01", "-web.example.com", "web-.example.com", "a..b", "10.0.0.300",
		"1.2.3", "10.0.0.1/33", "fe80::1%eth0", "exa_mple.com", "web01.example.com,db01", "http://web01",
		"a.b.c.d.e.f.g.h." + string(make([]byte, 250))} {
		if _, err := Parse(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"web01.example.com", "10.0.0.1", "10.0.0.0/8", "::1", "a-b.c", "1.2.3.4/40"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := Parse(s)
		if err != nil {
			return
		}
		// Canonical forms are stable: parsing the output gives the output.
		again, err := Parse(h.String())
		if err != nil || again.String() != h.String() || again.Kind != h.Kind {
			t.Fatalf("%q -> %q -> %q, %v", s, h.String(), again.String(), err)
		}
	})
}
