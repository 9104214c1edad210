package restapi

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/users"
	"hostbound/backend/vault"
)

// BenchmarkPasswordRetrieval fetches a password over HTTPS keep-alive at 1,
// 16 and 64 concurrent clients, with 100 and 100,000 API users in the store,
// side by side with a bare net/http TLS handler returning a body of the same
// size. Reported: req/s, p50 and p99 latency (ms). Compare ratios within one
// run; absolute figures move with the machine.
func BenchmarkPasswordRetrieval(b *testing.B) {
	for _, n := range []int{100, 100_000} {
		w := benchWorld(b, n)
		for _, conc := range []int{1, 16, 64} {
			b.Run(fmt.Sprintf("users=%d/clients=%d/hostbound", n, conc), func(b *testing.B) {
				run(b, conc, w.client("127.0.0.1"), w.base+fmt.Sprintf("/resources/%d/accounts/%d/password", w.res.ID, w.db.ID), w.key)
			})
			if n == 100 {
				bare, pool := bareServer(b)
				b.Run(fmt.Sprintf("users=%d/clients=%d/bare-net-http", n, conc), func(b *testing.B) {
					run(b, conc, clientFor(pool), bare, "")
				})
			}
		}
	}
}

type benchW struct {
	*world
	key string
}

func benchWorld(b *testing.B, n int) benchW {
	w := newWorld(b)
	ins := make([]users.APIUserInput, n)
	keys := make([]apikey.Key, n)
	for i := range ins {
		keys[i], _ = apikey.Generate()
		ins[i] = users.APIUserInput{Username: fmt.Sprintf("job%06d@host", i), Host: "127.0.0.1", FullName: fmt.Sprint("Job ", i),
			Role: access.PasswordUser, Scope: access.ScopeOwnedShared, RESTEnabled: true, NeverExpires: true}
	}
	if _, err := w.Users.CreateAPIUsers(w.AdminActor, ins, keys); err != nil {
		b.Fatal(err)
	}
	target := ins[n/2].Username
	if err := w.Vault.Share(w.AdminActor, vault.ShareInput{ResourceID: w.res.ID, Grantee: target, Permission: vault.View}); err != nil {
		b.Fatal(err)
	}
	return benchW{world: w, key: keys[n/2].String()}
}

func bareServer(b *testing.B) (string, *x509.CertPool) {
	w := newWorld(b)
	cert, _, err := w.Settings.Certificate()
	if err != nil {
		b.Fatal(err)
	}
	body := `{"operation":{"name":"GET PASSWORD","result":{"status":"Success","message":"Password fetched successfully"},"Details":{"PASSWORD":"s3cr3t-pg-password"}}}` + "\n"
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	srv := NewHTTPServer(http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) {
		rw.Header().Set("Content-Type", "application/json;charset=UTF-8")
		io.WriteString(rw, body)
	}))
	srv.TLSConfig = TLSConfig(cert)
	go srv.ServeTLS(ln, "", "")
	b.Cleanup(func() { srv.Close() })
	return "https://" + ln.Addr().String() + "/", w.pool
}

func clientFor(pool *x509.CertPool) *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128,
		TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}}}
}

func run(b *testing.B, conc int, c *http.Client, url, key string) {
	if tr, ok := c.Transport.(*http.Transport); ok {
		tr.MaxIdleConnsPerHost = 128
	}
	testenv.Load(b, conc, "req/s", func() error {
		req, _ := http.NewRequest("GET", url, nil)
		if key != "" {
			req.Header.Set("AUTHTOKEN", key)
		}
		resp, err := c.Do(req)
		if err != nil {
			return err
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), "s3cr3t") {
			return fmt.Errorf("%d %s", resp.StatusCode, body)
		}
		return nil
	})
}
