package restapi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/audit"
	"hostbound/backend/hostcheck"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/store"
	"hostbound/backend/users"
	"hostbound/backend/vault"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// world is a running API over HTTPS on 127.0.0.1 with one administrator,
// one resource with two accounts and API users to call it.
type world struct {
	st     *store.Store
	users  *users.Service
	vault  *vault.Service
	log    *audit.Log
	clock  *testenv.Clock
	admin  *users.User
	base   string
	pool   *x509.CertPool
	res    vault.Resource
	db, os vault.Account
}

type staticDNS map[string][]netip.Addr

func (d staticDNS) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	return d[host], nil
}
func (staticDNS) LookupAddr(context.Context, string) ([]string, error) { return nil, nil }

func newWorld(t *testing.T) *world { return newWorldWithBurst(t, 1000) }

func newWorldTB(tb testing.TB) *world { return newWorldWithBurst(tb, 1000) }

func newWorldWithBurst(t testing.TB, burst int) *world {
	t.Helper()
	w := &world{st: testenv.Store(t), clock: testenv.NewClock()}
	w.log = audit.New([]byte("audit"), w.clock.Now)
	var err error
	w.users, err = users.NewService(users.Config{Store: w.st, Audit: w.log, Hasher: users.Hasher{Time: 1, Memory: 1024, Threads: 1},
		Clock: w.clock.Now, Pepper: []byte("pepper")})
	if err != nil {
		t.Fatal(err)
	}
	w.vault = vault.NewService(w.st, w.log, w.clock.Now)
	w.admin, err = w.users.CreateFirstAdministrator(users.NewOperator{Username: "admin", FullName: "Ada Admin",
		Password: "correct horse battery", ConfirmPassword: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	a := w.actor(w.admin)
	if w.res, err = w.vault.CreateResource(a, vault.ResourceInput{Name: "db01", DNSName: "db01.example.com", Type: "PostgreSQL",
		Description: "Main database", Department: "IT", Location: "Berlin", URL: "https://db01.example.com"}); err != nil {
		t.Fatal(err)
	}
	if w.db, err = w.vault.CreateAccount(a, w.res.ID, vault.AccountInput{Name: "postgres", Password: "s3cr3t-pg-password", Notes: "superuser"}); err != nil {
		t.Fatal(err)
	}
	if w.os, err = w.vault.CreateAccount(a, w.res.ID, vault.AccountInput{Name: "root", Password: "s3cr3t-root-password"}); err != nil {
		t.Fatal(err)
	}

	cert, _, err := Certificate(w.st, w.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(cert.Certificate[0])
	w.pool = x509.NewCertPool()
	w.pool.AddCert(leaf)
	api := New(Config{Store: w.st, Users: w.users, Audit: w.log, Clock: w.clock.Now, Log: testenv.Log(),
		Matcher:   hostcheck.NewMatcher(staticDNS{"localhost": {netip.MustParseAddr("127.0.0.1")}}, w.clock.Now),
		FailBurst: burst, FailWindow: time.Minute})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := NewHTTPServer(api)
	srv.TLSConfig = TLSConfig(cert)
	go srv.ServeTLS(ln, "", "")
	t.Cleanup(func() { srv.Close() })
	w.base = "https://" + ln.Addr().String() + Base
	return w
}

func (w *world) actor(u *users.User) vault.Actor {
	r, _ := w.users.RoleOf(u)
	return vault.Actor{Principal: vault.Principal{Username: u.Username, Role: r, Scope: u.Scope}, FullName: u.FullName, Kind: audit.ActorOperator, Source: "desktop"}
}

// apiUser creates an API user bound to host with a key, sharing the
// resource with it when share is not "".
func (w *world) apiUser(t testing.TB, name, host, role string, share vault.Permission) string {
	t.Helper()
	k, _ := apikey.Generate()
	u, err := w.users.CreateAPIUser(w.admin, users.APIUserInput{Username: name, Host: host, FullName: "API " + name,
		Role: role, Scope: access.ScopeOwnedShared, RESTEnabled: true, NeverExpires: true}, &k)
	if err != nil {
		t.Fatal(err)
	}
	if share != "" {
		if err := w.vault.Share(w.actor(w.admin), vault.ShareInput{ResourceID: w.res.ID, Grantee: u.Username, Permission: share}); err != nil {
			t.Fatal(err)
		}
	}
	return k.String()
}

// client returns an HTTPS client that trusts the server and dials from src.
func (w *world) client(src string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}, Timeout: 5 * time.Second}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		DialContext:     d.DialContext,
		TLSClientConfig: &tls.Config{RootCAs: w.pool, ServerName: "127.0.0.1"},
	}}
}

type response struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func (w *world) do(t *testing.T, c *http.Client, method, path, key string, form url.Values) response {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, w.base+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if key != "" {
		req.Header.Set("AUTHTOKEN", key)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	out := response{status: res.StatusCode, header: res.Header, raw: string(b)}
	if err := json.Unmarshal(b, &out.body); err != nil {
		t.Fatalf("%s %s: not JSON: %s", method, path, b)
	}
	return out
}

func (r response) message() string {
	op, _ := r.body["operation"].(map[string]any)
	res, _ := op["result"].(map[string]any)
	return fmt.Sprint(res["message"])
}

func (r response) opName() string {
	op, _ := r.body["operation"].(map[string]any)
	return fmt.Sprint(op["name"])
}

func golden(t *testing.T, name string, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden.json")
	var pretty any
	json.Unmarshal([]byte(got), &pretty)
	b, _ := json.MarshalIndent(pretty, "", "  ")
	if *update {
		os.WriteFile(path, append(b, '\n'), 0o644)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update once)", err)
	}
	if strings.TrimSpace(string(want)) != strings.TrimSpace(string(b)) {
		t.Errorf("%s differs from its golden file:\n%s\nwant:\n%s", name, b, want)
	}
}

func TestEachEndpointAnswersLikePMP(t *testing.T) {
	w := newWorld(t)
	key := w.apiUser(t, "backup@web01", "127.0.0.1", access.PasswordUser, vault.Modify)
	c := w.client("127.0.0.1")
	rid, aid := fmt.Sprint(w.res.ID), fmt.Sprint(w.db.ID)
	cases := []struct{ name, path string }{
		{"get-resources", "/resources"},
		{"get-account-list", "/resources/" + rid + "/accounts"},
		{"get-account-details", "/resources/" + rid + "/accounts/" + aid},
		{"get-password", "/resources/" + rid + "/accounts/" + aid + "/password"},
		{"get-ids-by-name", "/resources/getResourceIdAccountId?RESOURCENAME=db01&ACCOUNTNAME=postgres"},
		{"get-resource-id-by-name", "/resources/resourcename/db01"},
	}
	for _, cs := range cases {
		r := w.do(t, c, "GET", cs.path, key, nil)
		if r.status != 200 {
			t.Fatalf("%s: %d %s", cs.name, r.status, r.raw)
		}
		golden(t, cs.name, r.raw)
	}
	// The key also works as the AUTHTOKEN query parameter.
	r := w.do(t, c, "GET", "/resources/"+rid+"/accounts/"+aid+"/password?AUTHTOKEN="+url.QueryEscape(key), "", nil)
	if r.status != 200 || !strings.Contains(r.raw, "s3cr3t-pg-password") {
		t.Fatalf("query parameter: %d %s", r.status, r.raw)
	}
	// PUT changes the password with modify permission.
	form := url.Values{"INPUT_DATA": {`{"operation":{"Details":{"NEWPASSWORD":"n3w-pg-password","RESETTYPE":"LOCAL","REASON":"rotation"}}}`}}
	r = w.do(t, c, "PUT", "/resources/"+rid+"/accounts/"+aid+"/password", key, form)
	if r.status != 200 || r.opName() != "EDIT PASSWORD" {
		t.Fatalf("change: %d %s", r.status, r.raw)
	}
	if r = w.do(t, c, "GET", "/resources/"+rid+"/accounts/"+aid+"/password", key, nil); !strings.Contains(r.raw, "n3w-pg-password") {
		t.Fatalf("after change: %s", r.raw)
	}
	// Usage is recorded on the key and every call is in the audit trail.
	row := w.users.List(users.Query{Search: "backup@web01"}).Rows[0]
	if row.UseCount != 9 || row.LastUsedFrom != "127.0.0.1" || row.LastUsedAt == nil {
		t.Fatalf("usage: %d from %q", row.UseCount, row.LastUsedFrom)
	}
	w.st.View(func(tx *store.Txn) error {
		recs, _ := w.log.List(tx)
		var pw int
		for _, rec := range recs {
			if rec.Operation == "GET PASSWORD" && rec.ActorName == "API backup@web01" && rec.Source == "127.0.0.1" && rec.Target == "db01 / postgres" {
				pw++
			}
			if strings.Contains(rec.Reason+rec.Target, key) || strings.Contains(rec.Reason, "s3cr3t") {
				t.Fatal("a secret reached the audit trail")
			}
		}
		if pw != 3 {
			t.Fatalf("GET PASSWORD records: %d", pw)
		}
		if _, err := w.log.Verify(tx); err != nil {
			t.Fatal(err)
		}
		return nil
	})
}

func TestRefusals(t *testing.T) {
	w := newWorld(t)
	good := w.apiUser(t, "ok@host", "127.0.0.1", access.PasswordUser, vault.View)
	byName := w.apiUser(t, "byname@host", "localhost", access.PasswordUser, vault.View)
	cidr := w.apiUser(t, "cidr@host", "127.0.0.0/30", access.PasswordUser, vault.View)
	noShare := w.apiUser(t, "noshare@host", "127.0.0.1", access.PasswordUser, "")
	viewOnly := good
	expiring := w.apiUser(t, "expiring@host", "127.0.0.1", access.PasswordUser, vault.View)
	disabled := w.apiUser(t, "disabled@host", "127.0.0.1", access.PasswordUser, vault.View)
	restOff := w.apiUser(t, "restoff@host", "127.0.0.1", access.PasswordUser, vault.View)
	exp := w.clock.Now().Add(48 * time.Hour)
	if _, err := w.users.UpdateAPIUser(w.admin, "expiring@host", users.APIUserInput{Host: "127.0.0.1", FullName: "API expiring",
		Role: access.PasswordUser, Scope: access.ScopeOwnedShared, RESTEnabled: true, ExpiresAt: &exp}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := w.users.SetDisabled(w.admin, "disabled@host", true); err != nil {
		t.Fatal(err)
	}
	if _, err := w.users.UpdateAPIUser(w.admin, "restoff@host", users.APIUserInput{Host: "127.0.0.1", FullName: "API restoff",
		Role: access.PasswordUser, Scope: access.ScopeOwnedShared}, nil); err != nil {
		t.Fatal(err)
	}
	pw := fmt.Sprintf("/resources/%d/accounts/%d/password", w.res.ID, w.db.ID)
	local, other := w.client("127.0.0.1"), w.client("127.0.0.2")
	flipped := []byte(good)
	flipped[10] ^= 1

	cases := []struct {
		name   string
		c      *http.Client
		method string
		key    string
		status int
		msg    string
	}{
		{"the right host succeeds", local, "GET", good, 200, "Password fetched successfully"},
		{"an unknown key", local, "GET", "hbk_" + strings.Repeat("0", 49), 401, MsgUnknownKey},
		{"a key with a bad checksum", local, "GET", string(flipped), 401, MsgUnknownKey},
		{"no key at all", local, "GET", "", 401, MsgUnknownKey},
		{"a disabled user", local, "GET", disabled, 401, MsgDisabled},
		{"REST API turned off", local, "GET", restOff, 403, MsgRESTOff},
		{"the wrong host (a real second source address)", other, "GET", good, 403, MsgWrongHost},
		{"a hostname binding from its address", local, "GET", byName, 200, "Password fetched successfully"},
		{"a hostname binding from elsewhere", other, "GET", byName, 403, MsgWrongHost},
		{"a CIDR binding from inside", other, "GET", cidr, 200, "Password fetched successfully"},
		{"no share", local, "GET", noShare, 404, "Resource or account not found, or not shared with you"},
		{"a view-only share cannot change the password", local, "PUT", viewOnly, 403, "This account is shared with you for viewing only"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var form url.Values
			if c.method == "PUT" {
				form = url.Values{"INPUT_DATA": {`{"operation":{"Details":{"NEWPASSWORD":"x-new-password"}}}`}}
			}
			r := w.do(t, c.c, c.method, pw, c.key, form)
			if r.status != c.status || r.message() != c.msg {
				t.Fatalf("got %d %q, want %d %q", r.status, r.message(), c.status, c.msg)
			}
			if c.status == 401 && r.opName() != "Authentication" {
				t.Fatalf("operation name %q", r.opName())
			}
		})
	}
	t.Run("an expired key (injected clock)", func(t *testing.T) {
		if r := w.do(t, local, "GET", pw, expiring, nil); r.status != 200 {
			t.Fatalf("before expiry: %d", r.status)
		}
		w.clock.Advance(49 * time.Hour)
		if r := w.do(t, local, "GET", pw, expiring, nil); r.status != 401 || r.message() != MsgExpired {
			t.Fatalf("after expiry: %d %q", r.status, r.message())
		}
	})
	t.Run("the wrong-host refusal is audited with what was observed and expected", func(t *testing.T) {
		w.st.View(func(tx *store.Txn) error {
			recs, _ := w.log.List(tx)
			for _, r := range recs {
				if r.Actor == "byname@host" && r.Result == audit.Failure &&
					strings.Contains(r.Reason, "request from 127.0.0.2, expected localhost (resolves to 127.0.0.1)") {
					return nil
				}
			}
			t.Fatal("no audit record of the wrong host")
			return nil
		})
	})
}

func TestRegeneratedKeysStopWorkingAtOnce(t *testing.T) {
	w := newWorld(t)
	old := w.apiUser(t, "rot@host", "127.0.0.1", access.PasswordUser, vault.View)
	c := w.client("127.0.0.1")
	pw := fmt.Sprintf("/resources/%d/accounts/%d/password", w.res.ID, w.db.ID)
	if r := w.do(t, c, "GET", pw, old, nil); r.status != 200 {
		t.Fatal(r.raw)
	}
	k, _ := apikey.Generate()
	if _, err := w.users.RegenerateAPIKey(w.admin, "rot@host", k, 0); err != nil {
		t.Fatal(err)
	}
	if r := w.do(t, c, "GET", pw, old, nil); r.status != 401 {
		t.Fatalf("old key: %d", r.status)
	}
	if r := w.do(t, c, "GET", pw, k.String(), nil); r.status != 200 {
		t.Fatalf("new key: %d", r.status)
	}

	// With a grace period both keys work until it ends, then only the new.
	k3, _ := apikey.Generate()
	if _, err := w.users.RegenerateAPIKey(w.admin, "rot@host", k3, 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{k.String(), k3.String()} {
		if r := w.do(t, c, "GET", pw, key, nil); r.status != 200 {
			t.Fatalf("within the grace period: %d", r.status)
		}
	}
	w.clock.Advance(10*time.Minute + time.Second)
	if r := w.do(t, c, "GET", pw, k.String(), nil); r.status != 401 {
		t.Fatalf("old key after the grace period: %d", r.status)
	}
	if r := w.do(t, c, "GET", pw, k3.String(), nil); r.status != 200 {
		t.Fatalf("new key after the grace period: %d", r.status)
	}
	if _, err := w.users.RegenerateAPIKey(w.admin, "rot@host", k3, 8*24*time.Hour); err == nil {
		t.Fatal("a grace period over 7 days was accepted")
	}
}

func TestFailedAuthenticationsAreRateLimitedPerAddress(t *testing.T) {
	w := newWorldWithBurst(t, 5)
	good := w.apiUser(t, "ok@host", "127.0.0.0/8", access.PasswordUser, vault.View)
	attacker, legit := w.client("127.0.0.3"), w.client("127.0.0.1")
	pw := fmt.Sprintf("/resources/%d/accounts/%d/password", w.res.ID, w.db.ID)
	bad := "hbk_" + strings.Repeat("1", 49)
	var throttled response
	for i := range 8 {
		r := w.do(t, attacker, "GET", pw, bad, nil)
		if i < 5 && r.status != 401 {
			t.Fatalf("attempt %d: %d", i, r.status)
		}
		if i >= 5 {
			throttled = r
		}
	}
	if throttled.status != 429 || throttled.header.Get("Retry-After") == "" {
		t.Fatalf("after the burst: %d, Retry-After %q", throttled.status, throttled.header.Get("Retry-After"))
	}
	// Even the right key is throttled from that address, but not elsewhere.
	if r := w.do(t, attacker, "GET", pw, good, nil); r.status != 429 {
		t.Fatalf("good key from the attacker: %d", r.status)
	}
	if r := w.do(t, legit, "GET", pw, good, nil); r.status != 200 {
		t.Fatalf("legitimate client: %d", r.status)
	}
	w.clock.Advance(time.Minute)
	if r := w.do(t, attacker, "GET", pw, good, nil); r.status != 200 {
		t.Fatalf("after the window: %d", r.status)
	}
}

func TestBadRequestsGetCleanErrors(t *testing.T) {
	w := newWorld(t)
	key := w.apiUser(t, "ok@host", "127.0.0.1", access.PasswordUser, vault.Modify)
	c := w.client("127.0.0.1")
	pw := fmt.Sprintf("/resources/%d/accounts/%d/password", w.res.ID, w.db.ID)
	cases := []struct {
		name   string
		method string
		path   string
		form   url.Values
		status int
	}{
		{"an unknown URL", "GET", "/nothing", nil, 404},
		{"a non-numeric id", "GET", "/resources/abc/accounts", nil, 404},
		{"a wrong method", "DELETE", pw, nil, 405},
		{"malformed INPUT_DATA", "PUT", pw, url.Values{"INPUT_DATA": {"{not json"}}, 400},
		{"an oversized body", "PUT", pw, url.Values{"INPUT_DATA": {strings.Repeat("x", 70<<10)}}, 400},
		{"PUT without a new password", "PUT", pw, url.Values{"INPUT_DATA": {`{"operation":{"Details":{}}}`}}, 400},
	}
	for _, cs := range cases {
		if r := w.do(t, c, cs.method, cs.path, key, cs.form); r.status != cs.status {
			t.Errorf("%s: got %d %s", cs.name, r.status, r.raw)
		}
	}
	if r := w.do(t, c, "GET", pw, key, nil); r.status != 200 {
		t.Fatalf("the server stopped serving: %d", r.status)
	}
}
