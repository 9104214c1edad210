package vault_test

import (
	"context"
	"fmt"
	"net/netip"
	"testing"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/internal/testdomain"
	"hostbound/backend/store"
	"hostbound/backend/users"
	"hostbound/backend/vault"
)

// The rules of PRODUCT.md §8 that live in the vault, tested once for every
// face.

func mustNil(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// apiActor creates an API user bound to 127.0.0.1 and authenticates its key.
func apiActor(t *testing.T, w *testdomain.World, name string) access.Actor {
	t.Helper()
	k, err := apikey.Generate()
	mustNil(t, err)
	_, err = w.Users.CreateAPIUser(w.AdminActor, users.APIUserInput{Username: name, Host: "127.0.0.1", FullName: "API " + name,
		Role: access.PasswordUser, Scope: access.ScopeOwnedShared, RESTEnabled: true, NeverExpires: true}, &k)
	mustNil(t, err)
	a, err := w.Users.AuthenticateKey(context.Background(), users.KeyRequest{Key: k.String(), Source: netip.MustParseAddr("127.0.0.1")}, w.Clock.Now())
	mustNil(t, err)
	return a
}

func seed(t *testing.T, w *testdomain.World) (vault.Resource, vault.Account) {
	t.Helper()
	r, err := w.Vault.CreateResource(w.AdminActor, vault.ResourceInput{Name: "db01"})
	mustNil(t, err)
	acct, err := w.Vault.CreateAccount(w.AdminActor, r.ID, vault.AccountInput{Name: "postgres", Password: "s3cr3t"})
	mustNil(t, err)
	return r, acct
}

func TestANewUserWithAnOldNameInheritsNothing(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	r, acct := seed(t, w)
	old := apiActor(t, w, "svc")
	mustNil(t, w.Vault.Share(w.AdminActor, vault.ShareInput{ResourceID: r.ID, Grantee: "svc", Permission: vault.Modify}))
	if pw, err := w.Vault.RevealPassword(old, r.ID, acct.ID, vault.Purpose{}); err != nil || pw != "s3cr3t" {
		t.Fatalf("the share does not work: %q %v", pw, err)
	}
	mustNil(t, w.Users.Delete(w.AdminActor, "svc"))
	d, err := w.Vault.GetResource(w.AdminActor, r.ID)
	mustNil(t, err)
	if len(d.Shares) != 0 {
		t.Fatalf("the deleted user's share is still there: %+v", d.Shares)
	}
	again := apiActor(t, w, "svc")
	if rs, err := w.Vault.ListResources(again); err != nil || len(rs) != 0 {
		t.Fatalf("the new svc sees %d resources (%v)", len(rs), err)
	}
	if _, err := w.Vault.RevealPassword(again, r.ID, acct.ID, vault.Purpose{}); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("the new svc read the old one's password: %v", err)
	}
	if _, err := w.Vault.RevealPassword(old, r.ID, acct.ID, vault.Purpose{}); apperr.CodeOf(err) != apperr.Unauthenticated {
		t.Fatalf("the deleted svc's actor still reads: %v", err)
	}
}

func TestADeletedOwnersResourcesPassToWhoeverDeletedIt(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	pam := w.Operator(t, "pam", access.PasswordAdmin, access.ScopeOwnedShared)
	r, err := w.Vault.CreateResource(pam, vault.ResourceInput{Name: "pams-box"})
	mustNil(t, err)
	adm := w.Operator(t, "adm", access.Admin, access.ScopeOwnedShared)
	mustNil(t, w.Users.Delete(adm, "pam"))
	pam2 := w.Operator(t, "pam", access.PasswordAdmin, access.ScopeOwnedShared)
	if rs, _ := w.Vault.ListResources(pam2); len(rs) != 0 {
		t.Fatalf("the new pam owns %d resources", len(rs))
	}
	rs, err := w.Vault.ListResources(adm)
	mustNil(t, err)
	if len(rs) != 1 || rs[0].ID != r.ID || rs[0].Owner != "adm" {
		t.Fatalf("adm's resources: %+v", rs)
	}
	p, err := w.Trail.Query(w.AdminActor, audit.Filter{Operation: "delete user"}, 0, 10)
	mustNil(t, err)
	if len(p.Records) != 1 || p.Records[0].Reason != "1 resources passed to adm" {
		t.Fatalf("delete record: %+v", p.Records)
	}
}

func TestAPasswordLeavesOnlyWithItsAuditRecord(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	r, acct := seed(t, w)
	svc := apiActor(t, w, "svc")
	auditor := w.Operator(t, "aud", access.PasswordAuditor, access.ScopeOwnedShared)
	mustNil(t, w.Vault.Share(w.AdminActor, vault.ShareInput{ResourceID: r.ID, AccountID: acct.ID, Grantee: "svc", Permission: vault.View}))
	pw, err := w.Vault.RevealPassword(svc, r.ID, acct.ID, vault.Purpose{Reason: "nightly backup", TicketID: "CHG-42"})
	if err != nil || pw != "s3cr3t" {
		t.Fatalf("reveal: %q %v", pw, err)
	}
	p, err := w.Trail.Query(w.AdminActor, audit.Filter{Actor: "svc", Operation: "reveal password"}, 0, 10)
	mustNil(t, err)
	if len(p.Records) != 1 {
		t.Fatalf("%d reveal records", len(p.Records))
	}
	rec := p.Records[0]
	if rec.Result != audit.Success || rec.Target != "db01 / postgres" || rec.Reason != "reason: nightly backup ticket: CHG-42" ||
		rec.Source != "127.0.0.1" || rec.ActorKind != "api" || rec.ActorName != "API svc" {
		t.Fatalf("record: %+v", rec)
	}
	t.Run("a refused reveal is recorded and returns no password", func(t *testing.T) {
		pw, err := w.Vault.RevealPassword(auditor, r.ID, acct.ID, vault.Purpose{})
		if pw != "" || apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("auditor without a share: %q %v", pw, err)
		}
		p, _ := w.Trail.Query(w.AdminActor, audit.Filter{Actor: "aud", Result: audit.Failure}, 0, 10)
		if len(p.Records) != 1 {
			t.Fatalf("%d failure records", len(p.Records))
		}
	})
	t.Run("an API user's every read is audited and records the key's use", func(t *testing.T) {
		rs, err := w.Vault.ListResources(svc)
		if err != nil || len(rs) != 1 || rs[0].Accounts != 1 {
			t.Fatalf("list: %+v %v", rs, err)
		}
		p, _ := w.Trail.Query(w.AdminActor, audit.Filter{Actor: "svc", Operation: "list resources"}, 0, 10)
		if len(p.Records) != 1 {
			t.Fatalf("%d list records", len(p.Records))
		}
		u, err := w.Users.Get(w.AdminActor, "svc")
		if err != nil || u.APIKey.UseCount != 2 || u.APIKey.LastUsedFrom != "127.0.0.1" {
			t.Fatalf("key use: %+v %v", u.APIKey, err)
		}
	})
}

func TestListResourcesCountsTheAccountsTheActorSees(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	r, acct := seed(t, w)
	_, err := w.Vault.CreateAccount(w.AdminActor, r.ID, vault.AccountInput{Name: "root", Password: "x"})
	mustNil(t, err)
	one := w.Operator(t, "olga", access.PasswordUser, access.ScopeOwnedShared)
	mustNil(t, w.Vault.Share(w.AdminActor, vault.ShareInput{ResourceID: r.ID, AccountID: acct.ID, Grantee: "olga", Permission: vault.View}))
	for _, c := range []struct {
		who  access.Actor
		want int
	}{{w.AdminActor, 2}, {one, 1}} {
		rs, err := w.Vault.ListResources(c.who)
		if err != nil || len(rs) != 1 || rs[0].Accounts != c.want {
			t.Errorf("%s: %+v %v", c.who.Username, rs, err)
		}
	}
}

func TestSharesKeptByUsernameMoveToUserIDs(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	r, acct := seed(t, w)
	pete := w.Operator(t, "pete", access.PasswordUser, access.ScopeOwnedShared)
	w.Operator(t, "pam", access.PasswordAdmin, access.ScopeOwnedShared)
	// Data as an older version wrote it: shares under the username, a
	// resource owned by name only, and a share of a user who is gone (and
	// no mark that the migration ran).
	mustNil(t, w.Store.Update(func(tx *store.Txn) error {
		if err := tx.Delete(vault.MigratedKeyForTest); err != nil {
			return err
		}
		if err := tx.Put(fmt.Sprintf("vault/share/pete/acct/%020d/%020d", r.ID, acct.ID), vault.View); err != nil {
			return err
		}
		if err := tx.Put(fmt.Sprintf("vault/share/ghost/res/%020d", r.ID), vault.Modify); err != nil {
			return err
		}
		return tx.Put(fmt.Sprintf("vault/res/%020d", r.ID+1000), vault.Resource{ID: r.ID + 1000, Name: "legacy", Owner: "pam"})
	}))
	mustNil(t, vault.Migrate(w.Store, w.Users.IDByName))
	if pw, err := w.Vault.RevealPassword(pete, r.ID, acct.ID, vault.Purpose{}); err != nil || pw != "s3cr3t" {
		t.Fatalf("pete's migrated share: %q %v", pw, err)
	}
	d, err := w.Vault.GetResource(w.AdminActor, r.ID)
	mustNil(t, err)
	if len(d.Shares) != 1 || d.Shares[0].Grantee != "pete" {
		t.Fatalf("shares after migration: %+v", d.Shares)
	}
	pam, _, ok := w.Users.IDByName("pam")
	if !ok {
		t.Fatal("pam")
	}
	l, err := w.Vault.GetResource(w.AdminActor, r.ID+1000)
	if err != nil || l.Resource.OwnerID != pam {
		t.Fatalf("legacy resource owner: %+v %v", l.Resource, err)
	}
	mustNil(t, vault.Migrate(w.Store, w.Users.IDByName)) // a second run changes nothing
}

func TestTwoAccountsOfAResourceNeverShareAName(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	r, _ := seed(t, w)
	root, err := w.Vault.CreateAccount(w.AdminActor, r.ID, vault.AccountInput{Name: "root", Password: "x"})
	mustNil(t, err)
	_, err = w.Vault.UpdateAccount(w.AdminActor, r.ID, root.ID, vault.AccountInput{Name: "POSTGRES"})
	if e := apperr.As(err); e == nil || e.Field != "accountName" {
		t.Fatalf("renaming root to POSTGRES: %v", err)
	}
	if _, err := w.Vault.UpdateAccount(w.AdminActor, r.ID, root.ID, vault.AccountInput{Name: "Root", Notes: "same name, new case"}); err != nil {
		t.Fatalf("an account keeps its own name: %v", err)
	}
}
