package restapi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/audit"
	"hostbound/backend/internal/testdomain"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/store"
	"hostbound/backend/users"
	"hostbound/backend/vault"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// world is a running API over HTTPS on 127.0.0.1 (restapi.Server, as the
// app runs it) over the whole domain with one administrator, one resource
// with two accounts and API users to call it.
type world struct {
	*testdomain.World
	srv    *Server
	base   string
	pool   *x509.CertPool
	res    vault.Resource
	db, os vault.Account
}

func newWorld(tb testing.TB) *world { return newWorldWith(tb, testdomain.Options{}) }

func newWorldWith(tb testing.TB, o testdomain.Options) *world {
	tb.Helper()
	w := &world{World: testdomain.New(tb, o)}
	a := w.AdminActor
	var err error
	if w.res, err = w.Vault.CreateResource(a, vault.ResourceInput{Name: "db01", DNSName: "db01.example.com", Type: "PostgreSQL",
		Description: "Main database", Department: "IT", Location: "Berlin", URL: "https://db01.example.com"}); err != nil {
		tb.Fatal(err)
	}
	if w.db, err = w.Vault.CreateAccount(a, w.res.ID, vault.AccountInput{Name: "postgres", Password: "s3cr3t-pg-password", Notes: "superuser"}); err != nil {
		tb.Fatal(err)
	}
	if w.os, err = w.Vault.CreateAccount(a, w.res.ID, vault.AccountInput{Name: "root", Password: "s3cr3t-root-password"}); err != nil {
		tb.Fatal(err)
	}

	cert, _, err := w.Settings.Certificate()
	if err != nil {
		tb.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(cert.Certificate[0])
	w.pool = x509.NewCertPool()
	w.pool.AddCert(leaf)
	api := New(Config{Users: w.Users, Vault: w.Vault, Clock: w.Clock.Now, Log: testenv.Log()})
	w.srv = NewServer(api, w.Settings.Certificate, testenv.Log())
	if err := w.srv.Start("127.0.0.1:0"); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { w.srv.Stop(context.Background()) })
	w.base = w.srv.Status().URL
	return w
}

// apiUser creates an API user bound to host with a key, sharing the
// resource with it when share is not "".
func (w *world) apiUser(t testing.TB, name, host, role string, share vault.Permission) string {
	t.Helper()
	k, _ := apikey.Generate()
	u, err := w.Users.CreateAPIUser(w.AdminActor, users.APIUserInput{Username: name, Host: host, FullName: "API " + name,
		Role: role, Scope: access.ScopeOwnedShared, RESTEnabled: true, NeverExpires: true}, &k)
	if err != nil {
		t.Fatal(err)
	}
	if share != "" {
		if err := w.Vault.Share(w.AdminActor, vault.ShareInput{ResourceID: w.res.ID, Grantee: u.Username, Permission: share}); err != nil {
			t.Fatal(err)
		}
	}
	return k.String()
}

// records returns the audit trail after checking its chain.
func (w *world) records(t testing.TB) []audit.Record {
	t.Helper()
	var recs []audit.Record
	err := w.Store.View(func(tx *store.Txn) error {
		if _, err := w.Audit.Verify(tx); err != nil {
			return err
		}
		var err error
		recs, err = w.Audit.List(tx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return recs
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
	page, err := w.Users.List(w.AdminActor, users.Query{Search: "backup@web01"})
	if err != nil {
		t.Fatal(err)
	}
	row := page.Rows[0]
	if row.UseCount != 9 || row.LastUsedFrom != "127.0.0.1" || row.LastUsedAt == nil {
		t.Fatalf("usage: %d from %q", row.UseCount, row.LastUsedFrom)
	}
	// The audit records carry the domain's operation names, the same for
	// every face (PMP's request names stay in the envelope).
	ops := map[string]int{}
	var pw int
	for _, rec := range w.records(t) {
		if rec.Actor == "backup@web01" && rec.ActorName == "API backup@web01" && rec.ActorKind == string(access.KindAPI) &&
			rec.Source == "127.0.0.1" && rec.Result == audit.Success {
			ops[rec.Operation]++
		}
		if rec.Operation == "reveal password" && rec.ActorName == "API backup@web01" && rec.Source == "127.0.0.1" && rec.Target == "db01 / postgres" {
			pw++
		}
		if rec.Operation == "change password" && rec.Actor == "backup@web01" && (rec.Target != "db01 / postgres" || rec.Reason != "reason: rotation") {
			t.Errorf("change password record: target %q, reason %q", rec.Target, rec.Reason)
		}
		if strings.Contains(rec.Reason+rec.Target, key) || strings.Contains(rec.Reason, "s3cr3t") || strings.Contains(rec.Reason, "n3w-pg") {
			t.Fatal("a secret reached the audit trail")
		}
	}
	if pw != 3 {
		t.Fatalf("reveal password records: %d", pw)
	}
	want := map[string]int{"list resources": 1, "view resource": 1, "view account": 1, "reveal password": 3,
		"find account": 1, "find resource": 1, "change password": 1}
	if !maps.Equal(ops, want) {
		t.Fatalf("audited operations %v, want %v", ops, want)
	}
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
	exp := w.Clock.Now().Add(48 * time.Hour)
	if _, err := w.Users.UpdateAPIUser(w.AdminActor, "expiring@host", users.APIUserInput{Host: "127.0.0.1", FullName: "API expiring",
		Role: access.PasswordUser, Scope: access.ScopeOwnedShared, RESTEnabled: true, ExpiresAt: &exp}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Users.SetDisabled(w.AdminActor, "disabled@host", true); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Users.UpdateAPIUser(w.AdminActor, "restoff@host", users.APIUserInput{Host: "127.0.0.1", FullName: "API restoff",
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
		{"an unknown key", local, "GET", "hbk_" + strings.Repeat("0", 49), 401, users.MsgUnknownKey},
		{"a key with a bad checksum", local, "GET", string(flipped), 401, users.MsgUnknownKey},
		{"no key at all", local, "GET", "", 401, users.MsgUnknownKey},
		{"a disabled user", local, "GET", disabled, 401, users.MsgAPIDisabled},
		{"REST API turned off", local, "GET", restOff, 403, users.MsgRESTOff},
		{"the wrong host (a real second source address)", other, "GET", good, 403, users.MsgWrongHost},
		{"a hostname binding from its address", local, "GET", byName, 200, "Password fetched successfully"},
		{"a hostname binding from elsewhere", other, "GET", byName, 403, users.MsgWrongHost},
		{"a CIDR binding from inside", other, "GET", cidr, 200, "Password fetched successfully"},
		{"no share", local, "GET", noShare, 404, vault.MsgNotFound},
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
		w.Clock.Advance(49 * time.Hour)
		if r := w.do(t, local, "GET", pw, expiring, nil); r.status != 401 || r.message() != users.MsgExpired {
			t.Fatalf("after expiry: %d %q", r.status, r.message())
		}
	})
	t.Run("the wrong-host refusals are audited with what was observed and expected", func(t *testing.T) {
		// The first failure from 127.0.0.2 in a minute is recorded at
		// once; the rest of that minute (byname's) as one summary once the
		// minute has ended.
		w.Clock.Advance(time.Minute)
		w.Guard.Flush()
		var first, summary bool
		for _, r := range w.records(t) {
			if r.Result != audit.Failure || r.Source != "127.0.0.2" || r.Operation != "GET PASSWORD" {
				continue
			}
			switch {
			case r.Actor == "ok@host" && r.Reason == "wrong host: request from 127.0.0.2, expected 127.0.0.1":
				first = true
			case r.Actor == "byname@host" && strings.HasPrefix(r.Reason, "1 more failed authentications from 127.0.0.2 ") &&
				strings.Contains(r.Reason, "request from 127.0.0.2, expected localhost (resolves to 127.0.0.1)"):
				summary = true
			}
		}
		if !first || !summary {
			t.Fatalf("no audit record of the wrong host: first %v, summary %v", first, summary)
		}
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
	if _, err := w.Users.RegenerateAPIKey(w.AdminActor, "rot@host", k, 0); err != nil {
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
	if _, err := w.Users.RegenerateAPIKey(w.AdminActor, "rot@host", k3, 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{k.String(), k3.String()} {
		if r := w.do(t, c, "GET", pw, key, nil); r.status != 200 {
			t.Fatalf("within the grace period: %d", r.status)
		}
	}
	w.Clock.Advance(10*time.Minute + time.Second)
	if r := w.do(t, c, "GET", pw, k.String(), nil); r.status != 401 {
		t.Fatalf("old key after the grace period: %d", r.status)
	}
	if r := w.do(t, c, "GET", pw, k3.String(), nil); r.status != 200 {
		t.Fatalf("new key after the grace period: %d", r.status)
	}
	if _, err := w.Users.RegenerateAPIKey(w.AdminActor, "rot@host", k3, 8*24*time.Hour); err == nil {
		t.Fatal("a grace period over 7 days was accepted")
	}
}

func TestFailedAuthenticationsAreRateLimitedPerAddress(t *testing.T) {
	w := newWorldWith(t, testdomain.Options{FailBurst: 5})
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
	if throttled.opName() != "Authentication" || throttled.message() != users.MsgTooMany {
		t.Fatalf("after the burst: %q %q", throttled.opName(), throttled.message())
	}
	// Even the right key is throttled from that address, but not elsewhere.
	if r := w.do(t, attacker, "GET", pw, good, nil); r.status != 429 {
		t.Fatalf("good key from the attacker: %d", r.status)
	}
	if r := w.do(t, legit, "GET", pw, good, nil); r.status != 200 {
		t.Fatalf("legitimate client: %d", r.status)
	}
	w.Clock.Advance(time.Minute)
	if r := w.do(t, attacker, "GET", pw, good, nil); r.status != 200 {
		t.Fatalf("after the window: %d", r.status)
	}

	// The five failures are audited per source and minute: the first at
	// once, the other four as one summary when the minute has ended;
	// refusals while blocked are answered from memory and not recorded.
	w.Guard.Flush()
	var got []string
	for _, r := range w.records(t) {
		if r.Source == "127.0.0.3" && r.Result == audit.Failure {
			got = append(got, r.Operation+": "+r.Reason)
		}
	}
	want := []string{"GET PASSWORD: API key checksum does not match",
		"GET PASSWORD: 4 more failed authentications from 127.0.0.3 between 09:00 and 09:01 UTC (last: API key checksum does not match)"}
	if !slices.Equal(got, want) {
		t.Fatalf("failure records from 127.0.0.3:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestBadRequestsGetCleanErrors(t *testing.T) {
	w := newWorld(t)
	key := w.apiUser(t, "ok@host", "127.0.0.1", access.PasswordUser, vault.Modify)
	c := w.client("127.0.0.1")
	res := fmt.Sprintf("/resources/%d", w.res.ID)
	acct := fmt.Sprintf("%s/accounts/%d", res, w.db.ID)
	pw := acct + "/password"
	in := func(fields string) url.Values {
		return url.Values{"INPUT_DATA": {`{"operation":{"Details":{` + fields + `}}}`}}
	}
	cases := []struct {
		name   string
		method string
		path   string
		form   url.Values
		status int
		msg    string
	}{
		{"an unknown URL", "GET", "/nothing", nil, 404, "Invalid API URL"},
		{"a non-numeric id", "GET", "/resources/abc/accounts", nil, 404, "Invalid API URL"},
		{"a wrong method", "DELETE", pw, nil, 405, "Method not allowed"},
		{"malformed INPUT_DATA", "PUT", pw, url.Values{"INPUT_DATA": {"{not json"}}, 400,
			"INPUT_DATA is not valid JSON: invalid character 'n' looking for beginning of object key string at character 2"},
		{"an oversized body", "PUT", pw, url.Values{"INPUT_DATA": {strings.Repeat("x", 70<<10)}}, 400, "request body over 65536 bytes"},
		// The domain's rule, the same for every face.
		{"PUT without a new password", "PUT", pw, url.Values{"INPUT_DATA": {`{"operation":{"Details":{}}}`}}, 400, "NEWPASSWORD: 1 to 4096 characters of valid text"},
		{"a field of the wrong type", "PUT", pw, in(`"NEWPASSWORD":["x"]`), 400, "NEWPASSWORD: must be text (a JSON string)"},
		{"a boolean that is none", "PUT", acct, in(`"ISREASONREQUIRED":"perhaps"`), 400, "ISREASONREQUIRED: must be true or false"},
		{"an oversized field", "GET", pw + "?INPUT_DATA=" + url.QueryEscape(`{"operation":{"Details":{"REASON":"`+strings.Repeat("r", 1025)+`"}}}`), nil, 400, "REASON: at most 1024 characters"},
		{"Details that is not an object", "PUT", pw, url.Values{"INPUT_DATA": {`{"operation":{"Details":"x"}}`}}, 400, "INPUT_DATA: operation.Details must be an object"},
		{"data after the JSON", "PUT", pw, url.Values{"INPUT_DATA": {`{"operation":{}} {}`}}, 400, "INPUT_DATA is not valid JSON: unexpected data after the JSON value at character 17"},
		{"an account list that is not one", "POST", res + "/accounts", in(`"ACCOUNTLIST":{"ACCOUNTNAME":"x"}`), 400, "ACCOUNTLIST: must be a list of objects"},
		{"a bad item of an account list", "POST", res + "/accounts", in(`"ACCOUNTLIST":[{"ACCOUNTNAME":"ok","PASSWORD":"p"},{"ACCOUNTNAME":false}]`), 400, "ACCOUNTLIST[1].ACCOUNTNAME: must be text (a JSON string)"},
		{"an unknown policy", "GET", "/passwords/generate?POLICY=Paranoid", nil, 400, "POLICY: one of Strong, Medium, Low"},
	}
	for _, cs := range cases {
		if r := w.do(t, c, cs.method, cs.path, key, cs.form); r.status != cs.status || r.message() != cs.msg {
			t.Errorf("%s: got %d %s, want %d %q", cs.name, r.status, r.raw, cs.status, cs.msg)
		}
	}
	if r := w.do(t, c, "GET", pw, key, nil); r.status != 200 {
		t.Fatalf("the server stopped serving: %d", r.status)
	}
	// Unknown fields are ignored, and a Python dict's repr (XSOAR sends
	// INPUT_DATA so) reads as the JSON it stands for.
	py := url.Values{"INPUT_DATA": {`{'operation': {'Details': {'NEWPASSWORD': 'it\'s-new', 'RESETTYPE': 'LOCAL', 'REASON': None, 'X': True}}}`}}
	if r := w.do(t, c, "PUT", pw, key, py); r.status != 200 {
		t.Fatalf("Python literal: %d %s", r.status, r.raw)
	}
	if r := w.do(t, c, "GET", pw, key, nil); !strings.Contains(r.raw, `"it's-new"`) {
		t.Fatalf("after the Python literal: %s", r.raw)
	}
}

func TestServerReportsItsState(t *testing.T) {
	w := newWorld(t)
	st := w.srv.Status()
	_, fp, err := w.Settings.Certificate()
	if err != nil {
		t.Fatal(err)
	}
	if !st.Running || st.Error != "" || st.Fingerprint != fp || st.URL != "https://"+st.Address+Base || !strings.HasPrefix(st.Address, "127.0.0.1:") {
		t.Fatalf("running: %+v (certificate %s)", st, fp)
	}
	if err := w.srv.Start("127.0.0.1:0"); err == nil {
		t.Fatal("a second Start on a running server succeeded")
	}
	// A busy port is an error, kept in Status.
	other := NewServer(New(Config{Users: w.Users, Vault: w.Vault, Clock: w.Clock.Now, Log: testenv.Log()}), w.Settings.Certificate, testenv.Log())
	if err := other.Start(st.Address); err == nil || other.Status().Running || !strings.Contains(other.Status().Error, "cannot listen on "+st.Address) {
		t.Fatalf("busy port: %v, %+v", err, other.Status())
	}
	if err := w.srv.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if st := w.srv.Status(); st.Running {
		t.Fatalf("stopped: %+v", st)
	}
	if _, err := w.client("127.0.0.1").Get(w.base + "/resources"); err == nil {
		t.Fatal("the stopped server still answers")
	}
	// It starts again (the desktop restarts it when settings change).
	if err := w.srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	w.base = w.srv.Status().URL
	key := w.apiUser(t, "again@host", "127.0.0.1", access.PasswordUser, vault.View)
	if r := w.do(t, w.client("127.0.0.1"), "GET", "/resources", key, nil); r.status != 200 {
		t.Fatalf("after a restart: %d %s", r.status, r.raw)
	}
}
