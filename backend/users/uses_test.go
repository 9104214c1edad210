package users

import (
	"errors"
	"testing"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/store"
)

// A batch writes its key uses on the user as the batch leaves it: uses
// counted before a regeneration in the same batch were the old key's and
// are not counted on the new one; an edit that keeps the key keeps them.
// (The reliability suite caught it under load: use count 1073 for 1072
// successful requests with the final key.)
func TestUsesBeforeAKeyIsReplacedInTheSameBatchAreNotCountedOnTheNewKey(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	s, err := NewService(Config{Store: st, Hasher: Hasher{Time: 1, Memory: 1024, Threads: 1}, Clock: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		replace  bool
		wantUses int64
	}{{"a regenerated key", true, 1}, {"an edit that keeps the key", false, 4}} {
		t.Run(tc.name, func(t *testing.T) {
			name := "svc-" + map[bool]string{true: "regen", false: "edit"}[tc.replace]
			u := &User{ID: name + "-id", Username: name, Kind: KindAPI, RESTEnabled: true, APIKey: &KeyInfo{Hash: "old"}}
			if err := st.Update(func(tx *store.Txn) error { return s.put(tx, u) }); err != nil {
				t.Fatal(err)
			}
			a := access.Actor{UserID: u.ID, Username: name, Kind: KindAPI, Source: "127.0.0.1", Credential: "key:old"}
			err := st.Update(func(tx *store.Txn) error {
				for range 3 {
					if err := s.Used(tx, a); err != nil {
						return err
					}
				}
				var cur User
				if err := tx.Get(userKey(name), &cur); err != nil {
					return err
				}
				cur.Department = "edited"
				if tc.replace {
					cur.APIKey = &KeyInfo{Hash: "new"}
					a.Credential = "key:new"
				}
				if err := s.put(tx, &cur); err != nil {
					return err
				}
				return s.Used(tx, a) // one use after the change
			})
			if err != nil {
				t.Fatal(err)
			}
			var got User
			if err := st.View(func(tx *store.Txn) error { return tx.Get(userKey(name), &got) }); err != nil {
				t.Fatal(err)
			}
			if got.APIKey.UseCount != tc.wantUses || got.Department != "edited" {
				t.Fatalf("use count %d, department %q; want %d, edited", got.APIKey.UseCount, got.Department, tc.wantUses)
			}
		})
	}
}

// Uses recorded batch after batch reuse the record the last one wrote
// (written.go) only while the stored bytes are those it wrote: a write of
// the record by anyone else (an edit, another node's use) is read again,
// and a batch that failed after counting leaves no trace.
func TestUsesWrittenBatchAfterBatchKeepEveryOtherWrite(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	s, err := NewService(Config{Store: st, Hasher: Hasher{Time: 1, Memory: 1024, Threads: 1}, Clock: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	u := &User{ID: "svc-id", Username: "Svc", Kind: KindAPI, RESTEnabled: true, APIKey: &KeyInfo{Hash: "k"}}
	if err := st.Update(func(tx *store.Txn) error { return s.put(tx, u) }); err != nil {
		t.Fatal(err)
	}
	a := access.Actor{UserID: u.ID, Username: "svc", Kind: KindAPI, Source: "127.0.0.1", Credential: "key:k"}
	use := func() {
		t.Helper()
		if err := st.Update(func(tx *store.Txn) error { return s.Used(tx, a) }); err != nil {
			t.Fatal(err)
		}
	}
	stored := func() User {
		t.Helper()
		var got User
		if err := st.View(func(tx *store.Txn) error { return tx.Get(userKey("svc"), &got) }); err != nil {
			t.Fatal(err)
		}
		return got
	}
	use()
	use()
	if got := stored(); got.APIKey.UseCount != 2 {
		t.Fatalf("use count %d after two uses, want 2", got.APIKey.UseCount)
	}
	// Another writer: the stored bytes are no longer the last use's.
	if err := st.Update(func(tx *store.Txn) error {
		cur := stored()
		cur.Department, cur.APIKey.UseCount = "edited elsewhere", 100
		return tx.Put(userKey("svc"), &cur)
	}); err != nil {
		t.Fatal(err)
	}
	use()
	if got := stored(); got.APIKey.UseCount != 101 || got.Department != "edited elsewhere" {
		t.Fatalf("use count %d, department %q; want 101 and the other write's department", got.APIKey.UseCount, got.Department)
	}
	// A batch that counts a use and then fails to commit.
	refused := errors.New("refused after the uses were written")
	err = st.Update(func(tx *store.Txn) error {
		if err := s.Used(tx, a); err != nil {
			return err
		}
		tx.BeforeCommit(func(*store.Txn) error { return refused }) // after the uses' hook
		return nil
	})
	if !errors.Is(err, refused) {
		t.Fatalf("the failing batch returned %v", err)
	}
	use()
	if got := stored(); got.APIKey.UseCount != 102 {
		t.Fatalf("use count %d, want 102 (the failed batch's use not counted)", got.APIKey.UseCount)
	}
}

// What writtenUsers remembers is its own: neither the writer's user nor
// one handed out by read shares the part a use changes.
func TestWrittenUsersHandOutCopies(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	var w writtenUsers
	u := &User{ID: "x-id", Username: "x", Kind: KindAPI, APIKey: &KeyInfo{Hash: "h", UseCount: 1}}
	if err := st.Update(func(tx *store.Txn) error { return w.write(tx, "x", u) }); err != nil {
		t.Fatal(err)
	}
	u.APIKey.UseCount = 50 // the writer goes on changing its user
	for range 2 {
		var got User
		if err := st.View(func(tx *store.Txn) error { return w.read(tx, "x", &got) }); err != nil {
			t.Fatal(err)
		}
		if got.APIKey.UseCount != 1 {
			t.Fatalf("read gave use count %d, want the 1 stored", got.APIKey.UseCount)
		}
		got.APIKey.UseCount = 99 // and so does a reader
	}
}
