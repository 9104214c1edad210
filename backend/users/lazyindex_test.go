package users_test

import (
	"testing"

	"hostbound/backend/access"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/store"
	"hostbound/backend/users"
)

// Serve answers retrievals without the users index, so it holds no entry
// per user until a list, report, search or certificate needs them (issue
// 14: memory flat in the number of API users); the first read misses no
// commit, nor one made while it reads.
func TestTheUsersIndexIsReadOnFirstUseAndMissesNoCommit(t *testing.T) {
	clock := testenv.NewClock()
	st := testenv.Store(t)
	master := testenv.Key(t)
	first := wireKey(t, st, master, clock)
	admin, err := first.Users.CreateFirstAdministrator(users.NewOperator{Username: "admin", FullName: "Ada Admin",
		Password: "correct horse battery", ConfirmPassword: "correct horse battery"}, access.SourceDesktop)
	if err != nil {
		t.Fatal(err)
	}
	key := newKey(t)
	if _, err := first.Users.CreateAPIUser(desktop(admin), seedInput(), key); err != nil {
		t.Fatal(err)
	}
	first.Close()

	svc := wireKey(t, st, master, clock) // as serve starts
	t.Cleanup(svc.Close)
	held := func(step string, wantLoaded bool, wantEntries int) {
		t.Helper()
		if loaded, n := users.IndexHeld(svc.Users); loaded != wantLoaded || n != wantEntries {
			t.Fatalf("%s: index loaded %v with %d entries, want %v with %d", step, loaded, n, wantLoaded, wantEntries)
		}
	}
	held("after start", false, 0)

	api, err := authKey(svc.Users, *key, web01, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	use := func() { // a call's use, committed with its batch as Reveal does
		t.Helper()
		if err := st.Update(func(tx *store.Txn) error { return svc.Users.Used(tx, api) }); err != nil {
			t.Fatal(err)
		}
	}
	use()
	held("after a call", false, 0)

	uses := func() int64 {
		t.Helper()
		p, err := svc.Users.List(desktop(admin), users.Query{Kind: string(users.KindAPI)})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Rows) != 1 {
			t.Fatalf("list: %d API users, want 1", len(p.Rows))
		}
		return p.Rows[0].UseCount
	}
	users.AfterIndexRead(svc.Users, use)
	if n := uses(); n != 2 {
		t.Fatalf("first list: %d uses, want 2 (one before the read, one committed while it read)", n)
	}
	users.AfterIndexRead(svc.Users, nil)
	held("after the list", true, 2)
	use()
	if n := uses(); n != 3 {
		t.Fatalf("a later use: the index shows %d uses, want 3", n)
	}
}
