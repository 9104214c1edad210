// Package apikey makes and checks Hostbound API keys.
//
// A key is "hbk_" + 43 base62 characters holding 256 random bits + 6 base62
// characters of CRC32 over the body: 53 characters in all. The prefix lets
// secret scanners find leaked keys; the checksum catches typos and junk
// before any lookup. Only HMAC-SHA256(pepper, key) is ever stored, with the
// pepper derived from the master key (package keys), so a copy of the store
// is no list of usable keys.
package apikey

import (
	"crypto/hmac"
	"crypto/rand"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math/big"
	"strings"

	"hostbound/backend/keys"
)

const (
	// Prefix starts every key.
	Prefix = "hbk_"
	// bodyLen base62 characters hold 256 bits (62^43 > 2^256).
	bodyLen = 43
	// sumLen base62 characters hold a CRC32 (62^6 > 2^32).
	sumLen = 6
	// Len is the length of a whole key.
	Len = len(Prefix) + bodyLen + sumLen
	// HintLen is how much of a key may be shown after it is saved.
	HintLen = 8
)

// Errors of Parse. Neither message holds the key.
var (
	ErrMalformed = errors.New("not a Hostbound API key")
	ErrChecksum  = errors.New("API key checksum does not match (mistyped or truncated)")
)

const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// Key is a parsed, well-formed key. Its String is the secret: never log it.
type Key struct{ s string }

// String returns the key text.
func (k Key) String() string { return k.s }

// Hint returns the first HintLen characters, safe to display.
func (k Key) Hint() string { return k.s[:HintLen] }

// Generate returns a new key from crypto/rand.
func Generate() (Key, error) { return generate(rand.Reader) }

func generate(r io.Reader) (Key, error) {
	b := make([]byte, 32)
	if _, err := io.ReadFull(r, b); err != nil {
		return Key{}, fmt.Errorf("generate api key: %w", err)
	}
	body := encode(new(big.Int).SetBytes(b), bodyLen)
	return Key{s: Prefix + body + checksum(body)}, nil
}

// Parse checks the shape and the checksum of s.
func Parse(s string) (Key, error) {
	if len(s) != Len || !strings.HasPrefix(s, Prefix) {
		return Key{}, ErrMalformed
	}
	rest := s[len(Prefix):]
	for i := 0; i < len(rest); i++ {
		if strings.IndexByte(alphabet, rest[i]) < 0 {
			return Key{}, ErrMalformed
		}
	}
	body, sum := rest[:bodyLen], rest[bodyLen:]
	if !hmac.Equal([]byte(checksum(body)), []byte(sum)) {
		return Key{}, ErrChecksum
	}
	return Key{s: s}, nil
}

// Hash is what the store keeps of a key: HMAC-SHA256(pepper, key), with
// pepper the MAC's key.
func Hash(pepper *keys.MAC, k Key) [32]byte {
	var out [32]byte
	pepper.Sum(out[:0], []byte(k.s))
	return out
}

// checksum is the body's CRC-32 in base62, sumLen digits (62^6 > 2^32),
// in machine arithmetic: every call of the retrieval path parses a key.
func checksum(body string) string {
	var out [sumLen]byte
	n := crc32.ChecksumIEEE([]byte(body))
	for i := sumLen - 1; i >= 0; i-- {
		out[i] = alphabet[n%62]
		n /= 62
	}
	return string(out[:])
}

// encode writes n in base62 with exactly width digits, zero-padded.
func encode(n *big.Int, width int) string {
	out := make([]byte, width)
	base := big.NewInt(62)
	mod := new(big.Int)
	for i := width - 1; i >= 0; i-- {
		n.DivMod(n, base, mod)
		out[i] = alphabet[mod.Int64()]
	}
	return string(out)
}
