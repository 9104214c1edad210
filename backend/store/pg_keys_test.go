package store

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// randomKey joins 1-5 pieces with separators ("/" or "\x00"): constant words (some with digits, "~", a
// space or non-ASCII inside), Num() values, and mixed pieces (a number
// followed by a word).
func randomKey(r *rand.Rand) string {
	words := []string{"users", "audit", "rec", "vault", "res", "acct", "head", "name", "v2", "a~b", "x y", "naïve", "Z", "by-name"}
	n := 1 + r.IntN(5)
	pieces := make([]string, n)
	for i := range pieces {
		switch r.IntN(3) {
		case 0:
			pieces[i] = words[r.IntN(len(words))]
		case 1:
			pieces[i] = Num(uint64(r.IntN(40)))
		default:
			pieces[i] = Num(uint64(r.IntN(40))) + words[r.IntN(len(words))]
		}
	}
	var b strings.Builder
	for i, p := range pieces {
		if i > 0 {
			b.WriteByte("/\x00"[r.IntN(4)/3]) // "\x00" one time in four
		}
		b.WriteString(p)
	}
	return b.String()
}

// prefixes lists the scan prefixes of key that map exactly: each cut after
// a separator or inside or after a piece's leading digits.
func prefixes(key string) []string {
	var out []string
	for i := 0; i <= len(key); i++ {
		piece := key[strings.LastIndexAny(key[:i], "/\x00")+1 : i]
		if leadingDigits(piece) == len(piece) {
			out = append(out, key[:i])
		}
	}
	return out
}

// orderDefined reports whether the store promises an order between a and
// b: at the first piece where they differ, both pieces start with a
// Num()-wide number and the numbers differ, or one is a number alone and
// the other a word (numbers first); or the separators before a piece
// differ; or one key is the other's ancestor.
func orderDefined(a, b string) bool {
	type part struct {
		sep   byte
		piece string
	}
	split := func(k string) (out []part) {
		pieces(k, func(sep byte, piece string) error { out = append(out, part{sep, piece}); return nil })
		return out
	}
	pa, pb := split(a), split(b)
	for i := 0; i < len(pa) && i < len(pb); i++ {
		if pa[i].sep != pb[i].sep {
			return true
		}
		x, y := pa[i].piece, pb[i].piece
		if x == y {
			continue
		}
		dx, dy := leadingDigits(x), leadingDigits(y)
		switch {
		case dx == 20 && dy == 20 && x[:20] != y[:20]:
			return true
		case (dx == len(x) && dy == 0) || (dy == len(y) && dx == 0):
			return true
		}
		return false
	}
	return true // one is the other, or its ancestor
}

func TestStoredKeysDecodeAndKeepTheOrderOfNumbers(t *testing.T) {
	c, err := newKeyCodec(newKey(t))
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	set := map[string]bool{}
	for range 600 {
		set[randomKey(r)] = true
	}
	ks := slices.Sorted(func(yield func(string) bool) {
		for k := range set {
			if !yield(k) {
				return
			}
		}
	})
	enc := map[string][]byte{}
	for _, k := range ks {
		e := c.encode(k)
		if got, err := c.decode(e); err != nil || got != k {
			t.Fatalf("decode(encode(%q)) = %q, %v", k, got, err)
		}
		if bytes.Contains(e, []byte("users")) || bytes.Contains(e, []byte("vault")) {
			t.Fatalf("%q is stored with a word in the clear: %q", k, e)
		}
		enc[k] = e
	}
	// Order: wherever the store promises one, stored and plaintext agree.
	for i, a := range ks {
		for _, b := range ks[i+1:] {
			if orderDefined(a, b) && bytes.Compare(enc[a], enc[b]) >= 0 {
				t.Fatalf("%q < %q but stored %q >= %q", a, b, enc[a], enc[b])
			}
		}
	}
	// Prefixes: the keys under an exact stored prefix are exactly those
	// under the plaintext one, and in plaintext order where it is defined.
	seen := map[string]bool{}
	for _, k := range ks {
		for _, p := range prefixes(k) {
			if seen[p] {
				continue
			}
			seen[p] = true
			sp, exact := c.scanPrefix(p)
			if !exact {
				t.Fatalf("prefix %q should map exactly", p)
			}
			var plain, stored []string
			for _, k := range ks {
				if strings.HasPrefix(k, p) {
					plain = append(plain, k)
				}
				if bytes.HasPrefix(enc[k], sp) {
					stored = append(stored, k)
				}
			}
			if !slices.Equal(plain, stored) {
				t.Fatalf("prefix %q: plaintext has %d keys, stored prefix %q has %d", p, len(plain), sp, len(stored))
			}
		}
	}
	// A prefix that ends inside a word maps to a stored prefix that holds
	// at least its keys (the scan filters the rest).
	for _, p := range []string{"us", "users/000", "vault/res/0000000000000000000", "audit/re", "00000000000000000001na", "rec\x00na"} {
		sp, exact := c.scanPrefix(p)
		if piece := p[strings.LastIndexAny(p, "/\x00")+1:]; exact != (leadingDigits(piece) == len(piece)) {
			t.Fatalf("prefix %q: exact = %v", p, exact)
		}
		for _, k := range ks {
			if strings.HasPrefix(k, p) && !bytes.HasPrefix(enc[k], sp) {
				t.Fatalf("prefix %q: %q is not under stored %q", p, k, sp)
			}
		}
	}
}

func TestATamperedOrForeignStoredKeyDoesNotDecode(t *testing.T) {
	c, _ := newKeyCodec(newKey(t))
	other, _ := newKeyCodec(newKey(t))
	e := c.encode("users/" + Num(3) + "/name")
	if _, err := other.decode(e); err == nil {
		t.Fatal("another key decodes the stored key")
	}
	for i := range e {
		if e[i] == '/' || (e[i] >= '0' && e[i] <= '9') {
			continue // numbers are plain: changing one changes the key
		}
		bad := bytes.Clone(e)
		bad[i] ^= 1
		if k, err := c.decode(bad); err == nil {
			t.Fatalf("flipping byte %d decodes to %q", i, k)
		}
	}
	if k, err := c.decode(c.encode("")); err != nil || k != "" {
		t.Fatalf("empty key: %q, %v", k, err)
	}
}
