package users_test

import (
	"fmt"
	"testing"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/internal/testdomain"
	"hostbound/backend/users"
)

// Users reached by id (PMP's lock, unlock and delete by USERID) and roles
// named as PMP's clients name them.

// idOf is the id of the user named username.
func idOf(t *testing.T, w *testdomain.World, username string) string {
	t.Helper()
	u, err := w.Users.Get(w.AdminActor, username)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

func TestUsersAreLockedAndDeletedByID(t *testing.T) {
	t.Parallel()
	for _, kind := range []struct {
		name   string
		create func(t *testing.T, w *testdomain.World, username string) string // returns the id
		user   string
	}{
		{"an API user", func(t *testing.T, w *testdomain.World, username string) string {
			apiUser(t, w, username, access.PasswordUser, access.ScopeOwnedShared, nil)
			return idOf(t, w, username)
		}, "svc@web01"},
		{"an operator", func(t *testing.T, w *testdomain.World, username string) string {
			return w.Operator(t, username, access.PasswordUser, access.ScopeOwnedShared).UserID
		}, "olga"},
	} {
		t.Run(kind.name, func(t *testing.T) {
			t.Parallel()
			w := world(t)
			id := kind.create(t, w, kind.user)
			bystander := kind.create(t, w, "x"+kind.user)

			t.Run("SetDisabledByID disables and enables the user with that id", func(t *testing.T) {
				for _, disabled := range []bool{true, false} {
					u, err := w.Users.SetDisabledByID(w.AdminActor, id, disabled)
					if err != nil || u.ID != id || u.Username != kind.user || u.Disabled != disabled {
						t.Fatalf("disabled=%v: %+v %v", disabled, u, err)
					}
					if got, err := w.Users.Get(w.AdminActor, kind.user); err != nil || got.Disabled != disabled {
						t.Fatalf("stored: %+v %v", got, err)
					}
				}
			})
			t.Run("an unknown or blank id is not found", func(t *testing.T) {
				for _, bad := range []string{"no-such-id", "", id + "0"} {
					if _, err := w.Users.SetDisabledByID(w.AdminActor, bad, true); code(err) != apperr.NotFound {
						t.Errorf("SetDisabledByID(%q): %v", bad, err)
					}
					if err := w.Users.DeleteByID(w.AdminActor, bad); code(err) != apperr.NotFound {
						t.Errorf("DeleteByID(%q): %v", bad, err)
					}
				}
			})
			t.Run("DeleteByID deletes the user with that id and no other", func(t *testing.T) {
				if err := w.Users.DeleteByID(w.AdminActor, id); err != nil {
					t.Fatal(err)
				}
				if _, err := w.Users.Get(w.AdminActor, kind.user); code(err) != apperr.NotFound {
					t.Fatalf("after the delete: %v", err)
				}
				if got := idOf(t, w, "x"+kind.user); got != bystander {
					t.Fatalf("the bystander's id is %q", got)
				}
			})
			t.Run("a user re-created under the name is not reached by the old id", func(t *testing.T) {
				again := kind.create(t, w, kind.user)
				if again == id {
					t.Fatalf("the new user got the old id %s", id)
				}
				if _, err := w.Users.SetDisabledByID(w.AdminActor, id, true); code(err) != apperr.NotFound {
					t.Errorf("SetDisabledByID(old id): %v", err)
				}
				if err := w.Users.DeleteByID(w.AdminActor, id); code(err) != apperr.NotFound {
					t.Errorf("DeleteByID(old id): %v", err)
				}
				u, err := w.Users.Get(w.AdminActor, kind.user)
				if err != nil || u.ID != again || u.Disabled {
					t.Fatalf("the new user: %+v %v", u, err)
				}
			})
		})
	}
}

func TestManagingAUserIsForbiddenAlikeWhetherOrNotItExists(t *testing.T) {
	t.Parallel()
	w := world(t)
	apiUser(t, w, "svc@web01", access.PasswordUser, access.ScopeOwnedShared, nil)
	real := idOf(t, w, "svc@web01")
	pete := w.Operator(t, "pete", access.PasswordUser, access.ScopeOwnedShared)
	aud := w.Operator(t, "aud", access.PasswordAuditor, access.ScopeOwnedShared)
	type call struct {
		name string
		do   func(a access.Actor) error
	}
	calls := []call{}
	for _, target := range []struct{ what, username, id string }{
		{"a real user", "svc@web01", real},
		{"a user who does not exist", "nobody@web01", "no-such-id"},
	} {
		calls = append(calls,
			call{"SetDisabled of " + target.what, func(a access.Actor) error {
				_, err := w.Users.SetDisabled(a, target.username, true)
				return err
			}},
			call{"Delete of " + target.what, func(a access.Actor) error { return w.Users.Delete(a, target.username) }},
			call{"SetDisabledByID of " + target.what, func(a access.Actor) error {
				_, err := w.Users.SetDisabledByID(a, target.id, true)
				return err
			}},
			call{"DeleteByID of " + target.what, func(a access.Actor) error { return w.Users.DeleteByID(a, target.id) }},
		)
	}
	for _, who := range []struct {
		name  string
		actor access.Actor
	}{{"a Password User", pete}, {"a Password Auditor", aud}} {
		var msg string
		for _, c := range calls {
			t.Run(who.name+"'s "+c.name+" is forbidden", func(t *testing.T) {
				err := c.do(who.actor)
				if code(err) != apperr.Forbidden {
					t.Fatalf("got %v, want forbidden", err)
				}
				if msg == "" {
					msg = apperr.As(err).Message
				}
				if apperr.As(err).Message != msg {
					t.Fatalf("%q, unlike %q: the answer tells who exists", apperr.As(err).Message, msg)
				}
			})
		}
	}
	if u, err := w.Users.Get(w.AdminActor, "svc@web01"); err != nil || u.Disabled {
		t.Fatalf("svc after the refusals: %+v %v", u, err)
	}
}

func TestARoleIsNamedByItsNameOrID(t *testing.T) {
	t.Parallel()
	w := world(t)
	clerks, err := w.Users.CreateRole(w.AdminActor, users.RoleInput{Name: "Key Clerks", Permissions: []access.Permission{access.APIUsersManage}})
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range []struct {
		role, want string
	}{
		{"Password User", access.PasswordUser},
		{"password user", access.PasswordUser},
		{"PASSWORD_USER", access.PasswordUser},
		{"password_user", access.PasswordUser},
		{"  Password   User ", access.PasswordUser},
		{"Password Administrator", access.PasswordAdmin},
		{"key clerks", clerks.ID},
		{clerks.ID, clerks.ID},
	} {
		t.Run(fmt.Sprintf("CreateAPIUser with role %q stores %s", c.role, c.want), func(t *testing.T) {
			name := fmt.Sprintf("svc%d@web01", i)
			k := key(t)
			u, err := w.Users.CreateAPIUser(w.AdminActor, users.APIUserInput{Username: name, Host: "127.0.0.1", FullName: "Svc",
				Role: c.role, Scope: access.ScopeOwnedShared, RESTEnabled: true, NeverExpires: true}, &k)
			if err != nil || u.Role != c.want {
				t.Fatalf("got %+v %v", u, err)
			}
			if got, err := w.Users.Get(w.AdminActor, name); err != nil || got.Role != c.want {
				t.Fatalf("stored: %+v %v", got, err)
			}
		})
	}
	t.Run("CreateOperator names a role by its name too", func(t *testing.T) {
		u, err := w.Users.CreateOperator(w.AdminActor, users.OperatorInput{Username: "olga", FullName: "Olga",
			Password: "correct horse battery", ConfirmPassword: "correct horse battery", Role: "password auditor", Scope: access.ScopeOwnedShared})
		if err != nil || u.Role != access.PasswordAuditor {
			t.Fatalf("got %+v %v", u, err)
		}
	})
	t.Run("an unknown role name is refused on the role field", func(t *testing.T) {
		k := key(t)
		_, err := w.Users.CreateAPIUser(w.AdminActor, users.APIUserInput{Username: "wiz@web01", Host: "127.0.0.1", FullName: "Wiz",
			Role: "Password Wizard", Scope: access.ScopeOwnedShared, RESTEnabled: true, NeverExpires: true}, &k)
		if e := apperr.As(err); e == nil || e.Code != apperr.Invalid || e.Field != "role" {
			t.Fatalf("got %v", err)
		}
		if _, err := w.Users.Get(w.AdminActor, "wiz@web01"); code(err) != apperr.NotFound {
			t.Fatalf("wiz was created: %v", err)
		}
	})
}
