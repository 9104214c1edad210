package users_test

import (
	"testing"

	"hostbound/backend/access"
	"hostbound/backend/internal/testdomain"
	"hostbound/backend/users"
)

func TestTheListShowsRevokedKeysUntilAccessIsRestored(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	k := key(t)
	if _, err := w.Users.CreateAPIUser(w.AdminActor, users.APIUserInput{Username: "job@db01", Host: "10.0.0.4", FullName: "Job",
		Role: access.PasswordUser, Scope: access.ScopeOwnedShared, RESTEnabled: true, NeverExpires: true, Department: "DBA"}, &k); err != nil {
		t.Fatal(err)
	}
	status := func() string {
		t.Helper()
		page, err := w.Users.List(w.AdminActor, users.Query{Search: "job@db01"})
		if err != nil || len(page.Rows) != 1 {
			t.Fatalf("list: %v %v", page.Rows, err)
		}
		return page.Rows[0].KeyStatus(w.Clock.Now())
	}
	if s := status(); s != users.KeyActive {
		t.Fatalf("before: %s", s)
	}
	if _, err := w.Users.RevokeAccess(w.AdminActor, users.Selection{By: users.SelectDepartment, Value: "DBA"}, "leaked"); err != nil {
		t.Fatal(err)
	}
	if s := status(); s != users.KeyRevoked {
		t.Fatalf("after the revoke: %s", s)
	}
	page, err := w.Users.List(w.AdminActor, users.Query{KeyStatus: users.KeyRevoked})
	if err != nil || page.Total != 1 {
		t.Fatalf("filter by revoked: %d %v", page.Total, err)
	}
	if _, err := w.Users.RestoreAccess(w.AdminActor, "job@db01"); err != nil {
		t.Fatal(err)
	}
	if s := status(); s != users.KeyActive {
		t.Fatalf("after the restore: %s", s)
	}
}
