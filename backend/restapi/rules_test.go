package restapi_test

import (
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/audit"
	"hostbound/backend/hostcheck"
	"hostbound/backend/internal/testdomain"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/restapi"
	"hostbound/backend/users"
)

// Real loopback tests of the rules a face could get wrong: which address a
// request comes from, and what failed authentications cost.

type loopback struct {
	*testdomain.World
	base   string
	client *http.Client
}

// serve runs the REST API over HTTPS on 127.0.0.1 with proxies trusted.
func serve(t *testing.T, burst int, proxies string) *loopback {
	t.Helper()
	w := testdomain.New(t, testdomain.Options{FailBurst: burst})
	px, err := hostcheck.ParseProxies(proxies)
	if err != nil {
		t.Fatal(err)
	}
	api := restapi.New(restapi.Config{Users: w.Users, Vault: w.Vault, Proxies: px, Clock: w.Clock.Now, Log: testenv.Log()})
	srv := restapi.NewServer(api, w.Settings.Certificate, testenv.Log())
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Stop(t.Context()) })
	return &loopback{World: w, base: srv.Status().URL,
		client: &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}}
}

func (l *loopback) get(t *testing.T, path, key string, xff ...string) (int, string) {
	t.Helper()
	status, _, msg := l.call(t, path, key, xff...)
	return status, msg
}

// call is a GET with its status, operation name and message.
func (l *loopback) call(t *testing.T, path, key string, xff ...string) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, l.base+path, nil)
	req.Header.Set("AUTHTOKEN", key)
	for _, v := range xff {
		req.Header.Add("X-Forwarded-For", v)
	}
	resp, err := l.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var env struct {
		Operation struct {
			Name   string                   `json:"name"`
			Result struct{ Message string } `json:"result"`
		} `json:"operation"`
	}
	_ = json.Unmarshal(b, &env)
	return resp.StatusCode, env.Operation.Name, env.Operation.Result.Message
}

func TestEveryForwardedForLineIsRead(t *testing.T) {
	t.Parallel()
	l := serve(t, 1000, "127.0.0.1")
	k, _ := apikey.Generate()
	if _, err := l.Users.CreateAPIUser(l.AdminActor, users.APIUserInput{Username: "svc@web01", Host: "127.0.0.77", FullName: "Svc",
		Role: access.PasswordUser, Scope: access.ScopeOwnedShared, RESTEnabled: true, NeverExpires: true}, &k); err != nil {
		t.Fatal(err)
	}
	if status, _ := l.get(t, "/resources", k.String(), "127.0.0.77"); status != http.StatusOK {
		t.Fatalf("from the bound address through the proxy: %d", status)
	}
	// The client wrote the first line itself (the bound address); the
	// proxy appended the real client in a second line.
	status, msg := l.get(t, "/resources", k.String(), "127.0.0.77", "127.0.0.66")
	if status != http.StatusForbidden || msg != users.MsgWrongHost {
		t.Fatalf("a spoofed first X-Forwarded-For line passed host binding: %d %q", status, msg)
	}
}

func TestFailedAuthenticationsCannotFloodTheAuditTrail(t *testing.T) {
	t.Parallel()
	l := serve(t, 5, "127.0.0.1")
	bad, _ := apikey.Generate()
	long := strings.Repeat("A", 8<<10)
	statuses := map[int]int{}
	for range 200 {
		status, _ := l.get(t, "/resources/resourcename/"+long, bad.String())
		statuses[status]++
	}
	if statuses[http.StatusUnauthorized] != 5 || statuses[http.StatusTooManyRequests] != 195 {
		t.Fatalf("statuses: %v", statuses)
	}
	failures := func() []audit.Record {
		p, err := l.Trail.Query(l.AdminActor, audit.Filter{Result: audit.Failure, Source: "127.0.0.1"}, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		return p.Records
	}
	recs := failures()
	if len(recs) != 1 || len(recs[0].Target) > 256 || !strings.HasPrefix(recs[0].Target, "AAAA") {
		t.Fatalf("first failure: %d records, target of %d bytes", len(recs), len(recs[0].Target))
	}
	l.Clock.Advance(61e9)
	l.Guard.Flush()
	recs = failures()
	if len(recs) != 2 || !strings.Contains(recs[0].Reason, "4 more failed authentications") {
		t.Fatalf("after the minute: %d records, newest %+v", len(recs), recs[0].Reason)
	}

	t.Run("addresses of one IPv6 /64 share one limit", func(t *testing.T) {
		statuses := map[int]int{}
		for i := range 20 {
			status, _ := l.get(t, "/resources", bad.String(), fmt.Sprintf("2001:db8:1:2::%x", i+1))
			statuses[status]++
		}
		if statuses[http.StatusUnauthorized] != 5 || statuses[http.StatusTooManyRequests] != 15 {
			t.Fatalf("statuses: %v", statuses)
		}
		if status, _ := l.get(t, "/resources", bad.String(), "2001:db8:1:3::1"); status != http.StatusUnauthorized {
			t.Fatalf("another /64 was limited too: %d", status)
		}
	})
}

func TestEveryAuthenticationRefusalIsNamedAuthentication(t *testing.T) {
	t.Parallel()
	l := serve(t, 1000, "")
	k, _ := apikey.Generate()
	if _, err := l.Users.CreateAPIUser(l.AdminActor, users.APIUserInput{Username: "far@web01", Host: "127.0.0.77", FullName: "Far",
		Role: access.PasswordUser, Scope: access.ScopeOwnedShared, RESTEnabled: true, NeverExpires: true}, &k); err != nil {
		t.Fatal(err)
	}
	if status, name, _ := l.call(t, "/resources", k.String()); status != http.StatusForbidden || name != "Authentication" {
		t.Fatalf("wrong host: %d %q", status, name)
	}
}

func TestTheKeyAlsoTravelsAsAPP_AUTHTOKEN(t *testing.T) {
	t.Parallel()
	l := serve(t, 1000, "")
	k, _ := apikey.Generate()
	if _, err := l.Users.CreateAPIUser(l.AdminActor, users.APIUserInput{Username: "ansible@localhost", Host: "127.0.0.1", FullName: "Ansible",
		Role: access.PasswordUser, Scope: access.ScopeOwnedShared, RESTEnabled: true, NeverExpires: true}, &k); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, header, query string }{
		{"as a header", "APP_AUTHTOKEN", ""},
		{"as a query parameter", "", "?APP_AUTHTOKEN=" + k.String() + "&APP_NAME=ansible&APP_TYPE=collection"},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, l.base+"/resources"+c.query, nil)
			if c.header != "" {
				req.Header.Set(c.header, k.String())
				req.Header.Set("APP_NAME", "ansible")
				req.Header.Set("APP_TYPE", "collection")
			}
			resp, err := l.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
		})
	}
	p, err := l.Trail.Query(l.AdminActor, audit.Filter{Actor: "ansible@localhost", Operation: "list resources"}, 0, 10)
	if err != nil || len(p.Records) != 2 || p.Records[0].Reason != "app: ansible collection" {
		t.Fatalf("audit: %+v %v", p.Records, err)
	}
}
