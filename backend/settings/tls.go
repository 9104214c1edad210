package settings

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"time"

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
}

// Certificate returns the server's TLS certificate and its SHA-256
// fingerprint, creating a self-signed ECDSA one on first use (names:
// localhost, 127.0.0.1, ::1 and this machine's hostname).
func (s *Service) Certificate() (tls.Certificate, string, error) {
	now := s.clock()
	var sc storedCert
	err := s.st.Update(func(tx *store.Txn) error {
		err := tx.Get(tlsKey, &sc)
		if !errors.Is(err, store.ErrNotFound) {
			return err
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
