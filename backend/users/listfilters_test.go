package users_test

import (
	"testing"
	"time"

	"hostbound/backend/users"
)

func TestListFiltersExpiringWithinDaysAndIdle(t *testing.T) {
	t.Parallel()
	w := world(t)
	root := w.AdminActor
	now := w.Clock.Now()
	add := func(name string, expiresIn time.Duration) {
		t.Helper()
		in := seedInput()
		in.Username, in.Host = name+"@web01.example.com", "web01.example.com"
		exp := now.Add(expiresIn)
		in.ExpiresAt = &exp
		if _, err := w.Users.CreateAPIUser(root, in, newKey(t)); err != nil {
			t.Fatal(err)
		}
	}
	add("soon", 3*24*time.Hour)
	add("week", 7*24*time.Hour-time.Minute)
	add("month", 20*24*time.Hour)
	add("later", 200*24*time.Hour)
	names := func(q users.Query) []string {
		t.Helper()
		p, err := w.Users.List(root, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range p.Rows {
			out = append(out, r.Username)
		}
		return out
	}
	t.Run("expiring within 7 days keeps the keys that expire in that window", func(t *testing.T) {
		got := names(users.Query{ExpiringWithinDays: 7})
		if len(got) != 2 || got[0] != "soon@web01.example.com" || got[1] != "week@web01.example.com" {
			t.Fatalf("got %v", got)
		}
		if got := names(users.Query{ExpiringWithinDays: 30}); len(got) != 3 {
			t.Fatalf("30 days: %v", got)
		}
	})
	t.Run("idle keeps the never-used keys but not operators", func(t *testing.T) {
		if got := names(users.Query{Idle: true}); len(got) != 4 {
			t.Fatalf("idle: %v", got)
		}
	})
	t.Run("expired keys are neither idle nor expiring", func(t *testing.T) {
		w.Clock.Advance(4 * 24 * time.Hour)
		for _, n := range names(users.Query{Idle: true}) {
			if n == "soon@web01.example.com" {
				t.Fatal("an expired key counts as idle")
			}
		}
		if got := names(users.Query{ExpiringWithinDays: 7}); len(got) != 1 || got[0] != "week@web01.example.com" {
			t.Fatalf("expiring within 7 days after 4 days: %v", got)
		}
	})
}
