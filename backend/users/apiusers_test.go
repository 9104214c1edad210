package users_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/internal/testdomain"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/store"
	"hostbound/backend/users"
)

func seedInput() users.APIUserInput {
	exp := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	return users.APIUserInput{Username: "backup@web01.example.com", Host: "web01.example.com", FullName: "Nightly Backup",
		Email: "ops@example.com", Role: access.PasswordUser, Scope: access.ScopeOwnedShared, RESTEnabled: true,
		ExpiresAt: &exp, Department: "IT", Location: "Berlin"}
}

func newKey(t *testing.T) *apikey.Key {
	t.Helper()
	k, err := apikey.Generate()
	if err != nil {
		t.Fatal(err)
	}
	return &k
}

func certPEM(t *testing.T, notAfter time.Time) string {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "web01"},
		NotBefore: notAfter.AddDate(-1, 0, 0), NotAfter: notAfter}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

func TestAddAPIUserValidation(t *testing.T) {
	t.Parallel()
	past := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name  string
		edit  func(*users.APIUserInput)
		field string
		msg   string
	}{
		{"a host that is no hostname, IP or CIDR is refused", func(in *users.APIUserInput) { in.Host = "web 01" }, "host", "Host Name: not a valid hostname, IP address or CIDR"},
		{"an empty host is refused", func(in *users.APIUserInput) { in.Host = "" }, "host", "Host Name:"},
		{"two hosts are refused", func(in *users.APIUserInput) { in.Host = "web01,web02" }, "host", "Host Name:"},
		{"a bad username is refused", func(in *users.APIUserInput) { in.Username = "backup web01" }, "username", "Username: 1–64 characters"},
		{"a missing full name is refused", func(in *users.APIUserInput) { in.FullName = "" }, "fullName", "Full Name: required"},
		{"a bad email is refused", func(in *users.APIUserInput) { in.Email = "ops@@example" }, "email", "Email:"},
		{"a past expiry date is refused", func(in *users.APIUserInput) { in.ExpiresAt = &past }, "expiresAt", "Expiry date must be in the future"},
		{"no expiry and no Never Expires is refused", func(in *users.APIUserInput) { in.ExpiresAt = nil }, "expiresAt", "Expiry date: choose a date or Never Expires"},
		{"a broken SSH key is refused", func(in *users.APIUserInput) { in.SSHPublicKey = "ssh-ed25519 AAAA" }, "sshPublicKey", "Public key for SSH CLI access: not a valid SSH public key"},
		{"an expired certificate is refused with its date", func(in *users.APIUserInput) {
			in.Certificate = certPEM(t, time.Date(2025, 1, 31, 10, 0, 0, 0, time.UTC))
		}, "certificate", "SSL Certificate: expired on 2025-01-31"},
		{"a long department is refused", func(in *users.APIUserInput) { in.Department = strings.Repeat("d", 129) }, "department", "Department: at most 128 characters"},
		{"All Passwords for a Password User is refused", func(in *users.APIUserInput) { in.Scope = access.ScopeAll }, "scope", "Access Scope: All Passwords is only for the administrator roles"},
		{"an unknown role is refused", func(in *users.APIUserInput) { in.Role = "wizard" }, "role", "Access Level: no such role"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			w := world(t)
			in := seedInput()
			c.edit(&in)
			_, err := w.Users.CreateAPIUser(w.AdminActor, in, newKey(t))
			ae := apperr.As(err)
			if ae == nil || ae.Code != apperr.Invalid || ae.Field != c.field || !strings.Contains(ae.Message, c.msg) {
				t.Fatalf("got %#v", err)
			}
			if p, err := w.Users.List(w.AdminActor, users.Query{Kind: "api"}); err != nil || p.Total != 0 {
				t.Fatalf("a refused create saved the user: %d, %v", p.Total, err)
			}
			assertLastAudit(t, w, "create api user", audit.Failure)
		})
	}
	t.Run("every bad field is reported at once", func(t *testing.T) {
		t.Parallel()
		w := world(t)
		in := seedInput()
		in.Host, in.FullName, in.ExpiresAt = "", "", &past
		_, err := w.Users.CreateAPIUser(w.AdminActor, in, newKey(t))
		if ae := apperr.As(err); ae == nil || len(ae.Fields) != 3 {
			t.Fatalf("got %#v", err)
		}
	})
	t.Run("a username is unique whatever its case, across operators too", func(t *testing.T) {
		t.Parallel()
		w := world(t)
		if _, err := w.Users.CreateAPIUser(w.AdminActor, seedInput(), newKey(t)); err != nil {
			t.Fatal(err)
		}
		in := seedInput()
		in.Username = "BACKUP@web01.example.com"
		if ae := apperr.As(mustFail(w.Users.CreateAPIUser(w.AdminActor, in, newKey(t)))); ae == nil || ae.Message != "Username already exists" {
			t.Fatalf("got %v", ae)
		}
		in.Username = "ADMIN"
		if ae := apperr.As(mustFail(w.Users.CreateAPIUser(w.AdminActor, in, newKey(t)))); ae == nil || ae.Message != "Username already exists" {
			t.Fatalf("got %v", ae)
		}
	})
	t.Run("REST enabled without a generated key is refused", func(t *testing.T) {
		t.Parallel()
		w := world(t)
		if ae := apperr.As(mustFail(w.Users.CreateAPIUser(w.AdminActor, seedInput(), nil))); ae == nil || ae.Field != "apiKey" {
			t.Fatalf("got %v", ae)
		}
	})
}

func TestEachBuiltInRoleTriesToAddAnAPIUser(t *testing.T) {
	t.Parallel()
	cases := []struct {
		role    string
		allowed bool
	}{
		{access.PrivilegedAdmin, true},
		{access.Admin, true},
		{access.PasswordAdmin, false},
		{access.PasswordAuditor, false},
		{access.PasswordUser, false},
	}
	for _, c := range cases {
		t.Run(c.role, func(t *testing.T) {
			t.Parallel()
			w := world(t)
			op := w.Operator(t, "op", c.role, access.ScopeOwnedShared)
			_, err := w.Users.CreateAPIUser(op, seedInput(), newKey(t))
			if c.allowed && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !c.allowed {
				// One message for adding and changing API users since 8e93380
				// (it was "You are not allowed to add API users").
				if ae := apperr.As(err); ae == nil || ae.Code != apperr.Forbidden || ae.Message != "You are not allowed to manage API users" {
					t.Fatalf("got %v", err)
				}
				assertLastAudit(t, w, "create api user", audit.Failure)
			}
		})
	}
}

func TestEscalationAttemptsAreRefused(t *testing.T) {
	t.Parallel()
	w := world(t)
	root := w.AdminActor
	adm := w.Operator(t, "adm", access.Admin, access.ScopeOwnedShared)
	superAdm := w.Operator(t, "superadm", access.Admin, access.ScopeAll)

	expect := func(name string, err error, code apperr.Code, contains string) {
		t.Helper()
		ae := apperr.As(err)
		if ae == nil || ae.Code != code || !strings.Contains(ae.Message, contains) {
			t.Errorf("%s: got %v", name, err)
		}
	}
	in := seedInput()
	in.Role = access.PrivilegedAdmin
	expect("an Administrator grants Privileged Administrator", mustFail(w.Users.CreateAPIUser(adm, in, newKey(t))),
		apperr.Invalid, "you cannot grant Privileged Administrator")

	in = seedInput()
	in.Role, in.Scope = access.Admin, access.ScopeAll
	expect("a non-Super Administrator grants All Passwords", mustFail(w.Users.CreateAPIUser(adm, in, newKey(t))),
		apperr.Invalid, "only a Super Administrator can grant All Passwords")
	if _, err := w.Users.CreateAPIUser(superAdm, in, newKey(t)); err != nil {
		t.Errorf("a Super Administrator grants All Passwords: %v", err)
	}

	expect("an Administrator changes their own scope", mustFail(w.Users.UpdateOperator(adm, "adm", users.OperatorInput{
		FullName: "Op adm", Role: access.Admin, Scope: access.ScopeAll})), apperr.Forbidden, "your own access level or scope")
	expect("the only Privileged Administrator disables himself", mustFail(w.Users.SetDisabled(root, "admin", true)),
		apperr.Forbidden, "cannot disable yourself")

	priv2 := w.Operator(t, "priv2", access.PrivilegedAdmin, access.ScopeAll)
	if _, err := w.Users.SetDisabled(priv2, "admin", true); err != nil {
		t.Fatalf("disable one of two Privileged Administrators: %v", err)
	}
	expect("a disabled operator cannot act", mustFail(w.Users.UpdateOperator(root, "priv2", users.OperatorInput{
		FullName: "Op priv2", Role: access.Admin, Scope: access.ScopeAll})), apperr.Unauthenticated, "disabled")
	if _, err := w.Users.SetDisabled(priv2, "admin", false); err != nil {
		t.Fatal(err)
	}
	if err := w.Users.Delete(root, "priv2"); err != nil {
		t.Fatalf("delete one of two: %v", err)
	}
	// An Administrator could not grant Privileged Administrator, so since
	// 8e93380 (target ⊆ actor) it may not delete or demote one at all: the
	// refusal comes before the last-Privileged-Administrator rule.
	expect("an Administrator deletes the last Privileged Administrator", w.Users.Delete(superAdm, "admin"),
		apperr.Forbidden, "beyond yours")
	expect("an Administrator demotes the last Privileged Administrator", mustFail(w.Users.UpdateOperator(superAdm, "admin", users.OperatorInput{
		FullName: "Ada Admin", Role: access.Admin, Scope: access.ScopeAll})), apperr.Forbidden, "beyond yours")
	// Someone who could grant it (a custom role holding every permission,
	// with All Passwords) meets the last-Privileged-Administrator rule.
	everything, err := w.Users.CreateRole(root, users.RoleInput{Name: "Everything", Permissions: slices.Clone(access.AllPermissions)})
	if err != nil {
		t.Fatal(err)
	}
	all := w.Operator(t, "all", everything.ID, access.ScopeAll)
	expect("the last Privileged Administrator is deleted", w.Users.Delete(all, "admin"),
		apperr.Conflict, "last Privileged Administrator")
	expect("the last Privileged Administrator is demoted", mustFail(w.Users.UpdateOperator(all, "admin", users.OperatorInput{
		FullName: "Ada Admin", Role: access.Admin, Scope: access.ScopeAll})), apperr.Conflict, "last Privileged Administrator")
	expect("the last Privileged Administrator is disabled", mustFail(w.Users.SetDisabled(all, "admin", true)),
		apperr.Conflict, "last Privileged Administrator")

	// Custom roles: no one creates a role with permissions they lack.
	_, err = w.Users.CreateRole(adm, users.RoleInput{Name: "Settings people", Permissions: []access.Permission{access.SettingsManage}})
	expect("an Administrator creates a role with settings.manage", err, apperr.Forbidden, "settings.manage")
}

func TestCustomRoles(t *testing.T) {
	t.Parallel()
	w := world(t)
	root := w.AdminActor
	r, err := w.Users.CreateRole(root, users.RoleInput{Name: "Key Operators", Permissions: []access.Permission{access.APIUsersManage, access.PasswordsView, access.PasswordsModify}})
	if err != nil {
		t.Fatal(err)
	}
	// Since 8e93380 the id is random, not derived from the name.
	if !strings.HasPrefix(r.ID, "custom_") || strings.Contains(strings.ToLower(r.ID), "key") {
		t.Fatalf("role id %q", r.ID)
	}
	if _, err := w.Users.CreateRole(root, users.RoleInput{Name: "key operators", Permissions: []access.Permission{access.AuditView}}); apperr.As(err) == nil || apperr.As(err).Field != "name" {
		t.Fatalf("duplicate name: %v", err)
	}
	keyop := w.Operator(t, "keyop", r.ID, access.ScopeOwnedShared)
	if _, err := w.Users.CreateAPIUser(keyop, seedInput(), newKey(t)); err != nil {
		t.Fatalf("a custom role with apiusers.manage adds an API user: %v", err)
	}
	if err := w.Users.DeleteRole(root, r.ID); apperr.As(err) == nil || !strings.Contains(err.Error(), "held by 1 user") {
		t.Fatalf("delete a role in use: %v", err)
	}
	if err := w.Users.Delete(root, "keyop"); err != nil {
		t.Fatal(err)
	}
	if err := w.Users.DeleteRole(root, r.ID); err != nil {
		t.Fatalf("delete an unused role: %v", err)
	}
	if err := w.Users.DeleteRole(root, access.Admin); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("delete a built-in role: %v", err)
	}
}

func TestAPIKeysAreStoredOnlyAsHMACs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	st, err := store.Open(dir, testenv.Key(t), testenv.Log())
	if err != nil {
		t.Fatal(err)
	}
	clock := testenv.NewClock()
	svc := wire(t, st, clock)
	admin, err := svc.Users.CreateFirstAdministrator(ada, access.SourceDesktop)
	if err != nil {
		t.Fatal(err)
	}
	root := desktop(admin)
	key := newKey(t)
	u, err := svc.Users.CreateAPIUser(root, seedInput(), key)
	if err != nil {
		t.Fatal(err)
	}
	if u.APIKey.Hint != key.String()[:8] || strings.Contains(u.APIKey.Hash, key.String()) {
		t.Fatalf("key info %+v", u.APIKey)
	}
	if a, err := authKey(svc.Users, *key, web01, clock.Now()); err != nil || a.Username != u.Username || a.UserID != u.ID {
		t.Fatalf("authenticate: %+v, %v", a, err)
	}
	// Regenerate: the old key stops working at once.
	newer := newKey(t)
	if _, err := svc.Users.RegenerateAPIKey(root, u.Username, *newer, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := authKey(svc.Users, *key, web01, clock.Now()); apperr.CodeOf(err) != apperr.Unauthenticated || apperr.As(err).Message != users.MsgUnknownKey {
		t.Fatalf("old key after regenerate: %v", err)
	}
	if a, err := authKey(svc.Users, *newer, web01, clock.Now()); err != nil || a.Username != u.Username {
		t.Fatalf("new key: %+v, %v", a, err)
	}
	svc.Close()
	st.Close()
	// The store is encrypted anyway; read it decrypted to prove that no
	// value holds either key.
	st, err = store.Open(dir, testenv.Key(t), testenv.Log())
	if err == nil {
		st.Close()
		t.Fatal("opened with another key")
	}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			for _, k := range []*apikey.Key{key, newer} {
				if bytes.Contains(b, []byte(k.String()[8:])) {
					t.Errorf("%s holds a key", p)
				}
			}
		}
		return nil
	})
}

func TestAPIUserLifecycle(t *testing.T) {
	t.Parallel()
	w := world(t)
	root := w.AdminActor
	list := func(q users.Query) users.Page {
		t.Helper()
		p, err := w.Users.List(root, q)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	key := newKey(t)
	u, err := w.Users.CreateAPIUser(root, seedInput(), key)
	if err != nil {
		t.Fatal(err)
	}
	row := list(users.Query{Search: "WEB01"}).Rows[0]
	if row.Host != "web01.example.com" || row.KeyStatus(w.Clock.Now()) != users.KeyActive || row.KeyHint != key.Hint() {
		t.Fatalf("row %+v", row)
	}
	// Near the date the key is expiring, then expired.
	w.Clock.Advance(time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC).Sub(w.Clock.Now()))
	if got := list(users.Query{KeyStatus: users.KeyExpiring}).Total; got != 1 {
		t.Fatalf("expiring: %d", got)
	}
	w.Clock.Advance(60 * 24 * time.Hour)
	if got := list(users.Query{KeyStatus: users.KeyExpired}).Total; got != 1 {
		t.Fatalf("expired: %d", got)
	}
	// An expired user can still be edited without touching the date.
	dept := seedInput()
	dept.Department = "Ops"
	if _, err := w.Users.UpdateAPIUser(root, u.Username, dept, nil); err != nil {
		t.Fatalf("edit with the expired date kept: %v", err)
	}
	// Regenerating an expired key gives the same validity period again,
	// never "never expires".
	k2 := newKey(t)
	u2, err := w.Users.RegenerateAPIKey(root, u.Username, *k2, 0)
	if err != nil || u2.APIKey.ExpiresAt == nil || !u2.APIKey.ExpiresAt.After(w.Clock.Now()) {
		t.Fatalf("regenerate expired: %+v, %v", u2.APIKey, err)
	}
	if _, err := authKey(w.Users, *k2, web01, w.Clock.Now()); err != nil {
		t.Fatalf("the regenerated key: %v", err)
	}
	// Edit: REST off keeps the key but the user shows no active key.
	in := seedInput()
	in.RESTEnabled = false
	in.FullName = "Backup Job"
	if u, err = w.Users.UpdateAPIUser(root, u.Username, in, nil); err != nil || u.RESTEnabled || u.FullName != "Backup Job" {
		t.Fatalf("edit: %+v, %v", u, err)
	}
	// The key is still known (not "not associated to any user") and is
	// refused as REST access off.
	if _, err := authKey(w.Users, *k2, web01, w.Clock.Now()); apperr.CodeOf(err) != apperr.Forbidden || apperr.As(err).Message != users.MsgRESTOff {
		t.Fatalf("key after REST off: %v", err)
	}
	if got := list(users.Query{KeyStatus: users.KeyNone, Kind: "api"}).Total; got != 1 {
		t.Fatalf("key status after REST off: %d", got)
	}
	if _, err := w.Users.SetDisabled(root, u.Username, true); err != nil {
		t.Fatal(err)
	}
	if got := list(users.Query{KeyStatus: users.KeyDisabled}).Total; got != 1 {
		t.Fatalf("disabled: %d", got)
	}
	if err := w.Users.Delete(root, u.Username); err != nil {
		t.Fatal(err)
	}
	if got := list(users.Query{Kind: "api"}).Total; got != 0 {
		t.Fatalf("after delete: %d", got)
	}
	w.Store.View(func(tx *store.Txn) error {
		if _, err := w.Audit.Verify(tx); err != nil {
			t.Fatal(err)
		}
		return nil
	})
}

func assertLastAudit(t *testing.T, w *testdomain.World, op, result string) {
	t.Helper()
	w.Store.View(func(tx *store.Txn) error {
		recs, err := w.Audit.List(tx)
		if err != nil || len(recs) == 0 {
			t.Fatalf("audit: %v", err)
		}
		last := recs[len(recs)-1]
		if last.Operation != op || last.Result != result || last.ActorName == "" {
			t.Fatalf("last audit record %+v, want %s %s", last, op, result)
		}
		return nil
	})
}
