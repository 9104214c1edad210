package vault_test

import (
	"testing"

	"hostbound/backend/access"
	"hostbound/backend/internal/testdomain"
	"hostbound/backend/vault"
)

func TestSharesOfUserListsOnlyWhatTheActorMayManage(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	pam := w.Operator(t, "pam", access.PasswordAdmin, access.ScopeOwnedShared)
	olga := w.Operator(t, "olga", access.PasswordAdmin, access.ScopeOwnedShared)
	w.Operator(t, "pete", access.PasswordUser, access.ScopeOwnedShared)

	mine, err := w.Vault.CreateResource(pam, vault.ResourceInput{Name: "db01"})
	mustNil(t, err)
	acct, err := w.Vault.CreateAccount(pam, mine.ID, vault.AccountInput{Name: "postgres", Password: "pw"})
	mustNil(t, err)
	theirs, err := w.Vault.CreateResource(olga, vault.ResourceInput{Name: "secret-olga"})
	mustNil(t, err)
	mustNil(t, w.Vault.Share(pam, vault.ShareInput{ResourceID: mine.ID, Grantee: "pete", Permission: vault.View}))
	mustNil(t, w.Vault.Share(pam, vault.ShareInput{ResourceID: mine.ID, AccountID: acct.ID, Grantee: "pete", Permission: vault.Modify}))
	mustNil(t, w.Vault.Share(olga, vault.ShareInput{ResourceID: theirs.ID, Grantee: "pete", Permission: vault.Modify}))

	got, err := w.Vault.SharesOfUser(pam, "PETE")
	mustNil(t, err)
	if len(got) != 2 {
		t.Fatalf("pam sees %d shares of pete, want 2 (never olga's resource): %+v", len(got), got)
	}
	if got[0].ResourceName != "db01" || got[0].AccountID != 0 || got[0].Permission != vault.View {
		t.Errorf("first share %+v, want db01 whole resource View", got[0])
	}
	if got[1].AccountName != "postgres" || got[1].Permission != vault.Modify {
		t.Errorf("second share %+v, want db01/postgres Modify", got[1])
	}

	all, err := w.Vault.SharesOfUser(w.AdminActor, "pete")
	mustNil(t, err)
	if len(all) != 3 {
		t.Errorf("the administrator sees %d shares, want 3: %+v", len(all), all)
	}

	none, err := w.Vault.SharesOfUser(pam, "nobody")
	mustNil(t, err)
	if len(none) != 0 {
		t.Errorf("an unknown user has shares: %+v", none)
	}
}
