package onboard

// The age recipient types "ssh-ed25519" and "ssh-rsa", as
// filippo.io/age/agessh defines them (age-encryption.org/v1). agessh itself
// needs filippo.io/edwards25519, which this module does not require, for
// one public-key conversion (Edwards y to Montgomery u) that math/big does
// as well here; everything else is the same construction, and the tests
// open the files with the age binary.

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"math/big"

	"filippo.io/age"
	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/curve25519"
	"golang.org/x/crypto/hkdf"
	"golang.org/x/crypto/ssh"
)

const (
	rsaLabel     = "age-encryption.org/v1/ssh-rsa"
	ed25519Label = "age-encryption.org/v1/ssh-ed25519"
)

var b64 = base64.RawStdEncoding

// sshTag is the short key id age puts in the stanza.
func sshTag(pk ssh.PublicKey) string {
	h := sha256.Sum256(pk.Marshal())
	return b64.EncodeToString(h[:4])
}

func sshRecipient(pk ssh.PublicKey) (age.Recipient, error) {
	cpk, ok := pk.(ssh.CryptoPublicKey)
	if !ok {
		return nil, ErrNotSealable
	}
	switch k := cpk.CryptoPublicKey().(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() < 2048 {
			return nil, errors.New("RSA key size is too small")
		}
		return rsaRecipient{ssh: pk, pub: k}, nil
	case ed25519.PublicKey:
		u, err := montgomery(k)
		if err != nil {
			return nil, err
		}
		return ed25519Recipient{ssh: pk, their: u}, nil
	}
	return nil, ErrNotSealable
}

type rsaRecipient struct {
	ssh ssh.PublicKey
	pub *rsa.PublicKey
}

func (r rsaRecipient) Wrap(fileKey []byte) ([]*age.Stanza, error) {
	body, err := rsa.EncryptOAEP(sha256.New(), rand.Reader, r.pub, fileKey, []byte(rsaLabel))
	if err != nil {
		return nil, err
	}
	return []*age.Stanza{{Type: "ssh-rsa", Args: []string{sshTag(r.ssh)}, Body: body}}, nil
}

type ed25519Recipient struct {
	ssh   ssh.PublicKey
	their []byte // the key as a Curve25519 point
}

func (r ed25519Recipient) Wrap(fileKey []byte) ([]*age.Stanza, error) {
	eph := make([]byte, curve25519.ScalarSize)
	if _, err := rand.Read(eph); err != nil {
		return nil, err
	}
	ours, err := curve25519.X25519(eph, curve25519.Basepoint)
	if err != nil {
		return nil, err
	}
	shared, err := curve25519.X25519(eph, r.their)
	if err != nil {
		return nil, err
	}
	tweak := make([]byte, curve25519.ScalarSize)
	if _, err := io.ReadFull(hkdf.New(sha256.New, nil, r.ssh.Marshal(), []byte(ed25519Label)), tweak); err != nil {
		return nil, err
	}
	if shared, err = curve25519.X25519(tweak, shared); err != nil {
		return nil, err
	}
	salt := append(append([]byte{}, ours...), r.their...)
	wrapKey := make([]byte, chacha20poly1305.KeySize)
	if _, err := io.ReadFull(hkdf.New(sha256.New, shared, salt, []byte(ed25519Label)), wrapKey); err != nil {
		return nil, err
	}
	aead, err := chacha20poly1305.New(wrapKey)
	if err != nil {
		return nil, err
	}
	body := aead.Seal(nil, make([]byte, chacha20poly1305.NonceSize), fileKey, nil)
	return []*age.Stanza{{Type: "ssh-ed25519", Args: []string{sshTag(r.ssh), b64.EncodeToString(ours)}, Body: body}}, nil
}

// Curve25519's field: p = 2^255 - 19, and the Edwards curve's d.
var (
	fieldP = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19))
	edD    = func() *big.Int {
		// d = -121665/121666 mod p
		n := new(big.Int).Neg(big.NewInt(121665))
		inv := new(big.Int).ModInverse(big.NewInt(121666), fieldP)
		return n.Mul(n, inv).Mod(n, fieldP)
	}()
	errBadPoint = errors.New("the Ed25519 public key is not a point of the curve")
)

// montgomery converts an Ed25519 public key (the point's y, little-endian,
// with x's sign in the top bit) to the u coordinate of the birationally
// equivalent Curve25519 point, u = (1+y)/(1-y), little-endian. It refuses an
// encoding that is not canonical or not on the curve, and the identity.
// The inputs are public: this need not run in constant time.
func montgomery(pk ed25519.PublicKey) ([]byte, error) {
	if len(pk) != ed25519.PublicKeySize {
		return nil, errBadPoint
	}
	le := append([]byte{}, pk...)
	le[31] &= 0x7f
	y := new(big.Int).SetBytes(reverse(le))
	if y.Cmp(fieldP) >= 0 {
		return nil, errBadPoint
	}
	one := big.NewInt(1)
	// On the curve: x² = (y²-1)/(d·y²+1) must be a square mod p.
	y2 := new(big.Int).Mul(y, y)
	num := new(big.Int).Sub(y2, one)
	den := new(big.Int).Add(new(big.Int).Mul(edD, y2), one)
	den.Mod(den, fieldP)
	inv := new(big.Int).ModInverse(den, fieldP)
	if inv == nil {
		return nil, errBadPoint
	}
	x2 := num.Mul(num, inv).Mod(num, fieldP)
	if x2.Sign() != 0 {
		exp := new(big.Int).Rsh(new(big.Int).Sub(fieldP, one), 1)
		if new(big.Int).Exp(x2, exp, fieldP).Cmp(one) != 0 {
			return nil, errBadPoint
		}
	}
	oneMinusY := new(big.Int).Sub(one, y)
	oneMinusY.Mod(oneMinusY, fieldP)
	invY := new(big.Int).ModInverse(oneMinusY, fieldP)
	if invY == nil {
		return nil, errBadPoint // y = 1: the identity
	}
	u := new(big.Int).Add(one, y)
	u.Mul(u, invY).Mod(u, fieldP)
	out := make([]byte, 32)
	u.FillBytes(out)
	return reverse(out), nil
}

func reverse(b []byte) []byte {
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return b
}
