package restapi

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/users"
	"hostbound/backend/vault"
)

// BenchmarkXMLRPCRetrieval fetches one password with pmp.password.retrieve
// over HTTPS keep-alive, authenticated by a client certificate alone (no
// AUTHTOKEN), at 1 and 16 concurrent clients; beside it, in the same world
// and for the same account, the REST GET password with AUTHTOKEN. Every
// client's connection is opened before the clock starts, so the figures
// are of requests on warm connections, not of TLS handshakes. Reported:
// req/s, p50 and p99 latency (ms); every request must succeed. Compare
// ratios within one run; absolute figures move with the machine.
func BenchmarkXMLRPCRetrieval(b *testing.B) {
	w := newWorld(b)
	const login = "bench@127.0.0.1"
	certPEM, clientCert := xbClientCert(b, login, w.Clock.Now())
	k, err := apikey.Generate()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := w.Users.CreateAPIUser(w.AdminActor, users.APIUserInput{Username: login, Host: "127.0.0.1", FullName: "Bench",
		Role: access.PasswordUser, Scope: access.ScopeOwnedShared, RESTEnabled: true, NeverExpires: true, Certificate: certPEM}, &k); err != nil {
		b.Fatal(err)
	}
	if err := w.Vault.Share(w.AdminActor, vault.ShareInput{ResourceID: w.res.ID, Grantee: login, Permission: vault.View}); err != nil {
		b.Fatal(err)
	}
	want := "s3cr3t-pg-password"
	endpoint := strings.TrimSuffix(w.base, "/restapi/json/v1") + XMLRPCPath
	call := `<?xml version="1.0"?><methodCall><methodName>pmp.password.retrieve</methodName><params>` +
		`<param><value><string>` + w.res.Name + `</string></value></param>` +
		`<param><value><string>` + w.db.Name + `</string></value></param>` +
		`<param><value><string>benchmark</string></value></param></params></methodCall>`
	xmlrpc := func(c *http.Client) error {
		resp, err := c.Post(endpoint, "text/xml", strings.NewReader(call))
		if err != nil {
			return err
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || strings.Contains(string(body), "<fault>") ||
			!strings.Contains(string(body), "<string>"+want+"</string>") {
			return fmt.Errorf("xml-rpc: %d %s", resp.StatusCode, body)
		}
		return nil
	}
	restURL := w.base + fmt.Sprintf("/resources/%d/accounts/%d/password", w.res.ID, w.db.ID)
	rest := func(c *http.Client) error {
		req, _ := http.NewRequest(http.MethodGet, restURL, nil)
		req.Header.Set("AUTHTOKEN", k.String())
		resp, err := c.Do(req)
		if err != nil {
			return err
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"PASSWORD":"`+want+`"`) {
			return fmt.Errorf("rest: %d %s", resp.StatusCode, body)
		}
		return nil
	}
	for _, conc := range []int{1, 16} {
		b.Run(fmt.Sprintf("clients=%d/xmlrpc-cert", conc), func(b *testing.B) {
			xbRun(b, conc, xbClient(w.pool, &clientCert, conc), xmlrpc)
		})
		b.Run(fmt.Sprintf("clients=%d/rest-authtoken", conc), func(b *testing.B) {
			xbRun(b, conc, xbClient(w.pool, nil, conc), rest)
		})
	}
}

// xbClientCert makes a self-signed ECDSA client certificate for cn, valid
// a year either side of now (the world's clock).
func xbClientCert(b *testing.B, cn string, now time.Time) (string, tls.Certificate) {
	b.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(now.UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(1, 0, 0), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		b.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// xbClient is an HTTPS keep-alive client that trusts the server, presents
// cert when it is not nil, and keeps an idle connection per client.
func xbClient(pool *x509.CertPool, cert *tls.Certificate, conc int) *http.Client {
	cfg := &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
	if cert != nil {
		cfg.Certificates = []tls.Certificate{*cert}
	}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		TLSClientConfig: cfg, MaxIdleConns: 2 * conc, MaxIdleConnsPerHost: 2 * conc, IdleConnTimeout: time.Minute}}
}

// xbRun makes b.N requests with do from conc goroutines sharing c, after
// one untimed request per goroutine that opens its connection. A failed
// request is counted and the next one made; any failure fails the
// benchmark after the run.
func xbRun(b *testing.B, conc int, c *http.Client, do func(*http.Client) error) {
	defer c.CloseIdleConnections()
	var failures atomic.Int64
	var firstErr atomic.Value
	fail := func(err error) {
		if failures.Add(1) == 1 {
			firstErr.Store(err)
		}
	}
	var warm sync.WaitGroup
	for range conc {
		warm.Add(1)
		go func() {
			defer warm.Done()
			if err := do(c); err != nil {
				fail(err)
			}
		}()
	}
	warm.Wait()
	if n := failures.Load(); n > 0 {
		b.Fatalf("%d of %d warm-up requests failed, the first: %v", n, conc, firstErr.Load())
	}

	testenv.Load(b, conc, "req/s", func() error { return do(c) })
}
