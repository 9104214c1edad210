package desktop

import (
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"hostbound/backend/apperr"
	"hostbound/backend/passgen"
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

// The Add / Edit Resource form's twins of the REST API: the resource types
// it suggests and the Owner a Super Administrator may give a resource to.
func TestTheResourceFormOffersTypesAndGivesResourcesToAnOwner(t *testing.T) {
	t.Parallel()
	_, s, u := loggedIn(t)
	v := NewVault(s.Session)
	if _, err := u.CreateOperator(OperatorRequest{Username: "pat", FullName: "Pat Passwords", Email: "pat@example.com",
		Password: "pat's long password", ConfirmPassword: "pat's long password", Role: "password_admin", Scope: "owned_shared"}); err != nil {
		t.Fatal(err)
	}

	t.Run("the types are the standard ones and those in use, sorted", func(t *testing.T) {
		if _, err := v.CreateResource(ResourceRequest{Name: "kafka01", Type: "Kafka Cluster"}); err != nil {
			t.Fatal(err)
		}
		types, err := v.ResourceTypes()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(types, "Linux") || !slices.Contains(types, "Kafka Cluster") ||
			!slices.IsSortedFunc(types, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) }) {
			t.Fatalf("types %q", types)
		}
	})

	t.Run("a Super Administrator gives a resource to another user, and a blank Owner keeps them", func(t *testing.T) {
		r, err := v.CreateResource(ResourceRequest{Name: "given", Owner: "pat"})
		if err != nil || r.Owner != "pat" {
			t.Fatalf("create for pat: %+v, %v", r, err)
		}
		if r, err = v.UpdateResource(r.ID, ResourceRequest{Name: "given", Description: "edited"}); err != nil || r.Owner != "pat" {
			t.Fatalf("edit with a blank owner: %+v, %v", r, err)
		}
		if e := uiErr(t, second(v.CreateResource(ResourceRequest{Name: "orphan", Owner: "nobody"}))); e.Field != "owner" {
			t.Fatalf("unknown owner: %+v", e)
		}
	})

	t.Run("an operator without All Passwords may not give a resource away; the refusal names Owner", func(t *testing.T) {
		if _, err := s.LogOut(); err != nil {
			t.Fatal(err)
		}
		if _, err := s.LogIn("pat", "pat's long password"); err != nil {
			t.Fatal(err)
		}
		e := uiErr(t, second(v.CreateResource(ResourceRequest{Name: "pats-gift", Owner: "admin"})))
		if e.Field != "owner" || e.Message != "Owner: only a user with the All Passwords scope may give a resource to someone else" {
			t.Fatalf("gift: %+v", e)
		}
		if r, err := v.CreateResource(ResourceRequest{Name: "pats-own"}); err != nil || r.Owner != "pat" {
			t.Fatalf("own: %+v, %v", r, err)
		}
	})
}

// The account form's Generate: the policies it offers, and a password of
// the chosen one that reaches no audit record.
func TestGeneratePasswordFollowsThePolicyAndAuditsOnlyItsName(t *testing.T) {
	t.Parallel()
	_, s, _ := loggedIn(t)
	v := NewVault(s.Session)

	want := []PolicyView{
		{Name: "Strong", Length: 20, Description: "20 characters: lower, upper, digits and symbols, at least 2 of each"},
		{Name: "Medium", Length: 14, Description: "14 characters: lower, upper and digits, at least 1 of each"},
		{Name: "Low", Length: 10, Description: "10 characters: lower and digits, at least 1 of each"},
	}
	if got := v.PasswordPolicies(); !slices.Equal(got, want) {
		t.Fatalf("policies %+v", got)
	}
	if got := describePolicy(passgen.Policy{Length: 8, Classes: []passgen.Class{{Chars: passgen.Lower, Min: 1}, {Chars: passgen.Digits, Min: 3}}}); got != "8 characters: lower and digits, at least 1 lower, 3 digits" {
		t.Fatalf("mixed minimums: %q", got)
	}

	var generated []string
	for _, c := range []struct{ policy, want string }{{"", "Strong"}, {"Medium", "Medium"}, {"low", "Low"}} {
		pw, err := v.GeneratePassword(c.policy)
		if err != nil {
			t.Fatalf("%q: %v", c.policy, err)
		}
		if p, _ := passgen.Find(c.want); !p.Meets(pw) {
			t.Fatalf("%q: %q does not meet %s", c.policy, pw, c.want)
		}
		generated = append(generated, pw)
	}
	if e := uiErr(t, second(v.GeneratePassword("Ultra"))); e.Field != "policy" || e.Message != "Policy: one of Strong, Medium, Low" {
		t.Fatalf("unknown policy: %+v", e)
	}

	// An operator's reads are not audited (an API user's name only the
	// policy); nothing in the trail holds a generated password.
	trail, err := NewAudit(s.Session).QueryAudit(AuditFilter{}, 0, 1000)
	if err != nil || len(trail.Records) == 0 {
		t.Fatalf("audit trail: %+v, %v", trail, err)
	}
	all := toJSON(t, trail)
	for _, pw := range generated {
		if strings.Contains(all, pw) {
			t.Fatalf("the audit trail holds a generated password: %s", all)
		}
	}
}
