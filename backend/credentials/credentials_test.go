package credentials

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

func authorizedLine(t testing.TB, pub any, comment string) string {
	t.Helper()
	p, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(p))) + " " + comment
}

func TestSSHKeys(t *testing.T) {
	t.Parallel()
	edPub, _, _ := ed25519.GenerateKey(rand.Reader)
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rsaSmall, _ := rsa.GenerateKey(rand.Reader, 1024)
	rsaOK, _ := rsa.GenerateKey(rand.Reader, 2048)

	for _, c := range []struct {
		name, line, typ string
		bits            int
	}{
		{"ed25519", authorizedLine(t, edPub, "backup@web01"), "ssh-ed25519", 256},
		{"ecdsa", authorizedLine(t, &ec.PublicKey, "x"), "ecdsa-sha2-nistp256", 256},
		{"rsa 2048", authorizedLine(t, &rsaOK.PublicKey, "y"), "ssh-rsa", 2048},
	} {
		k, err := ParseSSHKey(c.line)
		if err != nil || k.Type != c.typ || k.Bits != c.bits || !strings.HasPrefix(k.Fingerprint, "SHA256:") {
			t.Errorf("%s: %+v, %v", c.name, k, err)
		}
	}
	if _, err := ParseSSHKey(authorizedLine(t, &rsaSmall.PublicKey, "z")); err == nil || !strings.Contains(err.Error(), "at least 2048 bits") {
		t.Errorf("1024-bit RSA: %v", err)
	}
	good := authorizedLine(t, edPub, "a")
	for _, bad := range []string{"", "ssh-ed25519", "ssh-ed25519 AAAAnotbase64", good + "\n" + good, `command="x" ` + good, "-----BEGIN OPENSSH PRIVATE KEY-----"} {
		if _, err := ParseSSHKey(bad); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

func certPEM(t testing.TB, notBefore, notAfter time.Time) string {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "backup@web01.example.com", Organization: []string{"Example"}},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

func TestCertificates(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	c, err := ParseCertificate(certPEM(t, now.AddDate(0, -1, 0), now.AddDate(1, 0, 0)), now)
	if err != nil || !strings.Contains(c.Subject, "CN=backup@web01.example.com") || len(c.Fingerprint) != 95 || !c.NotAfter.Equal(now.AddDate(1, 0, 0)) {
		t.Fatalf("%+v, %v", c, err)
	}
	_, err = ParseCertificate(certPEM(t, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 1, 31, 12, 0, 0, 0, time.UTC)), now)
	if err == nil || err.Error() != "expired on 2025-01-31" {
		t.Errorf("expired: %v", err)
	}
	_, err = ParseCertificate(certPEM(t, now.AddDate(0, 0, 3), now.AddDate(1, 0, 0)), now)
	if err == nil || !strings.HasPrefix(err.Error(), "not valid before 2026-11-29") {
		t.Errorf("not yet valid: %v", err)
	}
	for _, bad := range []string{"", "hello", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"} {
		if _, err := ParseCertificate(bad, now); !errors.Is(err, ErrCertificate) {
			t.Errorf("accepted %q: %v", bad, err)
		}
	}
}

func FuzzParseSSHKey(f *testing.F) {
	edPub, _, _ := ed25519.GenerateKey(rand.Reader)
	f.Add(authorizedLine(f, edPub, "seed"))
	f.Add("ssh-rsa AAAA")
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseSSHKey(s)
		if err != nil {
			return
		}
		again, err := ParseSSHKey(k.Line)
		if err != nil || again.Fingerprint != k.Fingerprint {
			t.Fatalf("normalised line does not parse back: %v", err)
		}
	})
}

func FuzzParseCertificate(f *testing.F) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	f.Add(certPEM(f, now.AddDate(0, -1, 0), now.AddDate(1, 0, 0)))
	f.Add("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCertificate(s, now)
		if err != nil {
			return
		}
		if _, err := ParseCertificate(c.PEM, now); err != nil {
			t.Fatalf("normalised PEM does not parse back: %v", err)
		}
	})
}
