package restapi

import "crypto/tls"

// TLSConfig serves cert with TLS 1.2 or newer and asks for, but does not
// require, a client certificate. Any CA: the handshake proves the client
// holds the certificate's key, and the binding to an API user is its stored
// fingerprint (PRODUCT.md §10), so no chain is verified here.
func TLSConfig(cert tls.Certificate) *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12, ClientAuth: tls.RequestClientCert}
}
