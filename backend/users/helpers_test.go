package users_test

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/internal/testdomain"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/services"
	"hostbound/backend/store"
	"hostbound/backend/users"
)

// web01 is the address web01.example.com (the host of seedInput) resolves to.
var web01 = netip.MustParseAddr("192.0.2.10")

// web01DNS resolves the hosts these tests bind API users to.
var web01DNS = testdomain.DNS{Forward: map[string][]netip.Addr{
	"web01.example.com": {web01},
	"localhost":         {netip.MustParseAddr("127.0.0.1")},
}}

// world is the wired domain with its first administrator ("admin", Ada
// Admin, a Privileged Administrator with All Passwords).
func world(t *testing.T) *testdomain.World {
	t.Helper()
	return testdomain.New(t, testdomain.Options{DNS: web01DNS})
}

// env is the wired domain over a fresh store, before any user exists: what
// first-run setup and login need.
type env struct {
	*services.Services
	clock *testenv.Clock
}

func newEnv(t *testing.T) *env {
	t.Helper()
	clock := testenv.NewClock()
	svc := wire(t, testenv.Store(t), clock)
	t.Cleanup(svc.Close)
	return &env{svc, clock}
}

// wire builds the domain over st as the app does; the caller closes it
// (before st).
func wire(t *testing.T, st *store.Store, clock *testenv.Clock) *services.Services {
	t.Helper()
	return wireKey(t, st, testenv.Key(t), clock)
}

// wireKey is wire with the master key: what serve builds when it opens st.
func wireKey(t *testing.T, st *store.Store, master []byte, clock *testenv.Clock) *services.Services {
	t.Helper()
	svc, err := services.New(st, master, services.Config{Clock: clock.Now, Hasher: fastHasher,
		Resolver: web01DNS, APIListen: "127.0.0.1:0", FailBurst: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// desktop is u acting at the desktop.
func desktop(u *users.User) access.Actor { return users.ActorOf(u, access.SourceDesktop) }

// authKey presents k from address from at now, as the REST API does.
func authKey(u *users.Service, k apikey.Key, from netip.Addr, now time.Time) (access.Actor, error) {
	return u.AuthenticateKey(context.Background(), users.KeyRequest{Key: k.String(), Source: from,
		Operation: "GET RESOURCES"}, now)
}
