package users

import (
	"testing"
	"time"

	"hostbound/backend/access"
)

func TestReportKeyStatusBucketsAtTheirBoundaries(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { x := now.Add(d); return &x }
	day := 24 * time.Hour
	key := func(exp, used *time.Time) *KeyInfo { return &KeyInfo{Hint: "k", ExpiresAt: exp, LastUsedAt: used} }
	us := []User{
		{Username: "a", Kind: KindAPI, Host: "h1", RESTEnabled: true, APIKey: key(nil, at(-day))},
		{Username: "b", Kind: KindAPI, Host: "h1", RESTEnabled: true, APIKey: key(at(30*day+time.Second), nil)},
		{Username: "c", Kind: KindAPI, Host: "h1", RESTEnabled: true, APIKey: key(at(30*day), nil)},
		{Username: "d", Kind: KindAPI, Host: "h2", RESTEnabled: true, APIKey: key(at(7*day), nil)},
		{Username: "e", Kind: KindAPI, Host: "h2", RESTEnabled: true, APIKey: key(at(day), nil)},
		{Username: "f", Kind: KindAPI, Host: "h3", RESTEnabled: true, APIKey: key(at(0), nil)},
		{Username: "g", Kind: KindAPI, Host: "h3", RESTEnabled: false},
		{Username: "h", Kind: KindAPI, Host: "h3", Disabled: true, RESTEnabled: true, APIKey: key(nil, nil)},
		{Username: "i", Kind: KindAPI, Host: "h3", RESTEnabled: true, APIKey: key(nil, at(-90*day))},
		{Username: "root", Kind: KindOperator, Role: access.PrivilegedAdmin, Scope: access.ScopeAll},
		// Super Administrators are decided by the roles (custom ones from
		// the store): All Passwords on a role that may have it.
		{Username: "ops", Kind: KindOperator, Role: "custom_ops", Scope: access.ScopeAll},
		{Username: "pu", Kind: KindOperator, Role: access.PasswordUser, Scope: access.ScopeAll},
	}
	roles := map[string]access.Role{"custom_ops": {ID: "custom_ops", Name: "Ops", Permissions: []access.Permission{access.ResourcesManage}}}
	for _, r := range access.BuiltInRoles {
		roles[r.ID] = r
	}
	x := indexOf(us)
	rep := x.report(now, roles)
	want := map[string]int{"active": 3, "expiring30": 1, "expiring7": 1, "expiring1": 1, "expired": 1, "none": 1, "disabled": 1}
	for k, v := range want {
		if rep.KeyStatus[k] != v {
			t.Errorf("%s: %d, want %d (all: %v)", k, rep.KeyStatus[k], v, rep.KeyStatus)
		}
	}
	if len(rep.ExpiringSoon) != 3 || rep.ExpiringSoon[0].Username != "e" {
		t.Errorf("expiring soon: %v", names(rep.ExpiringSoon))
	}
	// Idle: never used (b, c, d, e) or 90 days ago (i); a used yesterday.
	if got := names(rep.IdleKeys); got != "b,c,d,e,i" {
		t.Errorf("idle: %s", got)
	}
	if names(rep.SuperAdmins) != "ops,root" || rep.PerHost[0] != (HostCount{"h3", 4}) || len(rep.PerHost) != 3 {
		t.Errorf("super %s, per host %v", names(rep.SuperAdmins), rep.PerHost)
	}
	if len(rep.Roles) != len(roles) {
		t.Errorf("the report names %d roles, want %d", len(rep.Roles), len(roles))
	}
}

func names(rs []*Row) string {
	s := ""
	for i, r := range rs {
		if i > 0 {
			s += ","
		}
		s += r.Username
	}
	return s
}
