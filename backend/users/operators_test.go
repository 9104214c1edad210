package users_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/store"
	"hostbound/backend/users"
)

// fastHasher keeps argon2id at test-sized cost; the app uses DefaultHasher.
var fastHasher = users.Hasher{Time: 1, Memory: 1024, Threads: 1}

var ada = users.NewOperator{Username: "admin", FullName: "Ada Admin", Email: "ada@example.com",
	Password: "correct horse battery", ConfirmPassword: "correct horse battery"}

func TestFirstAdministratorIsAPrivilegedAdministratorWithAllPasswords(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if has, _ := e.Users.HasUsers(); has {
		t.Fatal("a fresh store has users")
	}
	u, err := e.Users.CreateFirstAdministrator(ada, access.SourceDesktop)
	if err != nil {
		t.Fatal(err)
	}
	_, p, err := e.Users.Me(desktop(u))
	if err != nil || u.Role != access.PrivilegedAdmin || u.Scope != access.ScopeAll || !p.SeesAll() || u.Kind != users.KindOperator || u.ID == "" {
		t.Fatalf("got %+v, %+v, %v", u, p, err)
	}
	if strings.Contains(u.PasswordHash, ada.Password) || !strings.HasPrefix(u.PasswordHash, "$argon2id$") {
		t.Fatalf("password hash %q", u.PasswordHash)
	}
	if has, _ := e.Users.HasUsers(); !has {
		t.Fatal("HasUsers after setup")
	}
	second := ada
	second.Username = "eve"
	if _, err := e.Users.CreateFirstAdministrator(second, access.SourceDesktop); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("a second first administrator: %v", err)
	}
	e.Store.View(func(tx *store.Txn) error {
		recs, err := e.Audit.List(tx)
		if err != nil || len(recs) != 1 || recs[0].Operation != "create first administrator" || recs[0].ActorName != "Ada Admin" ||
			recs[0].Source != access.SourceDesktop {
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
			_, err := e.Users.CreateFirstAdministrator(n, access.SourceDesktop)
			ae := apperr.As(err)
			if ae == nil || ae.Code != apperr.Invalid || ae.Field != c.field || !strings.Contains(ae.Message, c.msg) {
				t.Fatalf("got %#v", err)
			}
			if has, _ := e.Users.HasUsers(); has {
				t.Fatal("a refused setup saved a user")
			}
		})
	}
	t.Run("an email-style username and no email are fine", func(t *testing.T) {
		t.Parallel()
		n := ada
		n.Username, n.Email = "ops.admin@web01", ""
		if _, err := newEnv(t).Users.CreateFirstAdministrator(n, access.SourceDesktop); err != nil {
			t.Fatal(err)
		}
	})
}

func TestLogin(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if _, err := e.Users.CreateFirstAdministrator(ada, access.SourceDesktop); err != nil {
		t.Fatal(err)
	}
	t.Run("the right password logs in, with any username case", func(t *testing.T) {
		u, err := e.Users.Login("ADMIN", ada.Password, access.SourceDesktop)
		if err != nil || u.FullName != "Ada Admin" {
			t.Fatalf("got %+v, %v", u, err)
		}
	})
	t.Run("a wrong password and an unknown user get the same message", func(t *testing.T) {
		for _, who := range []string{"admin", "nobody"} {
			_, err := e.Users.Login(who, "not the password", access.SourceDesktop)
			ae := apperr.As(err)
			if ae == nil || ae.Code != apperr.Unauthenticated || ae.Message != users.MsgWrongCredentials {
				t.Fatalf("%s: got %v", who, err)
			}
		}
	})
	t.Run("an empty password names the field", func(t *testing.T) {
		if ae := apperr.As(mustFail(e.Users.Login("admin", "", access.SourceDesktop))); ae == nil || ae.Field != "password" {
			t.Fatalf("got %v", ae)
		}
	})
}

func TestFiveWrongPasswordsLockTheUsernameForFiveMinutes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if _, err := e.Users.CreateFirstAdministrator(ada, access.SourceDesktop); err != nil {
		t.Fatal(err)
	}
	login := func(password string) (*users.User, error) {
		return e.Users.Login("admin", password, access.SourceDesktop)
	}
	for i := 1; i <= 4; i++ {
		if code := apperr.CodeOf(mustFail(login("wrong password"))); code != apperr.Unauthenticated {
			t.Fatalf("attempt %d: %s", i, code)
		}
	}
	// The message does not repeat what was typed as the username: it may
	// be a password typed into the wrong field.
	err := mustFail(login("wrong password"))
	if ae := apperr.As(err); ae == nil || ae.Code != apperr.RateLimited || ae.Message != "Too many failed logins for this username. Try again in 5 minutes." {
		t.Fatalf("fifth attempt: %v", err)
	}
	// Locked: even the right password is refused, and the message counts down.
	e.clock.Advance(2*time.Minute + 10*time.Second)
	err = mustFail(login(ada.Password))
	if ae := apperr.As(err); ae == nil || ae.Message != "Too many failed logins for this username. Try again in 3 minutes." {
		t.Fatalf("while locked: %v", err)
	}
	e.clock.Advance(3 * time.Minute)
	if _, err := login(ada.Password); err != nil {
		t.Fatalf("after the lock expired: %v", err)
	}
	// A success resets the count: four more wrong ones do not lock.
	for range 4 {
		mustFail(login("wrong password"))
	}
	if _, err := login(ada.Password); err != nil {
		t.Fatalf("after 4 failures: %v", err)
	}
	e.Store.View(func(tx *store.Txn) error {
		n, err := e.Audit.Verify(tx)
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
