package users_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/store"
	"hostbound/backend/users"
)

type env struct {
	st    *store.Store
	log   *audit.Log
	svc   *users.Service
	clock *testenv.Clock
}

func newEnv(t *testing.T) *env {
	t.Helper()
	st := testenv.Store(t)
	clock := testenv.NewClock()
	log := audit.New([]byte("audit-key-for-tests-32-bytes-lon"), clock.Now)
	svc, err := users.NewService(users.Config{Store: st, Audit: log, Hasher: fastHasher, Clock: clock.Now, Pepper: []byte("pepper")})
	if err != nil {
		t.Fatal(err)
	}
	return &env{st, log, svc, clock}
}

// fastHasher keeps argon2id at test-sized cost; the app uses DefaultHasher.
var fastHasher = users.Hasher{Time: 1, Memory: 1024, Threads: 1}

var ada = users.NewOperator{Username: "admin", FullName: "Ada Admin", Email: "ada@example.com",
	Password: "correct horse battery", ConfirmPassword: "correct horse battery"}

func TestFirstAdministratorIsAPrivilegedAdministratorWithAllPasswords(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if has, _ := e.svc.HasUsers(); has {
		t.Fatal("a fresh store has users")
	}
	u, err := e.svc.CreateFirstAdministrator(ada)
	if err != nil {
		t.Fatal(err)
	}
	if _, super := e.svc.RoleOf(u); u.Role != access.PrivilegedAdmin || u.Scope != access.ScopeAll || !super || u.Kind != users.KindOperator {
		t.Fatalf("got %+v", u)
	}
	if strings.Contains(u.PasswordHash, ada.Password) || !strings.HasPrefix(u.PasswordHash, "$argon2id$") {
		t.Fatalf("password hash %q", u.PasswordHash)
	}
	if has, _ := e.svc.HasUsers(); !has {
		t.Fatal("HasUsers after setup")
	}
	second := ada
	second.Username = "eve"
	if _, err := e.svc.CreateFirstAdministrator(second); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("a second first administrator: %v", err)
	}
	e.st.View(func(tx *store.Txn) error {
		recs, err := e.log.List(tx)
		if err != nil || len(recs) != 1 || recs[0].Operation != "create first administrator" || recs[0].ActorName != "Ada Admin" {
			t.Fatalf("audit: %+v, %v", recs, err)
		}
		return nil
	})
}

func TestSetupValidatesEveryField(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		edit  func(*users.NewOperator)
		field string
		msg   string
	}{
		{"an empty username is refused", func(n *users.NewOperator) { n.Username = "" }, "username", "Username: 1–64 characters"},
		{"a username with a space is refused", func(n *users.NewOperator) { n.Username = "ada admin" }, "username", "Username:"},
		{"a 65-character username is refused", func(n *users.NewOperator) { n.Username = strings.Repeat("a", 65) }, "username", "Username:"},
		{"an empty full name is refused", func(n *users.NewOperator) { n.FullName = "  " }, "fullName", "Full Name: required"},
		{"a bad email is refused", func(n *users.NewOperator) { n.Email = "ada@" }, "email", "Email: not a valid email address"},
		{"an 11-character password is refused", func(n *users.NewOperator) { n.Password, n.ConfirmPassword = "elevenchars", "elevenchars" }, "password", "Password: at least 12 characters"},
		{"a mismatched confirmation is refused", func(n *users.NewOperator) { n.ConfirmPassword = "something else!!" }, "confirmPassword", "Confirm Password: does not match"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			n := ada
			c.edit(&n)
			_, err := e.svc.CreateFirstAdministrator(n)
			ae := apperr.As(err)
			if ae == nil || ae.Code != apperr.Invalid || ae.Field != c.field || !strings.Contains(ae.Message, c.msg) {
				t.Fatalf("got %#v", err)
			}
			if has, _ := e.svc.HasUsers(); has {
				t.Fatal("a refused setup saved a user")
			}
		})
	}
	t.Run("an email-style username and no email are fine", func(t *testing.T) {
		t.Parallel()
		n := ada
		n.Username, n.Email = "ops.admin@web01", ""
		if _, err := newEnv(t).svc.CreateFirstAdministrator(n); err != nil {
			t.Fatal(err)
		}
	})
}

func TestLogin(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if _, err := e.svc.CreateFirstAdministrator(ada); err != nil {
		t.Fatal(err)
	}
	t.Run("the right password logs in, with any username case", func(t *testing.T) {
		u, err := e.svc.Login("ADMIN", ada.Password)
		if err != nil || u.FullName != "Ada Admin" {
			t.Fatalf("got %+v, %v", u, err)
		}
	})
	t.Run("a wrong password and an unknown user get the same message", func(t *testing.T) {
		for _, who := range []string{"admin", "nobody"} {
			_, err := e.svc.Login(who, "not the password")
			ae := apperr.As(err)
			if ae == nil || ae.Code != apperr.Unauthenticated || ae.Message != users.MsgWrongCredentials {
				t.Fatalf("%s: got %v", who, err)
			}
		}
	})
	t.Run("an empty password names the field", func(t *testing.T) {
		if ae := apperr.As(mustFail(e.svc.Login("admin", ""))); ae == nil || ae.Field != "password" {
			t.Fatalf("got %v", ae)
		}
	})
}

func TestFiveWrongPasswordsLockTheUsernameForFiveMinutes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if _, err := e.svc.CreateFirstAdministrator(ada); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 4; i++ {
		if code := apperr.CodeOf(mustFail(e.svc.Login("admin", "wrong password"))); code != apperr.Unauthenticated {
			t.Fatalf("attempt %d: %s", i, code)
		}
	}
	err := mustFail(e.svc.Login("admin", "wrong password"))
	if ae := apperr.As(err); ae == nil || ae.Code != apperr.RateLimited || ae.Message != "Too many failed logins for admin. Try again in 5 minutes." {
		t.Fatalf("fifth attempt: %v", err)
	}
	// Locked: even the right password is refused, and the message counts down.
	e.clock.Advance(2*time.Minute + 10*time.Second)
	err = mustFail(e.svc.Login("admin", ada.Password))
	if ae := apperr.As(err); ae == nil || ae.Message != "Too many failed logins for admin. Try again in 3 minutes." {
		t.Fatalf("while locked: %v", err)
	}
	e.clock.Advance(3 * time.Minute)
	if _, err := e.svc.Login("admin", ada.Password); err != nil {
		t.Fatalf("after the lock expired: %v", err)
	}
	// A success resets the count: four more wrong ones do not lock.
	for range 4 {
		mustFail(e.svc.Login("admin", "wrong password"))
	}
	if _, err := e.svc.Login("admin", ada.Password); err != nil {
		t.Fatalf("after 4 failures: %v", err)
	}
	e.st.View(func(tx *store.Txn) error {
		n, err := e.log.Verify(tx)
		if err != nil || n < 12 {
			t.Fatalf("audit chain: %d records, %v", n, err)
		}
		return nil
	})
}

func mustFail[T any](_ T, err error) error {
	if err == nil {
		return errors.New("expected an error, got none")
	}
	return err
}
