package vault_test

import (
	"errors"
	"testing"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/internal/testdomain"
	"hostbound/backend/store"
	"hostbound/backend/vault"
)

func TestVisibilityFollowsOwnershipSharesAndScope(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	svc := w.Vault
	owner := w.Operator(t, "pam", access.PasswordAdmin, access.ScopeOwnedShared)
	super := w.Operator(t, "root", access.PrivilegedAdmin, access.ScopeAll)
	viewer := w.Operator(t, "pete", access.PasswordUser, access.ScopeOwnedShared)
	acctOnly := w.Operator(t, "olga", access.PasswordUser, access.ScopeOwnedShared)
	stranger := w.Operator(t, "sam", access.PasswordUser, access.ScopeOwnedShared)
	auditor := w.Operator(t, "aud", access.PasswordAuditor, access.ScopeOwnedShared)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	notFound := func(err error) bool {
		e := apperr.As(err)
		return errors.Is(err, vault.ErrNotFound) && e != nil && e.Code == apperr.NotFound && e.Message == vault.MsgNotFound
	}

	r, err := svc.CreateResource(owner, vault.ResourceInput{Name: "db01", DNSName: "DB01.example.com"})
	must(err)
	if r.DNSName != "db01.example.com" {
		t.Errorf("dns name not canonical: %s", r.DNSName)
	}
	if r.OwnerID != owner.UserID || r.Owner != "pam" {
		t.Errorf("owner %q (%s), want pam (%s)", r.Owner, r.OwnerID, owner.UserID)
	}
	a1, err := svc.CreateAccount(owner, r.ID, vault.AccountInput{Name: "postgres", Password: "pw1"})
	must(err)
	a2, err := svc.CreateAccount(owner, r.ID, vault.AccountInput{Name: "root", Password: "pw2"})
	must(err)
	if _, err := svc.CreateResource(stranger, vault.ResourceInput{Name: "x"}); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("a Password User created a resource: %v", err)
	}
	if _, err := svc.CreateResource(owner, vault.ResourceInput{Name: "DB01"}); apperr.As(err) == nil || apperr.As(err).Field != "name" {
		t.Errorf("duplicate name: %v", err)
	}
	must(svc.Share(owner, vault.ShareInput{ResourceID: r.ID, Grantee: "pete", Permission: vault.View}))
	must(svc.Share(owner, vault.ShareInput{ResourceID: r.ID, AccountID: a2.ID, Grantee: "olga", Permission: vault.Modify}))
	must(svc.Share(owner, vault.ShareInput{ResourceID: r.ID, Grantee: "aud", Permission: vault.View}))

	for _, c := range []struct {
		who      access.Actor
		accounts int
	}{{owner, 2}, {super, 2}, {viewer, 2}, {acctOnly, 1}, {stranger, 0}} {
		rs, err := svc.ListResources(c.who)
		if err != nil {
			t.Fatal(err)
		}
		if c.accounts == 0 {
			if len(rs) != 0 {
				t.Errorf("%s sees %d resources", c.who.Username, len(rs))
			}
			if _, err := svc.RevealPassword(c.who, r.ID, a1.ID, vault.Purpose{}); !notFound(err) {
				t.Errorf("%s read a password: %v", c.who.Username, err)
			}
			if _, err := svc.GetResource(c.who, r.ID); !notFound(err) {
				t.Errorf("%s read the resource: %v", c.who.Username, err)
			}
			continue
		}
		d, err := svc.GetResource(c.who, r.ID)
		if len(rs) != 1 || rs[0].Accounts != c.accounts || err != nil || len(d.Accounts) != c.accounts {
			t.Errorf("%s: %d resources, %d accounts, %v", c.who.Username, len(rs), len(d.Accounts), err)
		}
		for _, a := range d.Accounts {
			if a.Password != "" {
				t.Errorf("%s: GetResource shows the password of %s", c.who.Username, a.Name)
			}
		}
	}
	if _, err := svc.RevealPassword(acctOnly, r.ID, a1.ID, vault.Purpose{}); !notFound(err) {
		t.Errorf("an account share showed another account: %v", err)
	}
	if pw, err := svc.RevealPassword(acctOnly, r.ID, a2.ID, vault.Purpose{}); err != nil || pw != "pw2" {
		t.Errorf("account share: %q, %v", pw, err)
	}

	if err := svc.ChangePassword(viewer, r.ID, a1.ID, "new", vault.Purpose{}); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("a view share changed a password: %v", err)
	}
	if err := svc.ChangePassword(acctOnly, r.ID, a2.ID, "new", vault.Purpose{}); err != nil {
		t.Errorf("a modify share could not change: %v", err)
	}
	if pw, err := svc.RevealPassword(owner, r.ID, a2.ID, vault.Purpose{}); err != nil || pw != "new" {
		t.Errorf("after the change through a modify share: %q, %v", pw, err)
	}
	if err := svc.ChangePassword(auditor, r.ID, a1.ID, "new", vault.Purpose{}); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("an auditor changed a password: %v", err)
	}
	if pw, err := svc.RevealPassword(owner, r.ID, a1.ID, vault.Purpose{}); err != nil || pw != "pw1" {
		t.Errorf("a refused change changed the password: %q, %v", pw, err)
	}

	if err := svc.DeleteResource(viewer, r.ID); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("a viewer deleted the resource: %v", err)
	}
	left := func(tx *store.Txn) []bool {
		return []bool{tx.Any(vault.GrantPrefixForTest), tx.Any(vault.AccountPrefixForTest), tx.Any(vault.NamePrefixForTest)}
	}
	w.Store.View(func(tx *store.Txn) error {
		if l := left(tx); !l[0] || !l[1] || !l[2] {
			t.Errorf("before the delete: shares, accounts, name stored = %v", l)
		}
		return nil
	})
	must(svc.DeleteResource(owner, r.ID))
	w.Store.View(func(tx *store.Txn) error {
		if l := left(tx); l[0] || l[1] || l[2] {
			t.Errorf("deleting the resource left shares, accounts or its name behind: %v", l)
		}
		return nil
	})
}
