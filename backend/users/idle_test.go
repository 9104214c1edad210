package users

import (
	"testing"
	"time"
)

func TestIdleIsTheReportsIdlePeriod(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { x := now.Add(d); return &x }
	live := func(lastUsed *time.Time) *User {
		return &User{Kind: KindAPI, RESTEnabled: true, APIKey: &KeyInfo{Hint: "k", ExpiresAt: at(300 * 24 * time.Hour), LastUsedAt: lastUsed}}
	}
	for _, tc := range []struct {
		name string
		user *User
		want bool
	}{
		{"a key used yesterday is not idle", live(at(-24 * time.Hour)), false},
		{"a key unused for the idle period is idle", live(at(-IdleAfter)), true},
		{"a key never used is idle", live(nil), true},
		{"a disabled user's key is not idle", &User{Kind: KindAPI, RESTEnabled: true, APIKey: &KeyInfo{Hint: "k"}, Disabled: true}, false},
		{"an operator is not idle", &User{Kind: KindOperator}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := newEntry(tc.user, newIndex(nil).intern).idle(now); got != tc.want {
				t.Fatalf("idle = %v", got)
			}
		})
	}
}
