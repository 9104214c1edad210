// Package testdomain builds the whole domain over a real encrypted store in
// a test's temporary directory, wired as the app wires it (package
// services), with fast password hashing, an injected clock and a static
// DNS. It is a separate package from testenv so that domain packages'
// own tests can keep using testenv.
package testdomain

import (
	"context"
	"net/netip"
	"testing"

	"hostbound/backend/access"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/services"
	"hostbound/backend/users"
)

// DNS is a static resolver: forward answers by name, reverse by address.
type DNS struct {
	Forward map[string][]netip.Addr
	Reverse map[string][]string
}

func (d DNS) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	return d.Forward[host], nil
}
func (d DNS) LookupAddr(_ context.Context, addr string) ([]string, error) {
	return d.Reverse[addr], nil
}

// LocalDNS resolves localhost to 127.0.0.1.
var LocalDNS = DNS{Forward: map[string][]netip.Addr{"localhost": {netip.MustParseAddr("127.0.0.1")}}}

// World is the domain with its first administrator.
type World struct {
	*services.Services
	Clock *testenv.Clock
	Admin *users.User
	// AdminActor is the administrator at the desktop.
	AdminActor access.Actor
}

// FastHasher keeps tests quick; the app uses users.DefaultHasher.
var FastHasher = users.Hasher{Time: 1, Memory: 1024, Threads: 1}

// Options change the world.
type Options struct {
	FailBurst int // failed authentications per minute per source (default 1000: tests don't trip it)
	DNS       DNS // default LocalDNS
}

// New returns a world: a fresh store, the services and "admin", a
// Privileged Administrator with All Passwords.
func New(t testing.TB, o Options) *World {
	t.Helper()
	if o.FailBurst == 0 {
		o.FailBurst = 1000
	}
	if o.DNS.Forward == nil && o.DNS.Reverse == nil {
		o.DNS = LocalDNS
	}
	clock := testenv.NewClock()
	st := testenv.Store(t)
	svc, err := services.New(st, testenv.Key(t), services.Config{Clock: clock.Now, Hasher: FastHasher, Resolver: o.DNS,
		APIListen: "127.0.0.1:0", FailBurst: o.FailBurst})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(svc.Close)
	admin, err := svc.Users.CreateFirstAdministrator(users.NewOperator{Username: "admin", FullName: "Ada Admin",
		Password: "correct horse battery", ConfirmPassword: "correct horse battery"}, access.SourceDesktop)
	if err != nil {
		t.Fatal(err)
	}
	return &World{Services: svc, Clock: clock, Admin: admin, AdminActor: users.ActorOf(admin, access.SourceDesktop)}
}

// Operator creates an operator with role and scope, as the administrator,
// and returns it acting from the desktop.
func (w *World) Operator(t testing.TB, name, role string, scope access.Scope) access.Actor {
	t.Helper()
	u, err := w.Users.CreateOperator(w.AdminActor, users.OperatorInput{Username: name, FullName: "Op " + name,
		Password: "correct horse battery", ConfirmPassword: "correct horse battery", Role: role, Scope: scope})
	if err != nil {
		t.Fatal(err)
	}
	return users.ActorOf(u, access.SourceDesktop)
}
