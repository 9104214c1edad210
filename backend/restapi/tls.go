package restapi

import "crypto/tls"

// TLSConfig serves cert with TLS 1.2 or newer.
func TLSConfig(cert tls.Certificate) *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
}
