package onboard

import (
	"crypto/ed25519"
	"crypto/sha512"
	"math/big"
	"testing"

	"golang.org/x/crypto/curve25519"
)

func TestTheMontgomeryFormOfAnEd25519KeyIsTheX25519KeyOfItsSeed(t *testing.T) {
	t.Parallel()
	for range 50 {
		pub, priv, err := ed25519.GenerateKey(nil)
		if err != nil {
			t.Fatal(err)
		}
		h := sha512.Sum512(priv.Seed())
		want, err := curve25519.X25519(h[:32], curve25519.Basepoint)
		if err != nil {
			t.Fatal(err)
		}
		got, err := montgomery(pub)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Fatalf("montgomery = %x, want %x", got, want)
		}
	}
}

func TestKeysOffTheCurveNonCanonicalOrTheIdentityAreRefused(t *testing.T) {
	t.Parallel()
	enc := func(y *big.Int) ed25519.PublicKey {
		b := make([]byte, 32)
		y.FillBytes(b)
		return reverse(b)
	}
	// The first y that is no point's.
	var off ed25519.PublicKey
	for y := int64(2); off == nil; y++ {
		if _, err := montgomery(enc(big.NewInt(y))); err != nil {
			off = enc(big.NewInt(y))
		}
	}
	cases := map[string]ed25519.PublicKey{
		"off the curve": off,
		"y = p":         enc(fieldP),
		"the identity":  enc(big.NewInt(1)),
		"too short":     make(ed25519.PublicKey, 31),
	}
	for name, pk := range cases {
		if _, err := montgomery(pk); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
