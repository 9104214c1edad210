package store

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"strings"

	"hostbound/backend/keys"
)

// Key encoding of the PostgreSQL engine. A dump of its table must not show
// key names (user names, resource names), yet prefix scans and the order
// of numbered keys must work on the stored bytes. So each piece between
// separators ("/", and "\x00", which the audit index puts between a value
// and a number) is encoded on its own, and the separators stay:
//
//	piece  = digits rest      (digits: the leading run of ASCII 0-9, maybe empty)
//	stored = digits           when rest is empty
//	       | digits "~" token otherwise
//	token  = base64url-raw(iv || AES-256-CTR(kEnc, iv, rest)),
//	         iv = HMAC-SHA256(kMAC, rest)[:16]
//
// Digits stay plain, so Num() values keep their order and a prefix ending
// in digits or a separator maps exactly. The rest is encrypted
// deterministically (SIV style: the same rest always gives the same token,
// which a prefix scan needs) and authenticated (decoding recomputes the
// iv). "~" is neither a digit nor a separator, and none of them occurs in
// base64url, so a stored key splits back into pieces and each piece into
// digits and token without ambiguity. "~" sorts above the digits and the
// separators, as letters do: a word piece still sorts after a number at
// the same place. Words among themselves have no order in storage: a scan
// returns them in the order of their tokens.
//
// What a dump shows: the numbers, the shape of each key (pieces, their
// lengths) and which keys share a piece. Not the words.
type keyCodec struct {
	mac *keys.MAC // of the synthetic iv
	enc cipher.Block
}

// tokenSep starts the encrypted part of a piece.
const tokenSep = '~'

// ivSize is the synthetic iv's length (AES block).
const ivSize = aes.BlockSize

// tokenEncoding is strict: one stored form per key.
var tokenEncoding = base64.RawURLEncoding.Strict()

// errBadStoredKey: a stored key does not decode under this master key
// (tampered, or written under another key). It names no key.
var errBadStoredKey = errors.New("a stored key does not decode")

func newKeyCodec(master []byte) (*keyCodec, error) {
	blk, err := aes.NewCipher(keys.Derive(master, keys.StorePostgresKeysCTR))
	if err != nil {
		return nil, err
	}
	return &keyCodec{mac: keys.NewMAC(keys.Derive(master, keys.StorePostgresKeys)), enc: blk}, nil
}

// isSep reports whether b separates pieces.
func isSep(b byte) bool { return b == '/' || b == 0 }

// pieces calls fn with each piece of key and the separator before it
// (none before the first).
func pieces(key string, fn func(sep byte, piece string) error) error {
	start := 0
	var sep byte
	for i := 0; i <= len(key); i++ {
		if i == len(key) || isSep(key[i]) {
			if err := fn(sep, key[start:i]); err != nil {
				return err
			}
			if i < len(key) {
				sep = key[i]
			}
			start = i + 1
		}
	}
	return nil
}

// encode maps a plaintext key to its stored form.
func (c *keyCodec) encode(key string) []byte {
	out := make([]byte, 0, 2*len(key)+8)
	first := true
	pieces(key, func(sep byte, piece string) error {
		if !first {
			out = append(out, sep)
		}
		first = false
		out = c.appendPiece(out, piece)
		return nil
	})
	return out
}

func (c *keyCodec) appendPiece(out []byte, piece string) []byte {
	n := leadingDigits(piece)
	out = append(out, piece[:n]...)
	rest := piece[n:]
	if rest == "" {
		return out
	}
	var sum [sha256.Size]byte
	raw := append(c.mac.Sum(sum[:0], []byte(rest))[:ivSize], rest...)
	cipher.NewCTR(c.enc, raw[:ivSize]).XORKeyStream(raw[ivSize:], raw[ivSize:])
	out = append(out, tokenSep)
	return tokenEncoding.AppendEncode(out, raw)
}

// decode maps a stored key back to plaintext, checking every token.
func (c *keyCodec) decode(stored []byte) (string, error) {
	var b strings.Builder
	b.Grow(len(stored))
	first := true
	err := pieces(string(stored), func(sep byte, piece string) error {
		if !first {
			b.WriteByte(sep)
		}
		first = false
		n := leadingDigits(piece)
		b.WriteString(piece[:n])
		rest := piece[n:]
		if rest == "" {
			return nil
		}
		if rest[0] != tokenSep {
			return errBadStoredKey
		}
		raw, err := tokenEncoding.DecodeString(rest[1:])
		if err != nil || len(raw) <= ivSize {
			return errBadStoredKey
		}
		iv, pt := raw[:ivSize], raw[ivSize:]
		cipher.NewCTR(c.enc, iv).XORKeyStream(pt, pt)
		var sum [sha256.Size]byte
		// A canonical rest starts with no digit and holds no separator.
		if subtle.ConstantTimeCompare(c.mac.Sum(sum[:0], pt)[:ivSize], iv) != 1 || leadingDigits(string(pt)) != 0 || strings.ContainsAny(string(pt), "/\x00") {
			return errBadStoredKey
		}
		b.Write(pt)
		return nil
	})
	if err != nil {
		return "", err
	}
	return b.String(), nil
}

// scanPrefix maps a plaintext scan prefix to a stored one. exact: every
// stored key with that prefix decodes to a key with the plaintext prefix,
// and only those. When the prefix ends inside a piece's non-digit part,
// the stored prefix stops before that part (after the piece's digits), and
// the caller filters the decoded keys.
func (c *keyCodec) scanPrefix(prefix string) (stored []byte, exact bool) {
	cut := strings.LastIndexAny(prefix, "/\x00") + 1
	head, tail := prefix[:cut], prefix[cut:]
	var out []byte
	if head != "" {
		// head ends in a separator: its pieces are whole.
		out = c.encode(head[:len(head)-1])
		out = append(out, head[len(head)-1])
	}
	n := leadingDigits(tail)
	return append(out, tail[:n]...), n == len(tail)
}

func leadingDigits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}
