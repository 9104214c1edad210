package users_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/netip"
	"strings"
	"testing"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/credentials"
	"hostbound/backend/internal/testdomain"
	"hostbound/backend/users"
)

// The rules of PRODUCT.md §8 that live in users, each tested once here for
// every face.

var local = netip.MustParseAddr("127.0.0.1")

func key(t *testing.T) apikey.Key {
	t.Helper()
	k, err := apikey.Generate()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// apiUser creates an API user bound to 127.0.0.1 as the administrator.
func apiUser(t *testing.T, w *testdomain.World, name, role string, scope access.Scope, exp *time.Time) apikey.Key {
	t.Helper()
	k := key(t)
	_, err := w.Users.CreateAPIUser(w.AdminActor, users.APIUserInput{Username: name, Host: "127.0.0.1", FullName: "API " + name,
		Role: role, Scope: scope, RESTEnabled: true, NeverExpires: exp == nil, ExpiresAt: exp}, &k)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func authenticate(w *testdomain.World, k apikey.Key, from netip.Addr) (access.Actor, error) {
	return w.Users.AuthenticateKey(context.Background(), users.KeyRequest{Key: k.String(), Source: from,
		Operation: "GET PASSWORD", Target: "resource 1"}, w.Clock.Now())
}

func code(err error) apperr.Code {
	if err == nil {
		return ""
	}
	return apperr.CodeOf(err)
}

func TestActingOnAUserNeedsTargetWithinActor(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	role, err := w.Users.CreateRole(w.AdminActor, users.RoleInput{Name: "Key Clerks", Permissions: []access.Permission{access.APIUsersManage}})
	if err != nil {
		t.Fatal(err)
	}
	clerk := w.Operator(t, "clerk", role.ID, access.ScopeOwnedShared)
	admin := w.Operator(t, "adm", access.Admin, access.ScopeOwnedShared)
	apiUser(t, w, "allpw@web01", access.Admin, access.ScopeAll, nil)
	apiUser(t, w, "small@web01", access.PasswordUser, access.ScopeOwnedShared, nil)
	w.Operator(t, "priv2", access.PrivilegedAdmin, access.ScopeOwnedShared)

	refusals := []struct {
		name string
		err  func() error
	}{
		{"a holder of apiusers.manage alone regenerates the key of an All Passwords API user", func() error {
			_, err := w.Users.RegenerateAPIKey(clerk, "allpw@web01", key(t), 0)
			return err
		}},
		{"they edit it", func() error {
			_, err := w.Users.UpdateAPIUser(clerk, "allpw@web01", users.APIUserInput{Host: "127.0.0.1", FullName: "x",
				Role: access.Admin, Scope: access.ScopeAll}, nil)
			return err
		}},
		{"they disable it", func() error { _, err := w.Users.SetDisabled(clerk, "allpw@web01", true); return err }},
		{"they enable it", func() error { _, err := w.Users.SetDisabled(clerk, "allpw@web01", false); return err }},
		{"they delete it", func() error { return w.Users.Delete(clerk, "allpw@web01") }},
		{"they regenerate the key of a Password User API user (passwords.view is beyond them)", func() error {
			_, err := w.Users.RegenerateAPIKey(clerk, "small@web01", key(t), 0)
			return err
		}},
		{"an Administrator resets the password of a Privileged Administrator", func() error {
			_, err := w.Users.UpdateOperator(admin, "priv2", users.OperatorInput{FullName: "P", Password: "another long password",
				ConfirmPassword: "another long password", Role: access.PrivilegedAdmin, Scope: access.ScopeOwnedShared})
			return err
		}},
		{"an Administrator disables a Privileged Administrator", func() error { _, err := w.Users.SetDisabled(admin, "priv2", true); return err }},
		{"an Administrator (Owned and Shared) regenerates an All Passwords API user's key", func() error {
			_, err := w.Users.RegenerateAPIKey(admin, "allpw@web01", key(t), 0)
			return err
		}},
	}
	for _, c := range refusals {
		t.Run(c.name+" is refused", func(t *testing.T) {
			if got := code(c.err()); got != apperr.Forbidden {
				t.Fatalf("got %q, want forbidden", got)
			}
		})
	}
	t.Run("an Administrator regenerates the key of an API user within their reach", func(t *testing.T) {
		if _, err := w.Users.RegenerateAPIKey(admin, "small@web01", key(t), 0); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("the refusals are in the audit trail", func(t *testing.T) {
		p, err := w.Trail.Query(w.AdminActor, audit.Filter{Actor: "clerk", Result: audit.Failure}, 0, 100)
		if err != nil || len(p.Records) != 6 {
			t.Fatalf("%d clerk refusals recorded, %v", len(p.Records), err)
		}
	})
}

func TestCustomRoleIDsNeverCollide(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	a, err := w.Users.CreateRole(w.AdminActor, users.RoleInput{Name: "Ops Team", Permissions: []access.Permission{access.AuditView}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := w.Users.CreateRole(w.AdminActor, users.RoleInput{Name: "ops-team", Permissions: []access.Permission{access.PasswordsView}})
	if err != nil {
		t.Fatal(err)
	}
	if a.ID == b.ID {
		t.Fatalf("both roles got id %s", a.ID)
	}
	roles, err := w.Users.Roles(w.AdminActor)
	if err != nil {
		t.Fatal(err)
	}
	if got := roles[a.ID]; got.Name != "Ops Team" || len(got.Permissions) != 1 || got.Permissions[0] != access.AuditView {
		t.Fatalf("the first role was overwritten: %+v", got)
	}
}

func TestAGracePeriodNeverRevivesAnExpiredKey(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	exp := w.Clock.Now().Add(48 * time.Hour)
	old := apiUser(t, w, "svc@web01", access.PasswordUser, access.ScopeOwnedShared, &exp)
	w.Clock.Advance(72 * time.Hour) // the key expired a day ago
	if _, err := authenticate(w, old, local); err == nil || apperr.As(err).Message != users.MsgExpired {
		t.Fatalf("expired key: %v", err)
	}
	newer := key(t)
	if _, err := w.Users.RegenerateAPIKey(w.AdminActor, "svc@web01", newer, 7*24*time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := authenticate(w, old, local); err == nil {
		t.Fatal("regenerating with a grace period revived the expired key")
	}
	if _, err := authenticate(w, newer, local); err != nil {
		t.Fatalf("new key: %v", err)
	}

	t.Run("a live key keeps working through its grace period, but not past its own expiry", func(t *testing.T) {
		exp := w.Clock.Now().Add(time.Hour)
		k1 := apiUser(t, w, "svc2@web01", access.PasswordUser, access.ScopeOwnedShared, &exp)
		if _, err := w.Users.RegenerateAPIKey(w.AdminActor, "svc2@web01", key(t), 24*time.Hour); err != nil {
			t.Fatal(err)
		}
		if _, err := authenticate(w, k1, local); err != nil {
			t.Fatalf("within grace: %v", err)
		}
		w.Clock.Advance(2 * time.Hour)
		if _, err := authenticate(w, k1, local); err == nil {
			t.Fatal("the replaced key outlived its own expiry")
		}
	})
}

func TestReadingAUserNeedsThePermissionToManageIt(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	pu := w.Operator(t, "pete", access.PasswordUser, access.ScopeOwnedShared)
	apiUser(t, w, "svc@web01", access.PasswordUser, access.ScopeOwnedShared, nil)
	clerkRole, _ := w.Users.CreateRole(w.AdminActor, users.RoleInput{Name: "Clerks", Permissions: []access.Permission{access.APIUsersManage}})
	clerk := w.Operator(t, "clerk", clerkRole.ID, access.ScopeOwnedShared)
	for _, c := range []struct {
		name   string
		actor  access.Actor
		target string
		want   apperr.Code
	}{
		{"a Password User reads the administrator", pu, "admin", apperr.Forbidden},
		{"a Password User reads an API user", pu, "svc@web01", apperr.Forbidden},
		{"a Password User asks for a user who does not exist", pu, "nobody", apperr.Forbidden},
		{"a Password User reads themself", pu, "pete", ""},
		{"a holder of apiusers.manage reads an API user", clerk, "svc@web01", ""},
		{"a holder of apiusers.manage reads an operator", clerk, "admin", apperr.Forbidden},
		{"the administrator reads anyone", w.AdminActor, "svc@web01", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := w.Users.Get(c.actor, c.target)
			if got := code(err); got != c.want {
				t.Fatalf("got %q (%v), want %q", got, err, c.want)
			}
			if c.want == apperr.Forbidden && c.actor == pu && apperr.As(err).Message != "You are not allowed to view this user" {
				t.Fatalf("a refusal that tells who exists: %v", err) // the same for a missing user
			}
		})
	}
	if _, err := w.Users.List(pu, users.Query{}); code(err) != apperr.Forbidden {
		t.Errorf("a Password User listed the users: %v", err)
	}
}

func TestAPasswordTypedAsAUsernameNeverReachesTheAuditTrail(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	const typed = "Tr0ub4dor&3-typed-in-the-wrong-field"
	for range 2 {
		if _, err := w.Users.Login(typed, "whatever", access.SourceDesktop); code(err) != apperr.Unauthenticated {
			t.Fatalf("login: %v", err)
		}
	}
	p, err := w.Trail.Query(w.AdminActor, audit.Filter{Operation: "login"}, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range p.Records {
		b, _ := json.Marshal(r)
		if strings.Contains(strings.ToLower(string(b)), strings.ToLower(typed[:10])) {
			t.Fatalf("the typed text is in the record %s", b)
		}
		names = append(names, r.Actor)
	}
	if len(names) != 2 || !strings.HasPrefix(names[0], "unknown user #") || names[0] != names[1] {
		t.Fatalf("two failed logins of one typed name recorded as %q", names)
	}
	if _, err := w.Users.Login("admin", "wrong password", access.SourceDesktop); err == nil {
		t.Fatal("wrong password accepted")
	}
	p, _ = w.Trail.Query(w.AdminActor, audit.Filter{Operation: "login", Actor: "admin"}, 0, 10)
	if len(p.Records) != 1 {
		t.Errorf("a known username is recorded as itself: %d records", len(p.Records))
	}
}

func TestAuthenticateKeyAnswersEachRefusalWithItsPMPMessage(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{DNS: testdomain.DNS{
		Forward: map[string][]netip.Addr{"web01.example.com": {netip.MustParseAddr("127.0.0.5")},
			"evil.example.net": {netip.MustParseAddr("127.0.0.9")}},
		// The attacker at 127.0.0.9 set the PTR of their address to the bound name.
		Reverse: map[string][]string{"127.0.0.9": {"web01.example.com."}},
	}})
	mk := func(name, host string, mutate func(*users.APIUserInput)) apikey.Key {
		k := key(t)
		in := users.APIUserInput{Username: name, Host: host, FullName: "API " + name, Role: access.PasswordUser,
			Scope: access.ScopeOwnedShared, RESTEnabled: true, NeverExpires: true}
		if mutate != nil {
			mutate(&in)
		}
		if _, err := w.Users.CreateAPIUser(w.AdminActor, in, &k); err != nil {
			t.Fatal(err)
		}
		return k
	}
	good := mk("good@web01", "web01.example.com", nil)
	off := mk("off@web01", "127.0.0.1", nil)
	if _, err := w.Users.UpdateAPIUser(w.AdminActor, "off@web01", users.APIUserInput{Host: "127.0.0.1", FullName: "Off",
		Role: access.PasswordUser, Scope: access.ScopeOwnedShared}, nil); err != nil {
		t.Fatal(err)
	}
	disabled := mk("dis@web01", "127.0.0.1", nil)
	if _, err := w.Users.SetDisabled(w.AdminActor, "dis@web01", true); err != nil {
		t.Fatal(err)
	}
	bad := key(t)
	for _, c := range []struct {
		name string
		key  string
		from string
		code apperr.Code
		msg  string
	}{
		{"a key from its host is accepted", good.String(), "127.0.0.5", "", ""},
		{"a key from another address is refused", good.String(), "127.0.0.6", apperr.Forbidden, users.MsgWrongHost},
		{"a PTR naming the host without forward confirmation is refused", good.String(), "127.0.0.9", apperr.Forbidden, users.MsgWrongHost},
		{"an unknown key", bad.String(), "127.0.0.5", apperr.Unauthenticated, users.MsgUnknownKey},
		{"a key with a typo", good.String()[:len(good.String())-1] + "x", "127.0.0.5", apperr.Unauthenticated, users.MsgUnknownKey},
		{"no key", "", "127.0.0.5", apperr.Unauthenticated, users.MsgUnknownKey},
		{"REST access turned off", off.String(), "127.0.0.1", apperr.Forbidden, users.MsgRESTOff},
		{"a disabled API user", disabled.String(), "127.0.0.1", apperr.Unauthenticated, users.MsgAPIDisabled},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, err := w.Users.AuthenticateKey(context.Background(), users.KeyRequest{Key: c.key, Source: netip.MustParseAddr(c.from),
				Operation: "GET RESOURCES"}, w.Clock.Now())
			if code(err) != c.code || (err != nil && apperr.As(err).Message != c.msg) {
				t.Fatalf("got %v, want %q %q", err, c.code, c.msg)
			}
			if err == nil && (a.Username != "good@web01" || a.Kind != access.KindAPI || a.Source != c.from || a.Credential == "") {
				t.Fatalf("actor %+v", a)
			}
		})
	}
}

func TestAStaleActorIsRefusedInsideTheTransaction(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	op := w.Operator(t, "olga", access.Admin, access.ScopeOwnedShared)
	if err := w.Users.Delete(w.AdminActor, "olga"); err != nil {
		t.Fatal(err)
	}
	w.Operator(t, "olga", access.Admin, access.ScopeOwnedShared) // a new user with the old name
	if _, err := w.Users.CreateOperator(op, users.OperatorInput{Username: "x", FullName: "X", Password: "correct horse battery",
		ConfirmPassword: "correct horse battery", Role: access.PasswordUser, Scope: access.ScopeOwnedShared}); code(err) != apperr.Unauthenticated {
		t.Fatalf("the deleted olga still acts: %v", err)
	}

	k := apiUser(t, w, "svc@web01", access.PasswordUser, access.ScopeOwnedShared, nil)
	a, err := authenticate(w, k, local)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Users.RegenerateAPIKey(w.AdminActor, "svc@web01", key(t), 0); err != nil {
		t.Fatal(err)
	}
	// The key was replaced between authentication and the use case.
	if _, err := w.Vault.ListResources(a); code(err) != apperr.Unauthenticated {
		t.Fatalf("a replaced key still acts: %v", err)
	}
}

func TestCreatingARoleLeavesTheCallersPermissionsAlone(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	perms := []access.Permission{access.ReportsView, access.AuditView, access.ReportsView}
	if _, err := w.Users.CreateRole(w.AdminActor, users.RoleInput{Name: "Readers", Permissions: perms}); err != nil {
		t.Fatal(err)
	}
	if perms[0] != access.ReportsView || perms[1] != access.AuditView || perms[2] != access.ReportsView {
		t.Fatalf("the caller's slice was rewritten: %v", perms)
	}
}

func TestAuthenticateCertificateAnswersEachRefusal(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	now := w.Clock.Now()
	pemText, fp := selfSignedClient(t, now.Add(-time.Hour), now.Add(24*time.Hour))
	if _, err := w.Users.CreateAPIUser(w.AdminActor, users.APIUserInput{Username: "svc@web01", Host: "127.0.0.1", FullName: "Svc",
		Role: access.PasswordUser, Scope: access.ScopeOwnedShared, Certificate: pemText}, nil); err != nil {
		t.Fatal(err)
	}
	_, err := w.Users.CreateAPIUser(w.AdminActor, users.APIUserInput{Username: "copy@web01", Host: "127.0.0.1", FullName: "Copy",
		Role: access.PasswordUser, Scope: access.ScopeOwnedShared, Certificate: pemText}, nil)
	if e := apperr.As(err); e == nil || e.Field != "certificate" {
		t.Fatalf("a second user with the same certificate: %v", err)
	}
	auth := func(fp, from string) error {
		_, err := w.Users.AuthenticateCertificate(context.Background(), users.CertRequest{Fingerprint: fp,
			Source: netip.MustParseAddr(from), Operation: "GET RESOURCES"}, w.Clock.Now())
		return err
	}
	msg := func(err error) string {
		if e := apperr.As(err); e != nil {
			return e.Message
		}
		return fmt.Sprint(err)
	}
	if err := auth(fp, "127.0.0.1"); err != nil {
		t.Fatalf("the stored certificate from its host: %v", err)
	}
	if err := auth(fp, "127.0.0.2"); msg(err) != users.MsgWrongHost {
		t.Errorf("from another host: %v", err)
	}
	if err := auth(strings.Repeat("AB:", 31)+"AB", "127.0.0.1"); msg(err) != users.MsgUnknownCert {
		t.Errorf("an unknown certificate: %v", err)
	}
	w.Clock.Advance(-2 * time.Hour)
	if err := auth(fp, "127.0.0.1"); msg(err) != users.MsgCertNotYetValid {
		t.Errorf("before its validity: %v", err)
	}
	w.Clock.Advance(30 * time.Hour)
	if err := auth(fp, "127.0.0.1"); msg(err) != users.MsgCertExpired {
		t.Errorf("after its validity: %v", err)
	}
}

// selfSignedClient returns a PEM client certificate valid from..to and its
// fingerprint.
func selfSignedClient(t *testing.T, from, to time.Time) (string, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "svc"}, NotBefore: from, NotAfter: to}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})), credentials.Fingerprint(der)
}

func TestAuthenticateSSHAnswersEachRefusal(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	const line = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl svc"
	exp := w.Clock.Now().Add(time.Hour)
	k := key(t)
	u, err := w.Users.CreateAPIUser(w.AdminActor, users.APIUserInput{Username: "svc@web01", Host: "127.0.0.1", FullName: "Svc",
		Role: access.PasswordUser, Scope: access.ScopeOwnedShared, SSHPublicKey: line, RESTEnabled: true, ExpiresAt: &exp}, &k)
	if err != nil {
		t.Fatal(err)
	}
	fp := u.SSHKey.Fingerprint
	auth := func(name, fp, from string) string {
		_, err := w.Users.AuthenticateSSH(context.Background(), users.SSHRequest{Username: name, Fingerprint: fp,
			Source: netip.MustParseAddr(from), Operation: "SSH LOGIN"}, w.Clock.Now())
		if err == nil {
			return ""
		}
		return apperr.As(err).Message
	}
	for _, c := range []struct{ name, user, fp, from, want string }{
		{"the stored key from its host", "svc@web01", fp, "127.0.0.1", ""},
		{"another key", "svc@web01", "SHA256:other", "127.0.0.1", users.MsgUnknownSSHKey},
		{"an unknown user", "nobody", fp, "127.0.0.1", users.MsgUnknownSSHKey},
		{"an operator's name", "admin", fp, "127.0.0.1", users.MsgUnknownSSHKey},
		{"another host", "svc@web01", fp, "127.0.0.2", users.MsgWrongHost},
	} {
		if got := auth(c.user, c.fp, c.from); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	w.Clock.Advance(2 * time.Hour)
	if got := auth("svc@web01", fp, "127.0.0.1"); got != users.MsgExpired {
		t.Errorf("an expired user: %q", got)
	}
	if _, err := w.Users.SetDisabled(w.AdminActor, "svc@web01", true); err != nil {
		t.Fatal(err)
	}
	if got := auth("svc@web01", fp, "127.0.0.1"); got != users.MsgAPIDisabled {
		t.Errorf("a disabled user: %q", got)
	}
}
