package apikey

import (
	"bytes"
	"errors"
	"hash/crc32"
	"math/big"
	"strconv"
	"strings"
	"testing"

	"hostbound/backend/keys"
)

func TestGeneratedKeysParseAndDiffer(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 200 {
		k, err := Generate()
		if err != nil {
			t.Fatal(err)
		}
		if len(k.String()) != Len || !strings.HasPrefix(k.String(), "hbk_") {
			t.Fatalf("bad shape %d", len(k.String()))
		}
		p, err := Parse(k.String())
		if err != nil || p != k {
			t.Fatalf("round trip: %v", err)
		}
		if seen[k.String()] {
			t.Fatal("duplicate key")
		}
		seen[k.String()] = true
		if k.Hint() != k.String()[:8] {
			t.Fatal("hint")
		}
	}
}

func TestParseRejectsTyposAndJunk(t *testing.T) {
	t.Parallel()
	k, _ := Generate()
	s := k.String()
	flip := func(i int) string {
		b := []byte(s)
		if b[i] == 'a' {
			b[i] = 'b'
		} else {
			b[i] = 'a'
		}
		return string(b)
	}
	cases := []struct {
		name string
		in   string
		want error
	}{
		{"one changed body character fails the checksum", flip(10), ErrChecksum},
		{"one changed checksum character fails the checksum", flip(Len - 1), ErrChecksum},
		{"a truncated key is malformed", s[:Len-1], ErrMalformed},
		{"another prefix is malformed", "xyz_" + s[4:], ErrMalformed},
		{"a character outside base62 is malformed", s[:20] + "-" + s[21:], ErrMalformed},
		{"empty is malformed", "", ErrMalformed},
	}
	for _, c := range cases {
		if _, err := Parse(c.in); !errors.Is(err, c.want) {
			t.Errorf("%s: got %v", c.name, err)
		}
	}
}

func TestHashDependsOnPepperAndKey(t *testing.T) {
	t.Parallel()
	a, _ := Generate()
	b, _ := Generate()
	p1, p2 := keys.NewMAC([]byte("pepper-one")), keys.NewMAC([]byte("pepper-two"))
	if Hash(p1, a) != Hash(p1, a) {
		t.Fatal("not deterministic")
	}
	if Hash(p1, a) == Hash(p2, a) || Hash(p1, a) == Hash(p1, b) {
		t.Fatal("collision")
	}
	h := Hash(p1, a)
	if bytes.Contains(h[:], []byte(a.String())) {
		t.Fatal("hash holds the key")
	}
}

func FuzzParse(f *testing.F) {
	k, _ := Generate()
	f.Add(k.String())
	f.Add("hbk_")
	f.Add("")
	f.Add(strings.Repeat("z", Len))
	f.Fuzz(func(t *testing.T, s string) {
		key, err := Parse(s)
		if err != nil {
			return
		}
		if key.String() != s || len(s) != Len {
			t.Fatalf("accepted %q as %q", s, key.String())
		}
	})
}

// The checksum in machine arithmetic is the base62 encoding the key
// format defines (encode, as the body is written), for any body.
func TestChecksumIsTheBase62OfTheCRC(t *testing.T) {
	t.Parallel()
	for i := range 2000 {
		body := strings.Repeat(string(rune('0'+i%10)), i%50) + strconv.Itoa(i*7919)
		want := encode(new(big.Int).SetUint64(uint64(crc32.ChecksumIEEE([]byte(body)))), sumLen)
		if got := checksum(body); got != want {
			t.Fatalf("checksum(%q) = %s, want %s", body, got, want)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	k, _ := Generate()
	s := k.String()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(s); err != nil {
			b.Fatal(err)
		}
	}
}
