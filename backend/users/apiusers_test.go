package users_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/store"
	"hostbound/backend/users"
)

// admin sets up the first administrator and returns it as the actor.
func (e *env) admin(t *testing.T) *users.User {
	t.Helper()
	u, err := e.svc.CreateFirstAdministrator(ada)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (e *env) operator(t *testing.T, actor *users.User, name, role string, scope access.Scope) *users.User {
	t.Helper()
	u, err := e.svc.CreateOperator(actor, users.OperatorInput{Username: name, FullName: "Op " + name,
		Password: "operator password", ConfirmPassword: "operator password", Role: role, Scope: scope})
	if err != nil {
		t.Fatalf("create operator %s: %v", name, err)
	}
	return u
}

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
			e := newEnv(t)
			actor := e.admin(t)
			in := seedInput()
			c.edit(&in)
			_, err := e.svc.CreateAPIUser(actor, in, newKey(t))
			ae := apperr.As(err)
			if ae == nil || ae.Code != apperr.Invalid || ae.Field != c.field || !strings.Contains(ae.Message, c.msg) {
				t.Fatalf("got %#v", err)
			}
			if e.svc.List(users.Query{Kind: "api"}).Total != 0 {
				t.Fatal("a refused create saved the user")
			}
			assertLastAudit(t, e, "create api user", audit.Failure)
		})
	}
	t.Run("every bad field is reported at once", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		in := seedInput()
		in.Host, in.FullName, in.ExpiresAt = "", "", &past
		_, err := e.svc.CreateAPIUser(e.admin(t), in, newKey(t))
		if ae := apperr.As(err); ae == nil || len(ae.Fields) != 3 {
			t.Fatalf("got %#v", err)
		}
	})
	t.Run("a username is unique whatever its case, across operators too", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		actor := e.admin(t)
		if _, err := e.svc.CreateAPIUser(actor, seedInput(), newKey(t)); err != nil {
			t.Fatal(err)
		}
		in := seedInput()
		in.Username = "BACKUP@web01.example.com"
		if ae := apperr.As(mustFail(e.svc.CreateAPIUser(actor, in, newKey(t)))); ae == nil || ae.Message != "Username already exists" {
			t.Fatalf("got %v", ae)
		}
		in.Username = "ADMIN"
		if ae := apperr.As(mustFail(e.svc.CreateAPIUser(actor, in, newKey(t)))); ae == nil || ae.Message != "Username already exists" {
			t.Fatalf("got %v", ae)
		}
	})
	t.Run("REST enabled without a generated key is refused", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		if ae := apperr.As(mustFail(e.svc.CreateAPIUser(e.admin(t), seedInput(), nil))); ae == nil || ae.Field != "apiKey" {
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
			e := newEnv(t)
			op := e.operator(t, e.admin(t), "op", c.role, access.ScopeOwnedShared)
			_, err := e.svc.CreateAPIUser(op, seedInput(), newKey(t))
			if c.allowed && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !c.allowed {
				if ae := apperr.As(err); ae == nil || ae.Code != apperr.Forbidden || ae.Message != "You are not allowed to add API users" {
					t.Fatalf("got %v", err)
				}
				assertLastAudit(t, e, "create api user", audit.Failure)
			}
		})
	}
}

func TestEscalationAttemptsAreRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	root := e.admin(t)
	adm := e.operator(t, root, "adm", access.Admin, access.ScopeOwnedShared)
	superAdm := e.operator(t, root, "superadm", access.Admin, access.ScopeAll)

	expect := func(name string, err error, code apperr.Code, contains string) {
		t.Helper()
		ae := apperr.As(err)
		if ae == nil || ae.Code != code || !strings.Contains(ae.Message, contains) {
			t.Errorf("%s: got %v", name, err)
		}
	}
	in := seedInput()
	in.Role = access.PrivilegedAdmin
	expect("an Administrator grants Privileged Administrator", mustFail(e.svc.CreateAPIUser(adm, in, newKey(t))),
		apperr.Invalid, "you cannot grant Privileged Administrator")

	in = seedInput()
	in.Role, in.Scope = access.Admin, access.ScopeAll
	expect("a non-Super Administrator grants All Passwords", mustFail(e.svc.CreateAPIUser(adm, in, newKey(t))),
		apperr.Invalid, "only a Super Administrator can grant All Passwords")
	if _, err := e.svc.CreateAPIUser(superAdm, in, newKey(t)); err != nil {
		t.Errorf("a Super Administrator grants All Passwords: %v", err)
	}

	expect("an Administrator changes their own scope", mustFail(e.svc.UpdateOperator(adm, "adm", users.OperatorInput{
		FullName: "Op adm", Role: access.Admin, Scope: access.ScopeAll})), apperr.Forbidden, "your own access level or scope")
	expect("the only Privileged Administrator disables himself", mustFail(e.svc.SetDisabled(root, "admin", true)),
		apperr.Forbidden, "cannot disable yourself")

	priv2 := e.operator(t, root, "priv2", access.PrivilegedAdmin, access.ScopeAll)
	if _, err := e.svc.SetDisabled(priv2, "admin", true); err != nil {
		t.Fatalf("disable one of two Privileged Administrators: %v", err)
	}
	expect("a disabled operator cannot act", mustFail(e.svc.UpdateOperator(root, "priv2", users.OperatorInput{
		FullName: "Op priv2", Role: access.Admin, Scope: access.ScopeAll})), apperr.Unauthenticated, "disabled")
	if _, err := e.svc.SetDisabled(priv2, "admin", false); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Delete(root, "priv2"); err != nil {
		t.Fatalf("delete one of two: %v", err)
	}
	expect("the last Privileged Administrator is deleted by an Administrator", e.svc.Delete(superAdm, "admin"),
		apperr.Conflict, "last Privileged Administrator")
	expect("the last Privileged Administrator is demoted", mustFail(e.svc.UpdateOperator(superAdm, "admin", users.OperatorInput{
		FullName: "Ada Admin", Role: access.Admin, Scope: access.ScopeAll})), apperr.Conflict, "last Privileged Administrator")

	// Custom roles: no one creates a role with permissions they lack.
	_, err := e.svc.CreateRole(adm, users.RoleInput{Name: "Settings people", Permissions: []access.Permission{access.SettingsManage}})
	expect("an Administrator creates a role with settings.manage", err, apperr.Forbidden, "settings.manage")
}

func TestCustomRoles(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	root := e.admin(t)
	r, err := e.svc.CreateRole(root, users.RoleInput{Name: "Key Operators", Permissions: []access.Permission{access.APIUsersManage, access.PasswordsView, access.PasswordsModify}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.CreateRole(root, users.RoleInput{Name: "key operators", Permissions: []access.Permission{access.AuditView}}); apperr.As(err) == nil || apperr.As(err).Field != "name" {
		t.Fatalf("duplicate name: %v", err)
	}
	keyop := e.operator(t, root, "keyop", r.ID, access.ScopeOwnedShared)
	if _, err := e.svc.CreateAPIUser(keyop, seedInput(), newKey(t)); err != nil {
		t.Fatalf("a custom role with apiusers.manage adds an API user: %v", err)
	}
	if err := e.svc.DeleteRole(root, r.ID); apperr.As(err) == nil || !strings.Contains(err.Error(), "held by 1 user") {
		t.Fatalf("delete a role in use: %v", err)
	}
	if err := e.svc.Delete(root, "keyop"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.DeleteRole(root, r.ID); err != nil {
		t.Fatalf("delete an unused role: %v", err)
	}
	if err := e.svc.DeleteRole(root, access.Admin); apperr.CodeOf(err) != apperr.Forbidden {
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
	svc, err := users.NewService(users.Config{Store: st, Audit: audit.New([]byte("a"), clock.Now), Hasher: fastHasher,
		Clock: clock.Now, Pepper: []byte("pepper")})
	if err != nil {
		t.Fatal(err)
	}
	root, err := svc.CreateFirstAdministrator(ada)
	if err != nil {
		t.Fatal(err)
	}
	key := newKey(t)
	u, err := svc.CreateAPIUser(root, seedInput(), key)
	if err != nil {
		t.Fatal(err)
	}
	if u.APIKey.Hint != key.String()[:8] || strings.Contains(u.APIKey.Hash, key.String()) {
		t.Fatalf("key info %+v", u.APIKey)
	}
	if got, err := svc.Lookup(*key); err != nil || got.Username != u.Username {
		t.Fatalf("lookup: %v", err)
	}
	// Regenerate: the old key stops working at once.
	newer := newKey(t)
	if _, err := svc.RegenerateAPIKey(root, u.Username, *newer, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Lookup(*key); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("old key after regenerate: %v", err)
	}
	if got, err := svc.Lookup(*newer); err != nil || got.Username != u.Username {
		t.Fatalf("new key: %v", err)
	}
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
	e := newEnv(t)
	root := e.admin(t)
	key := newKey(t)
	u, err := e.svc.CreateAPIUser(root, seedInput(), key)
	if err != nil {
		t.Fatal(err)
	}
	row := e.svc.List(users.Query{Search: "WEB01"}).Rows[0]
	if row.Host != "web01.example.com" || row.KeyStatus(e.clock.Now()) != users.KeyActive || row.KeyHint != key.Hint() {
		t.Fatalf("row %+v", row)
	}
	// Near the date the key is expiring, then expired.
	e.clock.Advance(time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC).Sub(e.clock.Now()))
	if got := e.svc.List(users.Query{KeyStatus: users.KeyExpiring}).Total; got != 1 {
		t.Fatalf("expiring: %d", got)
	}
	e.clock.Advance(60 * 24 * time.Hour)
	if got := e.svc.List(users.Query{KeyStatus: users.KeyExpired}).Total; got != 1 {
		t.Fatalf("expired: %d", got)
	}
	// An expired user can still be edited without touching the date.
	dept := seedInput()
	dept.Department = "Ops"
	if _, err := e.svc.UpdateAPIUser(root, u.Username, dept, nil); err != nil {
		t.Fatalf("edit with the expired date kept: %v", err)
	}
	// Regenerating an expired key gives the same validity period again,
	// never "never expires".
	k2 := newKey(t)
	u2, err := e.svc.RegenerateAPIKey(root, u.Username, *k2, 0)
	if err != nil || u2.APIKey.ExpiresAt == nil || !u2.APIKey.ExpiresAt.After(e.clock.Now()) {
		t.Fatalf("regenerate expired: %+v, %v", u2.APIKey, err)
	}
	// Edit: REST off keeps the key but the user shows no active key.
	in := seedInput()
	in.RESTEnabled = false
	in.FullName = "Backup Job"
	if u, err = e.svc.UpdateAPIUser(root, u.Username, in, nil); err != nil || u.RESTEnabled || u.FullName != "Backup Job" {
		t.Fatalf("edit: %+v, %v", u, err)
	}
	if got, err := e.svc.Lookup(*k2); err != nil || got.RESTEnabled {
		t.Fatalf("key after REST off: %+v, %v", got, err)
	}
	if got := e.svc.List(users.Query{KeyStatus: users.KeyNone, Kind: "api"}).Total; got != 1 {
		t.Fatalf("key status after REST off: %d", got)
	}
	if _, err := e.svc.SetDisabled(root, u.Username, true); err != nil {
		t.Fatal(err)
	}
	if got := e.svc.List(users.Query{KeyStatus: users.KeyDisabled}).Total; got != 1 {
		t.Fatalf("disabled: %d", got)
	}
	if err := e.svc.Delete(root, u.Username); err != nil {
		t.Fatal(err)
	}
	if got := e.svc.List(users.Query{Kind: "api"}).Total; got != 0 {
		t.Fatalf("after delete: %d", got)
	}
	e.st.View(func(tx *store.Txn) error {
		if _, err := e.log.Verify(tx); err != nil {
			t.Fatal(err)
		}
		return nil
	})
}

func assertLastAudit(t *testing.T, e *env, op, result string) {
	t.Helper()
	e.st.View(func(tx *store.Txn) error {
		recs, err := e.log.List(tx)
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
