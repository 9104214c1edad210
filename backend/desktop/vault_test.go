package desktop

import (
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"hostbound/backend/apperr"
	"hostbound/backend/restapi"
)

// TestTheWholeFlowFetchesAPasswordOverTheRunningAPI is the story in
// the backend: an operator adds a resource with an account, an API user
// bound to localhost with a key, shares the resource, and the key fetches
// the password from the REST API the session started.
func TestTheWholeFlowFetchesAPasswordOverTheRunningAPI(t *testing.T) {
	t.Parallel()
	r, s, u := loggedIn(t)
	v := NewVault(s.Session)
	res, err := v.CreateResource(ResourceRequest{Name: "db01", DNSName: "db01.example.com", Type: "PostgreSQL"})
	if err != nil {
		t.Fatal(err)
	}
	acct, err := v.CreateAccount(res.ID, AccountRequest{Name: "postgres", Password: "pg-secret-value"})
	if err != nil {
		t.Fatal(err)
	}
	key, err := u.GenerateAPIKey()
	if err != nil {
		t.Fatal(err)
	}
	req := apiRequest(key, r.clock.Now().AddDate(0, 1, 0))
	req.Host = "localhost"
	if _, err := u.CreateAPIUser(req); err != nil {
		t.Fatal(err)
	}
	if err := v.ShareResource(ShareRequest{ResourceID: res.ID, Grantee: req.Username, Permission: "view"}); err != nil {
		t.Fatal(err)
	}
	info, err := v.GetAPIServer()
	if err != nil || !info.Running || !strings.HasPrefix(info.URL, "https://127.0.0.1:") || len(info.Fingerprint) != 95 {
		t.Fatalf("api server: %+v, %v", info, err)
	}
	// The API lives under restapi.Base on the address the server reports.
	if info.URL != "https://"+info.Address+restapi.Base {
		t.Fatalf("api url %q for address %q", info.URL, info.Address)
	}
	c := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	hreq, _ := http.NewRequest("GET", fmt.Sprintf("https://%s%s/resources/%s/accounts/%s/password", info.Address, restapi.Base, res.ID, acct.ID), nil)
	hreq.Header.Set("AUTHTOKEN", key)
	resp, err := c.Do(hreq)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var env struct {
		Operation struct {
			Details struct{ PASSWORD string }
		}
	}
	json.Unmarshal(body, &env)
	if resp.StatusCode != 200 || env.Operation.Details.PASSWORD != "pg-secret-value" {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	// The REST call is audited under the domain's operation name (since
	// 8e93380; the REST face used to name its own), as the API user, from
	// its address.
	trail, err := NewAudit(s.Session).QueryAudit(AuditFilter{Actor: req.Username, Operation: "reveal password"}, 0, 10)
	if err != nil || len(trail.Records) != 1 {
		t.Fatalf("audit of the REST call: %+v, %v", trail, err)
	}
	if rec := trail.Records[0]; rec.Result != "success" || rec.Source != "127.0.0.1" || rec.ActorKind != "api" || rec.Target != "db01 / postgres" {
		t.Fatalf("audit record of the REST call: %+v", rec)
	}
	// The operator can reveal it too, audited; the list shows the key used.
	if pw, err := v.RevealPassword(res.ID, acct.ID, "copy", "", ""); err != nil || pw != "pg-secret-value" {
		t.Fatalf("reveal: %v", err)
	}
	page, _ := u.ListUsers(usersQuery(req.Username))
	if page.Rows[0].UseCount != 1 || page.Rows[0].LastUsedFrom != "127.0.0.1" || page.Rows[0].LastUsedAt == "" {
		t.Fatalf("usage %+v", page.Rows[0])
	}
	// A resource that is not there, or an id that is no id, gets the one
	// answer of the domain (its wording since 8e93380).
	for _, id := range []string{"999999", "not-an-id"} {
		if e := uiErr(t, second(v.GetResource(id))); e.Code != apperr.NotFound || e.Message != "Resource or account not found, or not shared with you" {
			t.Fatalf("resource %q: %+v", id, e)
		}
	}
	// Settings: only settings.manage may change the server; a bad address names the field.
	if e := uiErr(t, second(v.SaveAPIServer("nonsense", true, "", false))); e.Field != "listen" {
		t.Fatalf("bad listen: %+v", e)
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	free := ln.Addr().String()
	ln.Close()
	if info, err := v.SaveAPIServer(free, true, "", true); err != nil || !info.Running || info.Address != free || !info.RefusalsAsPMP {
		t.Fatalf("move via settings: %+v, %v", info, err)
	}
	if info, err := v.SaveAPIServer(free, false, "", false); err != nil || info.Running || info.RefusalsAsPMP {
		t.Fatalf("stop via settings: %+v, %v", info, err)
	}
}
