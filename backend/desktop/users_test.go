package desktop

import (
	"strings"
	"testing"
	"time"

	"hostbound/backend/apperr"
	"hostbound/backend/users"
)

// loggedIn starts a rig, runs setup and returns the facades as Ada.
func loggedIn(t *testing.T) (*rig, *app, *Users) {
	t.Helper()
	r := newRig(t)
	s := r.start(t)
	if _, err := s.CreateFirstAdministrator(setup); err != nil {
		t.Fatal(err)
	}
	return r, s, NewUsers(s.Session)
}

// logInAsNew adds an operator with role (scope owned_shared) and logs the
// session in as it, in place of the administrator.
func logInAsNew(t *testing.T, s *app, u *Users, username, fullName, role string) {
	t.Helper()
	password := username + "'s long password"
	if _, err := u.CreateOperator(OperatorRequest{Username: username, FullName: fullName, Password: password,
		ConfirmPassword: password, Role: role, Scope: "owned_shared"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LogOut(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LogIn(username, password); err != nil {
		t.Fatal(err)
	}
}

func apiRequest(key string, exp time.Time) APIUserRequest {
	return APIUserRequest{Username: "backup@web01.example.com", Host: "web01.example.com", FullName: "Nightly Backup",
		Role: "password_user", Scope: "owned_shared", RESTEnabled: true, APIKey: key, ExpiresAt: exp.Format(time.RFC3339),
		Department: "IT", Location: "Berlin"}
}

func TestTheGeneratedKeyIsSavedOnceAndNeverShownAgain(t *testing.T) {
	t.Parallel()
	r, _, u := loggedIn(t)
	key, err := u.GenerateAPIKey()
	if err != nil || !strings.HasPrefix(key, "hbk_") {
		t.Fatalf("generate: %q, %v", key, err)
	}
	// A key the session did not generate is refused.
	forged := apiRequest("hbk_"+strings.Repeat("A", 49), r.clock.Now().AddDate(0, 3, 0))
	if e := uiErr(t, second(u.CreateAPIUser(forged))); e.Field != "apiKey" {
		t.Fatalf("forged key: %+v", e)
	}
	row, err := u.CreateAPIUser(apiRequest(key, r.clock.Now().AddDate(0, 3, 0)))
	if err != nil {
		t.Fatal(err)
	}
	if row.KeyHint != key[:8] || row.KeyStatus != users.KeyActive || row.Host != "web01.example.com" || row.RoleName != "Password User" {
		t.Fatalf("row %+v", row)
	}
	// The same key cannot be saved twice.
	req := apiRequest(key, r.clock.Now().AddDate(0, 3, 0))
	req.Username = "other@web01"
	if e := uiErr(t, second(u.CreateAPIUser(req))); e.Field != "apiKey" {
		t.Fatalf("reused key: %+v", e)
	}
	d, err := u.GetUser(row.Username)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := u.ListUsers(users.Query{})
	for _, v := range []any{d, page} {
		if strings.Contains(strings.ReplaceAll(toJSON(t, v), key[:8], ""), key[8:20]) {
			t.Fatal("the key is shown again")
		}
	}
	regen, err := u.RegenerateAPIKey(row.Username, 0)
	if err != nil || regen.APIKey == key || regen.User.KeyHint != regen.APIKey[:8] {
		t.Fatalf("regenerate: %+v, %v", regen, err)
	}
}

func TestAPasswordAdministratorIsRefusedByTheBackend(t *testing.T) {
	t.Parallel()
	r, s, u := loggedIn(t)
	if _, err := u.CreateOperator(OperatorRequest{Username: "pam", FullName: "Pam Passwords", Password: "pam's long password",
		ConfirmPassword: "pam's long password", Role: "password_admin", Scope: "owned_shared"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LogOut(); err != nil {
		t.Fatal(err)
	}
	st, err := s.LogIn("pam", "pam's long password")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range st.Operator.Permissions {
		if p == "apiusers.manage" || p == "users.manage" {
			t.Fatalf("a Password Administrator holds %s", p)
		}
	}
	// One domain message for adding and changing API users since 8e93380
	// (it was "You are not allowed to add API users").
	if e := uiErr(t, second(u.GenerateAPIKey())); e.Code != apperr.Forbidden || e.Message != "You are not allowed to manage API users" {
		t.Fatalf("generate: %+v", e)
	}
	req := apiRequest("", r.clock.Now().AddDate(0, 3, 0))
	req.RESTEnabled = false
	if e := uiErr(t, second(u.CreateAPIUser(req))); e.Code != apperr.Forbidden || e.Message != "You are not allowed to manage API users" {
		t.Fatalf("create: %+v", e)
	}
}

func TestFieldErrorsReachTheFrontendTogether(t *testing.T) {
	t.Parallel()
	r, _, u := loggedIn(t)
	req := apiRequest("", r.clock.Now().AddDate(0, -1, 0))
	req.Host = "not a host"
	e := uiErr(t, second(u.CreateAPIUser(req)))
	fields := map[string]string{}
	for _, f := range e.Fields {
		fields[f.Field] = f.Message
	}
	if fields["host"] != "Host Name: not a valid hostname, IP address or CIDR" || fields["expiresAt"] != "Expiry date must be in the future" ||
		!strings.HasPrefix(fields["apiKey"], "API Key:") {
		t.Fatalf("fields %+v", e.Fields)
	}
}

func usersQuery(search string) users.Query { return users.Query{Search: search} }

// GetUser of someone else needs the permission to manage that kind of
// user (since 8e93380; any logged-in operator could read anyone before).
func TestGetUserShowsOthersOnlyToWhoManagesThem(t *testing.T) {
	t.Parallel()
	r, s, u := loggedIn(t)
	key, err := u.GenerateAPIKey()
	if err != nil {
		t.Fatal(err)
	}
	api, err := u.CreateAPIUser(apiRequest(key, r.clock.Now().AddDate(0, 3, 0)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := u.CreateOperator(OperatorRequest{Username: "pat", FullName: "Pat Passwords", Email: "pat@example.com",
		Password: "pat's long password", ConfirmPassword: "pat's long password", Role: "password_user", Scope: "owned_shared",
		Department: "Ops"}); err != nil {
		t.Fatal(err)
	}

	t.Run("the administrator reads an API user's details", func(t *testing.T) {
		d, err := u.GetUser(api.Username)
		if err != nil {
			t.Fatal(err)
		}
		if d.Username != "backup@web01.example.com" || d.Kind != "api" || d.FullName != "Nightly Backup" || d.Host != "web01.example.com" ||
			d.RoleName != "Password User" || d.Department != "IT" || d.Location != "Berlin" || !d.RESTEnabled ||
			d.KeyHint != key[:8] || d.KeyExpiresAt == "" {
			t.Fatalf("detail %+v", d)
		}
	})

	if _, err := s.LogOut(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LogIn("pat", "pat's long password"); err != nil {
		t.Fatal(err)
	}

	t.Run("a Password User is refused the administrator", func(t *testing.T) {
		e := uiErr(t, second(u.GetUser("admin")))
		if e.Code != apperr.Forbidden || e.Message == "" || strings.Contains(e.Message, "Ada") {
			t.Fatalf("got %+v", e)
		}
	})
	t.Run("a Password User is refused an API user", func(t *testing.T) {
		if e := uiErr(t, second(u.GetUser(api.Username))); e.Code != apperr.Forbidden {
			t.Fatalf("got %+v", e)
		}
	})
	t.Run("a Password User asking for nobody learns nothing", func(t *testing.T) {
		if e := uiErr(t, second(u.GetUser("nobody"))); e.Code != apperr.Forbidden {
			t.Fatalf("got %+v", e)
		}
	})
	t.Run("a Password User reads themself", func(t *testing.T) {
		d, err := u.GetUser("pat")
		if err != nil {
			t.Fatal(err)
		}
		if d.Username != "pat" || d.Kind != "operator" || d.FullName != "Pat Passwords" || d.Email != "pat@example.com" ||
			d.RoleName != "Password User" || d.Department != "Ops" || d.Scope != "owned_shared" {
			t.Fatalf("detail %+v", d)
		}
	})
}
