package users_test

import (
	"net/netip"
	"testing"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/apperr"
	"hostbound/backend/internal/pgtest"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/services"
	"hostbound/backend/store"
	"hostbound/backend/users"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// node opens the domain over the PostgreSQL database at url, as one serve
// node does.
func node(t *testing.T, url string, key []byte) *services.Services {
	t.Helper()
	return nodeWith(t, url, key, 1000)
}

// nodeWith is node with failBurst failed authentications per source and
// minute.
func nodeWith(t *testing.T, url string, key []byte, failBurst int) *services.Services {
	t.Helper()
	st, err := store.OpenPostgres(url, key, testenv.Log())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc, err := services.New(st, key, services.Config{Clock: time.Now, Hasher: fastHasher, Resolver: web01DNS,
		APIListen: "127.0.0.1:0", FailBurst: failBurst})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(svc.Close)
	return svc
}

func TestNodesOnOneDatabaseKeepOneSetOfUsers(t *testing.T) {
	url, key := pgtest.URL(t), testenv.Key(t)
	a := node(t, url, key)
	admin, err := a.Users.CreateFirstAdministrator(users.NewOperator{Username: "admin", FullName: "Ada Admin",
		Password: "correct horse battery", ConfirmPassword: "correct horse battery"}, access.SourceDesktop)
	if err != nil {
		t.Fatal(err)
	}
	b := node(t, url, key)
	pa2, err := a.Users.CreateOperator(desktop(admin), users.OperatorInput{Username: "pa2", FullName: "Second Admin",
		Password: "correct horse battery", ConfirmPassword: "correct horse battery", Role: access.PrivilegedAdmin, Scope: access.ScopeAll})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("a user made on one node is in the other's list within a second", func(t *testing.T) {
		start := time.Now()
		for {
			page, err := b.Users.List(desktop(admin), users.Query{Search: "pa2"})
			if err != nil {
				t.Fatal(err)
			}
			if page.Total == 1 {
				t.Logf("in node B's list after %v", time.Since(start).Round(time.Millisecond))
				break
			}
			if time.Since(start) > time.Second {
				t.Fatal("node B's list does not show the user node A made")
			}
			time.Sleep(5 * time.Millisecond)
		}
	})

	t.Run("an operator disabled on one node is refused on the other at once", func(t *testing.T) {
		// Node A disables pa2; node B, at once, is asked by pa2 to
		// disable admin, which would leave no Privileged Administrator.
		if _, err := a.Users.SetDisabled(desktop(admin), "pa2", true); err != nil {
			t.Fatal(err)
		}
		_, err := b.Users.SetDisabled(desktop(pa2), "admin", true)
		if e := apperr.As(err); e == nil || e.Code != apperr.Unauthenticated || e.Message != users.MsgDisabled {
			t.Fatalf("node B acted for an operator node A had disabled: %v", err)
		}
		if u, err := b.Users.Get(desktop(admin), "admin"); err != nil || u.Disabled {
			t.Fatalf("admin after both changes: %+v %v", u, err)
		}
	})
}

func TestFailedAuthenticationsCountOnEveryNode(t *testing.T) {
	url, key := pgtest.URL(t), testenv.Key(t)
	a, b := nodeWith(t, url, key, 3), nodeWith(t, url, key, 3)
	attacker, other := netip.MustParseAddr("198.51.100.7"), netip.MustParseAddr("198.51.100.8")
	wrong, err := apikey.Generate()
	if err != nil {
		t.Fatal(err)
	}
	// Three failures on node A use up the source's burst on node B too.
	for range 3 {
		if _, err := authKey(a.Users, wrong, attacker, time.Now()); err == nil {
			t.Fatal("a wrong key was accepted")
		}
	}
	start := time.Now()
	for {
		if blocked, _ := b.Guard.Blocked(attacker); blocked {
			t.Logf("blocked on node B %v after the third failure on node A", time.Since(start).Round(time.Millisecond))
			break
		}
		if time.Since(start) > time.Second {
			t.Fatal("node B does not count the failures node A saw")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if _, err := authKey(b.Users, wrong, attacker, time.Now()); apperr.As(err) == nil || apperr.As(err).Code != apperr.RateLimited {
		t.Errorf("node B answers the blocked source with %v, want rate limited", err)
	}
	if blocked, _ := b.Guard.Blocked(other); blocked {
		t.Error("another source is blocked on node B")
	}
}
