package vault

import (
	"errors"
	"testing"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/store"
)

func actor(name, role string, scope access.Scope) Actor {
	r, _ := access.BuiltIn(role)
	return Actor{Principal: Principal{Username: name, Role: r, Scope: scope}, FullName: name, Kind: audit.ActorOperator, Source: "desktop"}
}

func TestVisibilityFollowsOwnershipSharesAndScope(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	clock := testenv.NewClock()
	svc := NewService(st, audit.New([]byte("k"), clock.Now), clock.Now)
	owner := actor("pam", access.PasswordAdmin, access.ScopeOwnedShared)
	super := actor("root", access.PrivilegedAdmin, access.ScopeAll)
	viewer := actor("pete", access.PasswordUser, access.ScopeOwnedShared)
	acctOnly := actor("olga", access.PasswordUser, access.ScopeOwnedShared)
	stranger := actor("sam", access.PasswordUser, access.ScopeOwnedShared)
	auditor := actor("aud", access.PasswordAuditor, access.ScopeOwnedShared)

	r, err := svc.CreateResource(owner, ResourceInput{Name: "db01", DNSName: "DB01.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if r.DNSName != "db01.example.com" {
		t.Errorf("dns name not canonical: %s", r.DNSName)
	}
	a1, _ := svc.CreateAccount(owner, r.ID, AccountInput{Name: "postgres", Password: "pw1"})
	a2, _ := svc.CreateAccount(owner, r.ID, AccountInput{Name: "root", Password: "pw2"})
	if _, err := svc.CreateResource(stranger, ResourceInput{Name: "x"}); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("a Password User created a resource: %v", err)
	}
	if _, err := svc.CreateResource(owner, ResourceInput{Name: "DB01"}); apperr.As(err) == nil || apperr.As(err).Field != "name" {
		t.Errorf("duplicate name: %v", err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(svc.Share(owner, ShareInput{ResourceID: r.ID, Grantee: "pete", Permission: View}))
	must(svc.Share(owner, ShareInput{ResourceID: r.ID, AccountID: a2.ID, Grantee: "olga", Permission: Modify}))
	must(svc.Share(owner, ShareInput{ResourceID: r.ID, Grantee: "aud", Permission: View}))

	st.View(func(tx *store.Txn) error {
		for _, c := range []struct {
			who      Actor
			accounts int
		}{{owner, 2}, {super, 2}, {viewer, 2}, {acctOnly, 1}, {stranger, 0}} {
			rs, err := ListResources(tx, c.who.Principal)
			if err != nil {
				t.Fatal(err)
			}
			if c.accounts == 0 {
				if len(rs) != 0 {
					t.Errorf("%s sees %d resources", c.who.Username, len(rs))
				}
				if _, _, err := Password(tx, c.who.Principal, r.ID, a1.ID); !errors.Is(err, ErrNotFound) {
					t.Errorf("%s read a password: %v", c.who.Username, err)
				}
				continue
			}
			accts, err := Accounts(tx, c.who.Principal, r.ID)
			if len(rs) != 1 || err != nil || len(accts) != c.accounts {
				t.Errorf("%s: %d resources, %d accounts, %v", c.who.Username, len(rs), len(accts), err)
			}
		}
		if _, _, err := Password(tx, acctOnly.Principal, r.ID, a1.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("an account share showed another account: %v", err)
		}
		if _, a, err := Password(tx, acctOnly.Principal, r.ID, a2.ID); err != nil || a.Password != "pw2" {
			t.Errorf("account share: %v", err)
		}
		return nil
	})
	st.Update(func(tx *store.Txn) error {
		if _, _, err := ChangePassword(tx, viewer.Principal, r.ID, a1.ID, "new", clock.Now()); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("a view share changed a password: %v", err)
		}
		if _, _, err := ChangePassword(tx, acctOnly.Principal, r.ID, a2.ID, "new", clock.Now()); err != nil {
			t.Errorf("a modify share could not change: %v", err)
		}
		if _, _, err := ChangePassword(tx, auditor.Principal, r.ID, a1.ID, "new", clock.Now()); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("an auditor changed a password: %v", err)
		}
		return nil
	})
	if err := svc.DeleteResource(viewer, r.ID); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("a viewer deleted the resource: %v", err)
	}
	must(svc.DeleteResource(owner, r.ID))
	st.View(func(tx *store.Txn) error {
		if tx.Any(sharePrefix) || tx.Any(acctPrefix) || tx.Any(namePrefix) {
			t.Error("deleting the resource left shares, accounts or its name behind")
		}
		return nil
	})
}
