// Package credentials validates the optional second credentials of an API
// user: an SSH public key (one authorized_keys line) and a PEM X.509 client
// certificate. Each is stored with a fingerprint so that it can be shown and
// matched without keeping more than needed.
package credentials

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
)

// MinRSABits is the smallest RSA key accepted.
const MinRSABits = 2048

// SSHKey is a validated SSH public key.
type SSHKey struct {
	Line        string `json:"line"` // normalised authorized_keys line
	Type        string `json:"type"` // ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa, …
	Bits        int    `json:"bits"`
	Fingerprint string `json:"fingerprint"` // SHA256:…
	Comment     string `json:"comment"`
}

// Errors are plain sentences; the caller prefixes the field label.
var (
	ErrSSHKey      = errors.New("not a valid SSH public key (one authorized_keys line: ssh-ed25519, ecdsa-sha2-*, or ssh-rsa of at least 2048 bits)")
	ErrCertificate = errors.New("not a PEM X.509 certificate")
)

// ParseSSHKey reads exactly one authorized_keys line.
func ParseSSHKey(s string) (SSHKey, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, "\r\n") {
		return SSHKey{}, ErrSSHKey
	}
	pub, comment, options, rest, err := ssh.ParseAuthorizedKey([]byte(s))
	if err != nil || len(rest) != 0 || len(options) != 0 {
		return SSHKey{}, ErrSSHKey
	}
	cpk, ok := pub.(ssh.CryptoPublicKey)
	if !ok {
		return SSHKey{}, ErrSSHKey // certificates and security keys are not accepted here
	}
	k := SSHKey{Type: pub.Type(), Fingerprint: ssh.FingerprintSHA256(pub), Comment: comment}
	switch key := cpk.CryptoPublicKey().(type) {
	case ed25519.PublicKey:
		k.Bits = 256
	case *ecdsa.PublicKey:
		k.Bits = key.Curve.Params().BitSize
	case *rsa.PublicKey:
		k.Bits = key.N.BitLen()
		if k.Bits < MinRSABits {
			return SSHKey{}, fmt.Errorf("RSA keys need at least %d bits, this one has %d", MinRSABits, k.Bits)
		}
	default:
		return SSHKey{}, ErrSSHKey
	}
	k.Line = strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub)))
	if comment != "" {
		k.Line += " " + comment
	}
	return k, nil
}

// Certificate is a validated client certificate.
type Certificate struct {
	PEM         string    `json:"pem"`
	Subject     string    `json:"subject"`
	Fingerprint string    `json:"fingerprint"` // SHA-256 of the DER, hex with colons
	NotBefore   time.Time `json:"notBefore"`
	NotAfter    time.Time `json:"notAfter"`
}

// ParseCertificate reads one PEM certificate and refuses one that is not
// valid at now.
func ParseCertificate(s string, now time.Time) (Certificate, error) {
	block, rest := pem.Decode([]byte(strings.TrimSpace(s)))
	if block == nil || block.Type != "CERTIFICATE" || len(strings.TrimSpace(string(rest))) != 0 {
		return Certificate{}, ErrCertificate
	}
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return Certificate{}, ErrCertificate
	}
	if now.After(c.NotAfter) {
		return Certificate{}, fmt.Errorf("expired on %s", c.NotAfter.UTC().Format("2006-01-02"))
	}
	if now.Before(c.NotBefore) {
		return Certificate{}, fmt.Errorf("not valid before %s", c.NotBefore.UTC().Format("2006-01-02"))
	}
	return Certificate{
		PEM:         string(pem.EncodeToMemory(block)),
		Subject:     c.Subject.String(),
		Fingerprint: Fingerprint(c.Raw),
		NotBefore:   c.NotBefore.UTC(),
		NotAfter:    c.NotAfter.UTC(),
	}, nil
}

// Fingerprint is the SHA-256 of a certificate's DER as upper-case hex pairs
// with colons: how certificates are stored, shown and matched.
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	hexed := make([]string, len(sum))
	for i, b := range sum {
		hexed[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(hexed, ":")
}
