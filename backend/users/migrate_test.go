package users

import (
	"testing"
	"time"

	"hostbound/backend/internal/testenv"
	"hostbound/backend/store"
)

// Users stored before ids existed get one each at the first open, kept;
// later opens do not read every user again.
func TestUsersStoredBeforeIDsGetTheirOwnOnce(t *testing.T) {
	st := testenv.Store(t)
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	put := func(name string) {
		t.Helper()
		u := User{Username: name, Kind: KindAPI, FullName: "Legacy " + name, CreatedAt: now}
		if err := st.Update(func(tx *store.Txn) error { return tx.Put(userKey(name), u) }); err != nil {
			t.Fatal(err)
		}
	}
	id := func(name string) string {
		t.Helper()
		var u User
		if err := st.View(func(tx *store.Txn) error { return tx.Get(userKey(name), &u) }); err != nil {
			t.Fatal(err)
		}
		return u.ID
	}
	put("a@web01")
	put("b@web01")
	openService(t, st, now)
	a, b := id("a@web01"), id("b@web01")
	if a == "" || b == "" || a == b {
		t.Fatalf("ids after the first open: %q and %q, want two different ones", a, b)
	}
	put("c@web01") // no id, written behind the service's back after the migration
	openService(t, st, now)
	if id("a@web01") != a || id("b@web01") != b {
		t.Fatal("the second open changed the ids")
	}
	if got := id("c@web01"); got != "" {
		t.Fatalf("the second open read every user again (gave c the id %q)", got)
	}
}
