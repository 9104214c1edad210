package restapi

import (
	"fmt"
	"testing"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/users"
	"hostbound/backend/vault"
)

// The kill switch over a real socket: a key revoked while its client is
// connected is refused at its next request, with the reason, and works
// again after Restore access.
func TestARevokedKeyIsRefusedOverHTTPS(t *testing.T) {
	w := newWorld(t)
	k, _ := apikey.Generate()
	if _, err := w.Users.CreateAPIUser(w.AdminActor, users.APIUserInput{Username: "pay@web01", Host: "127.0.0.1", FullName: "Payments",
		Role: access.PasswordUser, Scope: access.ScopeOwnedShared, RESTEnabled: true, NeverExpires: true, Department: "Payments"}, &k); err != nil {
		t.Fatal(err)
	}
	if err := w.Vault.Share(w.AdminActor, vault.ShareInput{ResourceID: w.res.ID, Grantee: "pay@web01", Permission: vault.View}); err != nil {
		t.Fatal(err)
	}
	key := k.String()
	pw := fmt.Sprintf("/resources/%d/accounts/%d/password", w.res.ID, w.db.ID)
	c := w.client("127.0.0.1") // one client: its connection stays open across the revoke
	if r := w.do(t, c, "GET", pw, key, nil); r.status != 200 {
		t.Fatalf("before the revoke: %d %s", r.status, r.raw)
	}

	if _, err := w.Users.RevokeAccess(w.AdminActor, users.Selection{By: users.SelectDepartment, Value: "Payments"}, "key found in a public repo"); err != nil {
		t.Fatal(err)
	}
	want := users.MsgRevoked + ": key found in a public repo"
	for _, path := range []string{pw, "/resources"} {
		if r := w.do(t, c, "GET", path, key, nil); r.status != 401 || r.message() != want {
			t.Errorf("GET %s after the revoke: %d %q, want 401 %q", path, r.status, r.message(), want)
		}
	}

	if _, err := w.Users.RestoreAccess(w.AdminActor, "pay@web01"); err != nil {
		t.Fatal(err)
	}
	if r := w.do(t, c, "GET", pw, key, nil); r.status != 200 {
		t.Fatalf("after restore, the same key: %d %s", r.status, r.raw)
	}
}
