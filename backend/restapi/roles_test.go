package restapi

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/internal/testdomain"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/users"
	"hostbound/backend/vault"
)

// What an API user of each built-in role may do over the API: the same as
// in the app (PRODUCT.md §1 and §11). Each role's API user (scope Owned
// and Shared) owns a resource of its own (given to it by the Super
// Administrator), sees db01 through a view share, and faces a Password
// User API user it may or may not administer.

var roleColumns = []string{access.PrivilegedAdmin, access.Admin, access.PasswordAdmin, access.PasswordAuditor, access.PasswordUser}

// fixture is one role's corner of the world.
type fixture struct {
	key               string       // the API user's key
	actor             access.Actor // the operator (operator fixtures)
	own, ownDel       vault.Resource
	ownA1, ownA2      vault.Account
	victim, victimDel *users.User
}

// fixture makes role's API user and its corner of the world.
func (w *world) fixture(t *testing.T, role string) fixture { return w.fixtureOf(t, role, false) }

// fixtureOf makes it for an API user, or for an operator of the role.
func (w *world) fixtureOf(t *testing.T, role string, operator bool) fixture {
	t.Helper()
	var f fixture
	var name string
	if operator {
		f.actor = w.Operator(t, "op-"+strings.ReplaceAll(role, "_", "-"), role, access.ScopeOwnedShared)
		name = f.actor.Username
	} else {
		name = strings.ReplaceAll(role, "_", "-") + "@localhost"
		k, _ := apikey.Generate()
		if _, err := w.Users.CreateAPIUser(w.AdminActor, users.APIUserInput{Username: name, Host: "127.0.0.1", FullName: "API " + role,
			Role: role, Scope: access.ScopeOwnedShared, RESTEnabled: true, NeverExpires: true}, &k); err != nil {
			t.Fatal(err)
		}
		f.key = k.String()
	}
	if err := w.Vault.Share(w.AdminActor, vault.ShareInput{ResourceID: w.res.ID, Grantee: name, Permission: vault.View}); err != nil {
		t.Fatal(err)
	}
	mk := func(res string) (vault.Resource, vault.Account, vault.Account) {
		r, a1, err := w.Vault.CreateResourceWithAccount(w.AdminActor, vault.ResourceInput{Name: res, Owner: name},
			vault.AccountInput{Name: "a1", Password: "own-pass-1"})
		if err != nil {
			t.Fatal(err)
		}
		a2, err := w.Vault.CreateAccount(w.AdminActor, r.ID, vault.AccountInput{Name: "a2", Password: "own-pass-2"})
		if err != nil {
			t.Fatal(err)
		}
		return r, a1, a2
	}
	f.own, f.ownA1, f.ownA2 = mk("own-" + role)
	f.ownDel, _, _ = mk("del-" + role)
	victim := func(n string) *users.User {
		v, err := w.Users.CreateAPIUser(w.AdminActor, users.APIUserInput{Username: n, Host: "10.0.0.1", FullName: "Victim " + n,
			Role: access.PasswordUser, Scope: access.ScopeOwnedShared}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	f.victim, f.victimDel = victim("victim-"+role+"@10.0.0.1"), victim("victim-del-"+role+"@10.0.0.1")
	return f
}

// roleCase is one row of the table: a call and which roles may make it.
type roleCase struct {
	what    string
	method  string
	path    func(w *world, f fixture) string
	input   string // INPUT_DATA Details, "" for none
	allowed string // one letter per role column: y or n
}

func inputData(s string) url.Values {
	if s == "" {
		return nil
	}
	return url.Values{"INPUT_DATA": {`{"operation":{"Details":{` + s + `}}}`}}
}

var roleCases = []roleCase{
	{"list resources", "GET", func(*world, fixture) string { return "/resources" }, "", "yyyyy"},
	{"list a shared resource's accounts", "GET", func(w *world, _ fixture) string { return fmt.Sprintf("/resources/%d/accounts", w.res.ID) }, "", "yyyyy"},
	{"view a shared account", "GET", func(w *world, _ fixture) string { return fmt.Sprintf("/resources/%d/accounts/%d", w.res.ID, w.db.ID) }, "", "yyyyy"},
	{"retrieve a shared password", "GET", func(w *world, _ fixture) string {
		return fmt.Sprintf("/resources/%d/accounts/%d/password", w.res.ID, w.db.ID)
	}, "", "yyyyy"},
	{"getResourceAccountDetails of a shared account", "GET", func(w *world, _ fixture) string {
		return fmt.Sprintf("/resources/getResourceAccountDetails?RESOURCEID=%d&ACCOUNTID=%d", w.res.ID, w.db.ID)
	}, "", "yyyyy"},
	{"ids by name", "GET", func(*world, fixture) string {
		return "/resources/getResourceIdAccountId?RESOURCENAME=db01&ACCOUNTNAME=postgres"
	}, "", "yyyyy"},
	{"resource id by name", "GET", func(*world, fixture) string { return "/resources/resourcename/db01" }, "", "yyyyy"},
	{"ids by name (older form)", "GET", func(*world, fixture) string { return "/resources/resourcename/db01/accounts/accountname/postgres" }, "", "yyyyy"},
	{"resource types", "GET", func(*world, fixture) string { return "/resources/resourcetypes" }, "", "yyyyy"},
	{"generate a password", "GET", func(*world, fixture) string { return "/passwords/generate?POLICY=Medium" }, "", "yyyyy"},
	{"password access requests", "GET", func(*world, fixture) string { return "/accounts/passwordaccessrequests" }, "", "yyyyy"},
	{"change the password of an own account", "PUT", func(_ *world, f fixture) string {
		return fmt.Sprintf("/resources/%d/accounts/%d/password", f.own.ID, f.ownA1.ID)
	}, `"NEWPASSWORD":"rotated-1"`, "yyyny"},
	{"change the password of a view-shared account", "PUT", func(w *world, _ fixture) string {
		return fmt.Sprintf("/resources/%d/accounts/%d/password", w.res.ID, w.db.ID)
	}, `"NEWPASSWORD":"rotated-2"`, "nnnnn"},
	{"create a resource", "POST", func(*world, fixture) string { return "/resources" }, `"RESOURCENAME":"new-%s","ACCOUNTNAME":"root","PASSWORD":"p4ss"`, "yyynn"},
	{"edit an own resource", "PUT", func(_ *world, f fixture) string { return fmt.Sprintf("/resources/%d", f.own.ID) }, `"RESOURCEDESCRIPTION":"edited"`, "yyynn"},
	{"edit a shared resource", "PUT", func(w *world, _ fixture) string { return fmt.Sprintf("/resources/%d", w.res.ID) }, `"RESOURCEDESCRIPTION":"edited"`, "nnnnn"},
	{"add accounts to an own resource", "POST", func(_ *world, f fixture) string { return fmt.Sprintf("/resources/%d/accounts", f.own.ID) },
		`"ACCOUNTLIST":[{"ACCOUNTNAME":"b1","PASSWORD":"x"},{"ACCOUNTNAME":"b2","PASSWORD":"y"}]`, "yyynn"},
	{"add an account to a shared resource", "POST", func(w *world, _ fixture) string { return fmt.Sprintf("/resources/%d/accounts", w.res.ID) },
		`"ACCOUNTLIST":[{"ACCOUNTNAME":"sneaky","PASSWORD":"x"}]`, "nnnnn"},
	{"edit an own account", "PUT", func(_ *world, f fixture) string {
		return fmt.Sprintf("/resources/%d/accounts/%d", f.own.ID, f.ownA1.ID)
	}, `"NOTES":"edited","ISREASONREQUIRED":"true"`, "yyynn"},
	{"delete an own account", "DELETE", func(_ *world, f fixture) string {
		return fmt.Sprintf("/resources/%d/accounts/%d", f.own.ID, f.ownA2.ID)
	}, "", "yyynn"},
	{"delete a shared account", "DELETE", func(w *world, _ fixture) string {
		return fmt.Sprintf("/resources/%d/accounts/%d", w.res.ID, w.os.ID)
	}, "", "nnnnn"},
	{"delete an own resource", "DELETE", func(_ *world, f fixture) string { return fmt.Sprintf("/resources/%d", f.ownDel.ID) }, "", "yyynn"},
	{"delete a shared resource", "DELETE", func(w *world, _ fixture) string { return fmt.Sprintf("/resources/%d", w.res.ID) }, "", "nnnnn"},
	{"add a Password User API user", "POST", func(*world, fixture) string { return "/user" },
		`"USERNAME":"made-by-%s@10.0.0.9","FULLNAME":"Made","ROLE":"Password User","ISAPIUSER":"true","HOSTNAME":"10.0.0.9","EXPIRYDATE":"NeverExpires"`, "yynnn"},
	{"add a Super Administrator API user", "POST", func(*world, fixture) string { return "/user" },
		`"USERNAME":"super-by-%s@10.0.0.9","FULLNAME":"Super","ROLE":"Administrator","ISSUPERADMIN":"true","ISAPIUSER":"true","HOSTNAME":"10.0.0.9","EXPIRYDATE":"NeverExpires"`, "nnnnn"},
	{"add a Privileged Administrator operator", "POST", func(*world, fixture) string { return "/user" },
		`"USERNAME":"priv-by-%s","FULLNAME":"Priv","ROLE":"Privileged Administrator","PASSWORD":"correct horse battery staple 1"`, "ynnnn"},
	{"find a user's id", "GET", func(_ *world, f fixture) string {
		return "/user/getUserId?USERNAME=" + url.QueryEscape(f.victim.Username)
	}, "", "yynnn"},
	{"lock a Password User API user", "PUT", func(*world, fixture) string { return "/user/lock" }, `"USERID":"{victim}"`, "yynnn"},
	{"unlock it", "PUT", func(*world, fixture) string { return "/user/unlock" }, `"USERNAME":"{victim.name}"`, "yynnn"},
	{"lock the Super Administrator operator", "PUT", func(*world, fixture) string { return "/user/lock" }, `"USERNAME":"admin"`, "nnnnn"},
	{"delete a Password User API user", "DELETE", func(_ *world, f fixture) string { return "/user/" + f.victimDel.ID }, "", "yynnn"},
}

func TestEachRoleMayDoOverTheAPIWhatItMayDoInTheApp(t *testing.T) {
	w := newWorld(t)
	c := w.client("127.0.0.1")
	fixtures := map[string]fixture{}
	for _, role := range roleColumns {
		fixtures[role] = w.fixture(t, role)
	}
	var table strings.Builder
	table.WriteString("| call | " + strings.Join(roleNames(), " | ") + " |\n|---|" + strings.Repeat("---|", len(roleColumns)) + "\n")
	for _, rc := range roleCases {
		table.WriteString("| " + rc.what + " |")
		for i, role := range roleColumns {
			f := fixtures[role]
			in := strings.NewReplacer("%s", strings.ReplaceAll(role, "_", "-"), "{victim}", f.victim.ID, "{victim.name}", f.victim.Username).Replace(rc.input)
			r := w.do(t, c, rc.method, rc.path(w, f), f.key, inputData(in))
			allowed := rc.allowed[i] == 'y'
			ok := r.status == 200 && strings.Contains(r.raw, `"status":"Success"`)
			if ok != allowed {
				t.Errorf("%s as %s: %d %s (allowed: %v)", rc.what, role, r.status, r.raw, allowed)
			}
			if !ok && (r.status < 400 || r.status >= 500) {
				t.Errorf("%s as %s: a refusal answered %d", rc.what, role, r.status)
			}
			table.WriteString(map[bool]string{true: " ✓", false: " ✗"}[ok] + " |")
		}
		table.WriteString("\n")
	}
	t.Logf("role × endpoint (Owned and Shared scope):\n%s", table.String())
	// The refused writes wrote nothing: db01 keeps its two accounts and
	// its description, and nobody was made Super Administrator.
	d, err := w.Vault.GetResource(w.AdminActor, w.res.ID)
	if err != nil || len(d.Accounts) != 2 || d.Resource.Description != "Main database" {
		t.Fatalf("db01 after the refusals: %+v %v", d, err)
	}
	for _, role := range roleColumns {
		if _, err := w.Users.Get(w.AdminActor, "super-by-"+strings.ReplaceAll(role, "_", "-")+"@10.0.0.9"); err == nil {
			t.Errorf("a Super Administrator was made by %s", role)
		}
	}
}

// appCalls are the same calls as the app makes them: the domain use cases
// the desktop facade calls for each screen's button.
var appCalls = map[string]func(w *world, a access.Actor, f fixture) error{
	"list resources": func(w *world, a access.Actor, _ fixture) error { _, err := w.Vault.ListResources(a); return err },
	"list a shared resource's accounts": func(w *world, a access.Actor, _ fixture) error {
		_, err := w.Vault.GetResource(a, w.res.ID)
		return err
	},
	"view a shared account": func(w *world, a access.Actor, _ fixture) error {
		_, _, err := w.Vault.GetAccount(a, w.res.ID, w.db.ID)
		return err
	},
	"retrieve a shared password": func(w *world, a access.Actor, _ fixture) error {
		_, err := w.Vault.RevealPassword(a, w.res.ID, w.db.ID, vault.Purpose{})
		return err
	},
	"getResourceAccountDetails of a shared account": func(w *world, a access.Actor, _ fixture) error {
		_, _, err := w.Vault.RevealAccount(a, w.res.ID, w.db.ID, vault.Purpose{Copy: true})
		return err
	},
	"ids by name": func(w *world, a access.Actor, _ fixture) error {
		_, _, err := w.Vault.AccountIDByName(a, "db01", "postgres")
		return err
	},
	"resource id by name": func(w *world, a access.Actor, _ fixture) error {
		_, err := w.Vault.ResourceIDByName(a, "db01")
		return err
	},
	"ids by name (older form)": func(w *world, a access.Actor, _ fixture) error {
		_, _, err := w.Vault.AccountIDByName(a, "db01", "postgres")
		return err
	},
	"resource types": func(w *world, a access.Actor, _ fixture) error { _, err := w.Vault.ResourceTypes(a); return err },
	"generate a password": func(w *world, a access.Actor, _ fixture) error {
		_, err := w.Vault.GeneratePassword(a, "Medium")
		return err
	},
	"password access requests": func(w *world, a access.Actor, _ fixture) error {
		_, err := w.Vault.PasswordAccessRequests(a)
		return err
	},
	"change the password of an own account": func(w *world, a access.Actor, f fixture) error {
		return w.Vault.ChangePassword(a, f.own.ID, f.ownA1.ID, "rotated-1", vault.Purpose{})
	},
	"change the password of a view-shared account": func(w *world, a access.Actor, _ fixture) error {
		return w.Vault.ChangePassword(a, w.res.ID, w.db.ID, "rotated-2", vault.Purpose{})
	},
	"create a resource": func(w *world, a access.Actor, _ fixture) error {
		_, _, err := w.Vault.CreateResourceWithAccount(a, vault.ResourceInput{Name: "new-" + a.Username}, vault.AccountInput{Name: "root", Password: "p4ss"})
		return err
	},
	"edit an own resource": func(w *world, a access.Actor, f fixture) error {
		_, err := w.Vault.PatchResource(a, f.own.ID, vault.ResourcePatch{Description: ptr("edited")})
		return err
	},
	"edit a shared resource": func(w *world, a access.Actor, _ fixture) error {
		_, err := w.Vault.PatchResource(a, w.res.ID, vault.ResourcePatch{Description: ptr("edited")})
		return err
	},
	"add accounts to an own resource": func(w *world, a access.Actor, f fixture) error {
		_, err := w.Vault.CreateAccounts(a, f.own.ID, []vault.AccountInput{{Name: "b1", Password: "x"}, {Name: "b2", Password: "y"}})
		return err
	},
	"add an account to a shared resource": func(w *world, a access.Actor, _ fixture) error {
		_, err := w.Vault.CreateAccount(a, w.res.ID, vault.AccountInput{Name: "sneaky", Password: "x"})
		return err
	},
	"edit an own account": func(w *world, a access.Actor, f fixture) error {
		_, err := w.Vault.UpdateAccount(a, f.own.ID, f.ownA1.ID, vault.AccountInput{Name: "a1", Notes: "edited", ReasonRequired: true})
		return err
	},
	"delete an own account":    func(w *world, a access.Actor, f fixture) error { return w.Vault.DeleteAccount(a, f.own.ID, f.ownA2.ID) },
	"delete a shared account":  func(w *world, a access.Actor, _ fixture) error { return w.Vault.DeleteAccount(a, w.res.ID, w.os.ID) },
	"delete an own resource":   func(w *world, a access.Actor, f fixture) error { return w.Vault.DeleteResource(a, f.ownDel.ID) },
	"delete a shared resource": func(w *world, a access.Actor, _ fixture) error { return w.Vault.DeleteResource(a, w.res.ID) },
	"add a Password User API user": func(w *world, a access.Actor, _ fixture) error {
		k, _ := apikey.Generate()
		_, err := w.Users.CreateAPIUser(a, users.APIUserInput{Username: "made-by-" + a.Username + "@10.0.0.9", Host: "10.0.0.9", FullName: "Made",
			Role: access.PasswordUser, Scope: access.ScopeOwnedShared, RESTEnabled: true, NeverExpires: true}, &k)
		return err
	},
	"add a Super Administrator API user": func(w *world, a access.Actor, _ fixture) error {
		k, _ := apikey.Generate()
		_, err := w.Users.CreateAPIUser(a, users.APIUserInput{Username: "super-by-" + a.Username + "@10.0.0.9", Host: "10.0.0.9", FullName: "Super",
			Role: access.Admin, Scope: access.ScopeAll, RESTEnabled: true, NeverExpires: true}, &k)
		return err
	},
	"add a Privileged Administrator operator": func(w *world, a access.Actor, _ fixture) error {
		_, err := w.Users.CreateOperator(a, users.OperatorInput{Username: "priv-by-" + a.Username, FullName: "Priv",
			Password: "correct horse battery staple 1", ConfirmPassword: "correct horse battery staple 1", Role: access.PrivilegedAdmin, Scope: access.ScopeOwnedShared})
		return err
	},
	"find a user's id": func(w *world, a access.Actor, f fixture) error {
		_, err := w.Users.Get(a, f.victim.Username)
		return err
	},
	"lock a Password User API user": func(w *world, a access.Actor, f fixture) error {
		_, err := w.Users.SetDisabledByID(a, f.victim.ID, true)
		return err
	},
	"unlock it": func(w *world, a access.Actor, f fixture) error {
		_, err := w.Users.SetDisabled(a, f.victim.Username, false)
		return err
	},
	"lock the Super Administrator operator": func(w *world, a access.Actor, _ fixture) error {
		_, err := w.Users.SetDisabled(a, "admin", true)
		return err
	},
	"delete a Password User API user": func(w *world, a access.Actor, f fixture) error { return w.Users.DeleteByID(a, f.victimDel.ID) },
}

// TestTheAppAndTheAPIAgreeOnWhoMayDoWhat runs the table's calls as the app
// makes them, for an operator of each role (the desktop's actor): the same
// answers as the API user's.
func TestTheAppAndTheAPIAgreeOnWhoMayDoWhat(t *testing.T) {
	w := newWorld(t)
	fixtures := map[string]fixture{}
	for _, role := range roleColumns {
		fixtures[role] = w.fixtureOf(t, role, true)
	}
	for _, rc := range roleCases {
		call, ok := appCalls[rc.what]
		if !ok {
			t.Fatalf("no app call for %q", rc.what)
		}
		for i, role := range roleColumns {
			f := fixtures[role]
			err := call(w, f.actor, f)
			if allowed := rc.allowed[i] == 'y'; (err == nil) != allowed {
				t.Errorf("%s as a %s operator: %v (allowed over the API: %v)", rc.what, role, err, allowed)
			}
		}
	}
	if len(appCalls) != len(roleCases) {
		t.Errorf("%d app calls for %d table rows", len(appCalls), len(roleCases))
	}
}

func roleNames() []string {
	out := make([]string, len(roleColumns))
	for i, id := range roleColumns {
		r, _ := access.BuiltIn(id)
		out[i] = r.Name
	}
	return out
}

// masked hides what differs between runs (user ids, keys, generated
// passwords) so that envelopes can be golden.
var masked = regexp.MustCompile(`"(USERID|APIKEY)":"[^"]*"`)

func mask(raw string) string {
	return masked.ReplaceAllString(raw, `"$1":"…"`)
}

// TestEveryNewEndpointAnswersLikePMP keeps each write and newer read's
// envelope in a golden file (ids are the world's, fixed by creation order).
func TestEveryNewEndpointAnswersLikePMP(t *testing.T) {
	w := newWorld(t)
	c := w.client("127.0.0.1")
	f := w.fixture(t, access.PrivilegedAdmin)
	steps := []struct {
		name, method, path, input string
	}{
		{"create-resource", "POST", "/resources", `"RESOURCENAME":"web01","ACCOUNTNAME":"deploy","PASSWORD":"d3ploy-pass","RESOURCETYPE":"Linux","DNSNAME":"web01.example.com","NOTES":"deploy user","UNKNOWNFIELD":{"ignored":true}`},
		{"add-accounts", "POST", "/resources/{web01}/accounts", `"ACCOUNTLIST":[{"ACCOUNTNAME":"backup","PASSWORD":"b4ckup"},{"ACCOUNTNAME":"monitor","PASSWORD":"m0nitor","ISREASONREQUIRED":true}]`},
		{"edit-resource", "PUT", "/resources/{web01}", `"RESOURCEDESCRIPTION":"Web server","LOCATION":"Berlin"`},
		{"edit-account", "PUT", "/resources/{web01}/accounts/{deploy}", `"NOTES":"rotated nightly","IS_TICKETID_REQD":"true"`},
		{"get-resource-account-details", "GET", "/resources/getResourceAccountDetails?RESOURCEID={web01}&ACCOUNTID={deploy}", ""},
		{"get-ids-by-name-older-form", "GET", "/resources/resourcename/web01/accounts/accountname/deploy", ""},
		{"get-resource-types", "GET", "/resources/resourcetypes", ""},
		{"get-password-access-requests", "GET", "/accounts/passwordaccessrequests", ""},
		{"add-api-user", "POST", "/user", `"USERNAME":"ci@10.0.0.7","FULLNAME":"CI runner","ROLE":"Password User","ISAPIUSER":"true","HOSTNAME":"10.0.0.7","EXPIRYDATE":"2031-12-31","DEPARTMENT":"Build"`},
		{"get-user-id", "GET", "/user/getUserId?USERNAME=ci@10.0.0.7", ""},
		{"lock-user", "PUT", "/user/lock", `"USERNAME":"ci@10.0.0.7"`},
		{"unlock-user", "PUT", "/user/unlock", `"USERNAME":"ci@10.0.0.7"`},
		{"delete-user", "DELETE", "/user/{ci}", ""},
		{"delete-account", "DELETE", "/resources/{web01}/accounts/{deploy}", ""},
		{"delete-resource", "DELETE", "/resources/{web01}", ""},
	}
	vars := map[string]string{}
	for _, s := range steps {
		path := s.path
		for k, v := range vars {
			path = strings.ReplaceAll(path, "{"+k+"}", v)
		}
		r := w.do(t, c, s.method, path, f.key, inputData(s.input))
		if r.status != 200 {
			t.Fatalf("%s: %d %s", s.name, r.status, r.raw)
		}
		golden(t, s.name, mask(r.raw))
		switch s.name {
		case "create-resource":
			d := r.body["operation"].(map[string]any)["Details"].(map[string]any)
			vars["web01"], vars["deploy"] = d["RESOURCEID"].(string), d["ACCOUNTID"].(string)
		case "add-api-user":
			d := r.body["operation"].(map[string]any)["Details"].(map[string]any)
			vars["ci"] = d["USERID"].(string)
			if !strings.HasPrefix(d["APIKEY"].(string), "hbk_") {
				t.Fatalf("no key returned: %s", r.raw)
			}
		}
	}
	// The generated password meets its policy; the envelope is PMP's.
	r := w.do(t, c, "GET", "/passwords/generate?POLICY=Low", f.key, nil)
	pw, _ := r.body["operation"].(map[string]any)["Details"].(map[string]any)["PASSWORD"].(string)
	if r.opName() != "GENERATE PASSWORD" || len(pw) != 10 {
		t.Fatalf("generate: %s", r.raw)
	}
}

// TestRefusalsAnswerAsConfigured keeps refusals in golden files twice: as
// Hostbound answers them (4xx) and as PMP does (HTTP 200, same envelope;
// 429 keeps its Retry-After).
func TestRefusalsAnswerAsConfigured(t *testing.T) {
	for _, mode := range []struct {
		suffix string
		pmp    bool
	}{{"", false}, {".pmp", true}} {
		t.Run("RefusalsAsPMP="+fmt.Sprint(mode.pmp), func(t *testing.T) {
			w := newWorldWith(t, testdomainOptions(2))
			if mode.pmp {
				w.restart(t, true)
			}
			c := w.client("127.0.0.1")
			user, admin := w.fixture(t, access.PasswordUser), w.fixture(t, access.Admin)
			if _, err := w.Vault.PatchAccount(w.AdminActor, w.res.ID, w.db.ID, vault.AccountPatch{ReasonRequired: ptr(true)}); err != nil {
				t.Fatal(err)
			}
			rid, aid := fmt.Sprint(w.res.ID), fmt.Sprint(w.db.ID)
			cases := []struct {
				name, method, path, key, input string
			}{
				{"refusal-forbidden", "POST", "/resources", user.key, `"RESOURCENAME":"x","ACCOUNTNAME":"y","PASSWORD":"z"`},
				{"refusal-not-found", "GET", "/resources/999999/accounts", user.key, ""},
				{"refusal-bad-field", "POST", "/user", admin.key, `"USERNAME":"bad host","HOSTNAME":"not a host!","ISAPIUSER":true,"EXPIRYDATE":"NeverExpires","FULLNAME":{"first":"x"}`},
				{"refusal-bad-fields-of-the-domain", "POST", "/user", admin.key, `"USERNAME":"bad name!","HOSTNAME":"not a host!","ISAPIUSER":true,"FULLNAME":"Full","ROLE":"Password User"`},
				{"refusal-reason-required", "GET", "/resources/" + rid + "/accounts/" + aid + "/password", user.key, ""},
				{"refusal-reason-required-details", "GET", "/resources/getResourceAccountDetails?RESOURCEID=" + rid + "&ACCOUNTID=" + aid, user.key, ""},
				{"refusal-unknown-key", "GET", "/resources", "hbk_unknown", ""},
				{"refusal-rate-limited", "GET", "/resources", "hbk_unknown", ""},
			}
			for _, cs := range cases {
				r := w.do(t, c, cs.method, cs.path, cs.key, inputData(cs.input))
				if cs.name == "refusal-unknown-key" {
					w.do(t, c, cs.method, cs.path, cs.key, nil) // the burst of 2 is spent
				}
				golden(t, cs.name+mode.suffix, fmt.Sprintf(`{"status":%d,"retryAfter":%q,"body":%s}`, r.status, r.header.Get("Retry-After"), r.raw))
				if mode.pmp && r.status != 200 {
					t.Errorf("%s: %d in PMP mode", cs.name, r.status)
				}
				if !mode.pmp && r.status < 400 {
					t.Errorf("%s: %d", cs.name, r.status)
				}
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// restart serves the world's API again with RefusalsAsPMP set.
func (w *world) restart(t *testing.T, pmp bool) {
	t.Helper()
	w.srv.Stop(context.Background())
	api := New(Config{Users: w.Users, Vault: w.Vault, RefusalsAsPMP: pmp, Clock: w.Clock.Now, Log: testenv.Log()})
	w.srv = NewServer(api, w.Settings.Certificate, testenv.Log())
	if err := w.srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.srv.Stop(context.Background()) })
	w.base = w.srv.Status().URL
}

func testdomainOptions(burst int) testdomain.Options { return testdomain.Options{FailBurst: burst} }
