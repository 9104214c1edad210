package settings

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"strings"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/credentials"
	"hostbound/backend/store"
)

// tlsKey keeps its old name: certificates made before the move stay.
const tlsKey = "restapi/tls"

// storedCert is the server certificate; its private key lives only in the
// encrypted store, never in a file.
type storedCert struct {
	CertPEM string `json:"certPem"`
	KeyPEM  string `json:"keyPem"`
	// Imported: an operator's own certificate, never renewed by Hostbound.
	Imported bool `json:"imported,omitempty"`
}

// RenewBefore: a self-signed certificate this close to its expiry is
// replaced by a new one when the server (re)starts.
const RenewBefore = 30 * 24 * time.Hour

// CertInfo describes the server certificate for Settings.
type CertInfo struct {
	Fingerprint string    `json:"fingerprint"`
	Subject     string    `json:"subject"`
	NotAfter    time.Time `json:"notAfter"`
	Imported    bool      `json:"imported"`
	// PublicKeyPin is curl's --pinnedpubkey value for the certificate's key
	// ("sha256//" and the base64 SHA-256 of its SubjectPublicKeyInfo).
	PublicKeyPin string `json:"publicKeyPin"`
}

// PublicKeyPin is the pin of a certificate's public key as curl takes it.
func PublicKeyPin(leaf *x509.Certificate) string {
	sum := sha256.Sum256(leaf.RawSubjectPublicKeyInfo)
	return "sha256//" + base64.StdEncoding.EncodeToString(sum[:])
}

// Certificate returns the server's TLS certificate and its SHA-256
// fingerprint, creating a self-signed ECDSA one on first use (names:
// localhost, 127.0.0.1, ::1 and this machine's hostname) and renewing it
// RenewBefore its expiry. An imported certificate is served as it is.
func (s *Service) Certificate() (tls.Certificate, string, error) {
	now := s.clock()
	var sc storedCert
	err := s.st.Update(func(tx *store.Txn) error {
		err := tx.Get(tlsKey, &sc)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if err == nil && (sc.Imported || !dueForRenewal(sc, now)) {
			return nil
		}
		if sc, err = selfSigned(now); err != nil {
			return err
		}
		return tx.Put(tlsKey, sc)
	})
	if err != nil {
		return tls.Certificate{}, "", fmt.Errorf("server certificate: %w", err)
	}
	cert, err := tls.X509KeyPair([]byte(sc.CertPEM), []byte(sc.KeyPEM))
	if err != nil {
		return tls.Certificate{}, "", fmt.Errorf("server certificate: %w", err)
	}
	return cert, credentials.Fingerprint(cert.Certificate[0]), nil
}

func dueForRenewal(sc storedCert, now time.Time) bool {
	block, _ := pem.Decode([]byte(sc.CertPEM))
	if block == nil {
		return true
	}
	c, err := x509.ParseCertificate(block.Bytes)
	return err != nil || c.NotAfter.Sub(now) < RenewBefore
}

// CertificateInfo describes the certificate served now (making it first
// when there is none yet), to a who may see the settings.
func (s *Service) CertificateInfo(a access.Actor) (CertInfo, error) {
	if err := s.MayView(a); err != nil {
		return CertInfo{}, err
	}
	cert, fp, err := s.Certificate()
	if err != nil {
		return CertInfo{}, err
	}
	leaf, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil {
		return CertInfo{}, err
	}
	var sc storedCert
	_ = s.st.View(func(tx *store.Txn) error { return tx.Get(tlsKey, &sc) })
	return CertInfo{Fingerprint: fp, Subject: leaf.Subject.String(), NotAfter: leaf.NotAfter.UTC(), Imported: sc.Imported,
		PublicKeyPin: PublicKeyPin(leaf)}, nil
}

// ImportCertificate replaces the server certificate with an operator's own
// (PEM certificate, chain allowed, and its unencrypted PEM private key),
// for a holder of settings.manage. It is refused unless the key matches and
// the certificate is valid now. The key is kept only in the encrypted store.
func (s *Service) ImportCertificate(a access.Actor, certPEM, keyPEM string) error {
	return s.audit.Act(s.st, s.resolver, a, "import server certificate", "", func(tx *store.Txn, p access.Principal, rec *audit.Record) error {
		if !p.Has(access.SettingsManage) {
			return apperr.New(apperr.Forbidden, "You are not allowed to change security settings")
		}
		pair, err := tls.X509KeyPair([]byte(certPEM), []byte(keyPEM))
		if err != nil {
			return apperr.Field("certificate", "Server certificate: a PEM certificate and the PEM private key that belongs to it (%s)", tlsReason(err))
		}
		leaf, err := x509.ParseCertificate(pair.Certificate[0])
		if err != nil {
			return apperr.Field("certificate", "Server certificate: not a valid X.509 certificate")
		}
		now := s.clock()
		if now.After(leaf.NotAfter) || now.Before(leaf.NotBefore) {
			return apperr.Field("certificate", "Server certificate: valid from %s to %s, not now",
				leaf.NotBefore.UTC().Format("2006-01-02"), leaf.NotAfter.UTC().Format("2006-01-02"))
		}
		rec.Target = credentials.Fingerprint(leaf.Raw)
		return tx.Put(tlsKey, storedCert{CertPEM: certPEM, KeyPEM: keyPEM, Imported: true})
	})
}

// tlsReason is the standard library's reason, without its package prefix.
func tlsReason(err error) string { return strings.TrimPrefix(err.Error(), "tls: ") }

// UseSelfSigned goes back from an imported certificate to a fresh
// self-signed one.
func (s *Service) UseSelfSigned(a access.Actor) error {
	return s.audit.Act(s.st, s.resolver, a, "use self-signed server certificate", "", func(tx *store.Txn, p access.Principal, _ *audit.Record) error {
		if !p.Has(access.SettingsManage) {
			return apperr.New(apperr.Forbidden, "You are not allowed to change security settings")
		}
		sc, err := selfSigned(s.clock())
		if err != nil {
			return err
		}
		return tx.Put(tlsKey, sc)
	})
}

func selfSigned(now time.Time) (storedCert, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return storedCert{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return storedCert{}, err
	}
	names := []string{"localhost"}
	if h, err := os.Hostname(); err == nil && h != "" && h != "localhost" {
		names = append(names, h)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "Hostbound REST API", Organization: []string{"Hostbound"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(2, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		DNSNames:              names,
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return storedCert{}, err
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return storedCert{}, err
	}
	return storedCert{
		CertPEM: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		KeyPEM:  string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})),
	}, nil
}
