package desktop

import (
	"testing"

	"hostbound/backend/apperr"
)

// withShares adds an API user and shares with it the resource db01 and the
// account postgres of web01; it returns the user's name.
func withShares(t *testing.T, r *rig, s *app, u *Users) string {
	t.Helper()
	v := NewVault(s.Session)
	db, err := v.CreateResource(ResourceRequest{Name: "db01", Type: "PostgreSQL"})
	if err != nil {
		t.Fatal(err)
	}
	web, err := v.CreateResource(ResourceRequest{Name: "web01", Type: "Linux"})
	if err != nil {
		t.Fatal(err)
	}
	acct, err := v.CreateAccount(web.ID, AccountRequest{Name: "postgres", Password: "pg-secret-value"})
	if err != nil {
		t.Fatal(err)
	}
	key, err := u.GenerateAPIKey()
	if err != nil {
		t.Fatal(err)
	}
	req := apiRequest(key, r.clock.Now().AddDate(0, 1, 0))
	if _, err := u.CreateAPIUser(req); err != nil {
		t.Fatal(err)
	}
	for _, sh := range []ShareRequest{
		{ResourceID: db.ID, Grantee: req.Username, Permission: "view"},
		{ResourceID: web.ID, AccountID: acct.ID, Grantee: req.Username, Permission: "modify"},
	} {
		if err := v.ShareResource(sh); err != nil {
			t.Fatal(err)
		}
	}
	return req.Username
}

func TestUserActivityListsSharesAndTheRecentAuditForTheAdministrator(t *testing.T) {
	t.Parallel()
	r, s, u := loggedIn(t)
	name := withShares(t, r, s, u)

	act, err := u.GetUserActivity(name)
	if err != nil {
		t.Fatal(err)
	}
	want := []UserShare{
		{ResourceName: "db01", Permission: "view"},
		{ResourceName: "web01", AccountName: "postgres", Permission: "modify"},
	}
	if len(act.Shares) != len(want) {
		t.Fatalf("shares: %+v", act.Shares)
	}
	for i, w := range want {
		g := act.Shares[i]
		if g.ResourceName != w.ResourceName || g.AccountName != w.AccountName || g.Permission != w.Permission || g.ResourceID == "" {
			t.Errorf("share %d: got %+v, want %+v", i, g, w)
		}
		if (g.AccountID == "") != (w.AccountName == "") {
			t.Errorf("share %d: account id %q for account %q", i, g.AccountID, g.AccountName)
		}
	}
	if act.AuditHidden {
		t.Fatal("the administrator holds audit view, yet the audit is hidden")
	}
	ops := make([]string, len(act.Audit))
	for i, rec := range act.Audit {
		ops[i] = rec.Operation + " " + rec.Target
		if rec.Time == "" || rec.Actor != "admin" || rec.Result != "success" || rec.Source == "" {
			t.Errorf("record %d: %+v", i, rec)
		}
	}
	// Newest first; the resources' own records are not about the user.
	wantOps := []string{
		"share web01 / postgres -> " + name + " (modify)",
		"share db01 -> " + name + " (view)",
		"create api user " + name,
		"generate api key " + name,
	}
	if len(ops) != len(wantOps) {
		t.Fatalf("audit: %q, want %q", ops, wantOps)
	}
	for i := range wantOps {
		if ops[i] != wantOps[i] {
			t.Errorf("audit %d: %q, want %q", i, ops[i], wantOps[i])
		}
	}
}

func TestUserActivityShowsOnlyTheTenNewestRecords(t *testing.T) {
	t.Parallel()
	r, s, u := loggedIn(t)
	name := withShares(t, r, s, u)
	req := apiRequest("", r.clock.Now().AddDate(0, 1, 0))
	for i := range 12 {
		req.Location = "Room " + itoa(uint64(i))
		if _, err := u.UpdateAPIUser(name, req); err != nil {
			t.Fatal(err)
		}
	}
	act, err := u.GetUserActivity(name)
	if err != nil {
		t.Fatal(err)
	}
	if len(act.Audit) != RecentAuditRecords {
		t.Fatalf("%d records, want %d", len(act.Audit), RecentAuditRecords)
	}
	for i, rec := range act.Audit {
		if rec.Operation != "edit api user" {
			t.Errorf("record %d: %q, want the edits (the newest)", i, rec.Operation)
		}
		if i > 0 && rec.Seq >= act.Audit[i-1].Seq {
			t.Errorf("record %d (seq %d) is not older than the one before (seq %d)", i, rec.Seq, act.Audit[i-1].Seq)
		}
	}
}

func TestUserActivityOfAnOperatorMergesWhatItDidAndWhatWasDoneToIt(t *testing.T) {
	t.Parallel()
	r, s, u := loggedIn(t)
	name := withShares(t, r, s, u)
	req := apiRequest("", r.clock.Now().AddDate(0, 1, 0))
	for i := range 12 {
		req.Location = "Room " + itoa(uint64(i))
		if _, err := u.UpdateAPIUser(name, req); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.LogOut(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LogIn("admin", "not the password"); err == nil {
		t.Fatal("a wrong password logged in")
	}
	if _, err := s.LogIn("admin", setup.Password); err != nil {
		t.Fatal(err)
	}
	act, err := u.GetUserActivity("admin")
	if err != nil {
		t.Fatal(err)
	}
	if len(act.Audit) != RecentAuditRecords {
		t.Fatalf("%d records, want %d", len(act.Audit), RecentAuditRecords)
	}
	// A login is both by and about admin: listed once. The edits are by admin.
	want := []string{"login success", "login failure", "logout success"}
	for i, rec := range act.Audit {
		got := rec.Operation + " " + rec.Result
		if i < len(want) && got != want[i] {
			t.Errorf("record %d: %q, want %q", i, got, want[i])
		}
		if i >= len(want) && (rec.Operation != "edit api user" || rec.Actor != "admin") {
			t.Errorf("record %d: %+v, want admin's edits", i, rec)
		}
		if i > 0 && rec.Seq >= act.Audit[i-1].Seq {
			t.Errorf("record %d (seq %d) is not older than the one before (seq %d)", i, rec.Seq, act.Audit[i-1].Seq)
		}
	}
}

func TestUserActivityHidesTheAuditFromAnOperatorWithoutAuditView(t *testing.T) {
	t.Parallel()
	r, s, u := loggedIn(t)
	name := withShares(t, r, s, u)
	role, err := u.CreateRole(RoleRequest{Name: "User Manager", Permissions: []string{"users.manage", "apiusers.manage"}})
	if err != nil {
		t.Fatal(err)
	}
	logInAsNew(t, s, u, "uma", "Uma Manager", role.ID)

	act, err := u.GetUserActivity(name)
	if err != nil {
		t.Fatalf("no audit view must not be an error: %v", err)
	}
	if !act.AuditHidden || len(act.Audit) != 0 {
		t.Fatalf("audit hidden %v with %d records", act.AuditHidden, len(act.Audit))
	}
	// The shares are of the administrator's resources, which Uma may not manage.
	if act.Shares == nil || len(act.Shares) != 0 {
		t.Fatalf("shares: %+v", act.Shares)
	}
}

func TestUserActivityOfAnUnknownUserIsNotFound(t *testing.T) {
	t.Parallel()
	_, _, u := loggedIn(t)
	_, getErr := u.GetUser("nobody")
	e := uiErr(t, second(u.GetUserActivity("nobody")))
	if e.Code != apperr.NotFound || e.Message != uiErr(t, getErr).Message {
		t.Fatalf("got %+v, want GetUser's not-found error", e)
	}
}

func TestAnAuditTargetNamesTheUserWhole(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		target string
		want   bool
	}{
		{"bob", true},
		{"BOB", true},
		{"db01 -> bob (view)", true},
		{"db01 / postgres -> bob", true},
		{"bobby", false},
		{"db01 -> bobby (view)", false},
		{"bob's laptop -> alice (view)", false},
		{"", false},
	} {
		if got := namesUser(c.target, "bob"); got != c.want {
			t.Errorf("namesUser(%q, bob) = %v, want %v", c.target, got, c.want)
		}
	}
}
