package users_test

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/internal/testdomain"
	"hostbound/backend/store"
	"hostbound/backend/users"
)

// fleetUser is an API user of the kill switch tests.
type fleetUser struct{ name, host, dept string }

// fleet creates the API users as the administrator (Password Users, REST
// on, never expiring) and an operator in department IT, who is never
// selected.
func fleet(t testing.TB, w *testdomain.World, us ...fleetUser) map[string]apikey.Key {
	t.Helper()
	keys := map[string]apikey.Key{}
	for _, u := range us {
		k, err := apikey.Generate()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Users.CreateAPIUser(w.AdminActor, users.APIUserInput{Username: u.name, Host: u.host, FullName: "API " + u.name,
			Role: access.PasswordUser, Scope: access.ScopeOwnedShared, RESTEnabled: true, NeverExpires: true, Department: u.dept}, &k); err != nil {
			t.Fatal(err)
		}
		keys[u.name] = k
	}
	return keys
}

func names(p users.Preview) []string {
	out := make([]string, len(p.Rows))
	for i, r := range p.Rows {
		out[i] = r.Row.Username
	}
	return out
}

func TestKillSwitchSelectsByHostCIDRDepartmentAndSearch(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	fleet(t, w,
		fleetUser{"app@web01", "web01.example.com", "IT"},
		fleetUser{"app@ten5", "10.0.0.5", "it"},
		fleetUser{"app@subnet", "10.0.1.0/24", "Finance"},
		fleetUser{"app@wide", "10.1.0.0/16", ""},
		fleetUser{"app@lan", "192.168.1.1", "IT ops"},
		fleetUser{"app@v6", "2001:db8::7", "IT"},
	)
	if _, err := w.Users.CreateOperator(w.AdminActor, users.OperatorInput{Username: "ivan", FullName: "Ivan IT",
		Password: "correct horse battery", ConfirmPassword: "correct horse battery", Role: access.PasswordUser,
		Scope: access.ScopeOwnedShared, Department: "IT"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		sel  users.Selection
		want []string
	}{
		{"a hostname, exactly", users.Selection{By: users.SelectHost, Value: "web01.example.com"}, []string{"app@web01"}},
		{"a hostname in another case with a trailing dot", users.Selection{By: users.SelectHost, Value: "WEB01.Example.com."}, []string{"app@web01"}},
		{"an IP, exactly", users.Selection{By: users.SelectHost, Value: "10.0.0.5"}, []string{"app@ten5"}},
		{"a host that is a CIDR, exactly", users.Selection{By: users.SelectHost, Value: "10.0.1.0/24"}, []string{"app@subnet"}},
		{"a CIDR holding an address and a smaller CIDR", users.Selection{By: users.SelectCIDR, Value: "10.0.0.0/16"}, []string{"app@subnet", "app@ten5"}},
		{"a CIDR overlapping every 10/8 host", users.Selection{By: users.SelectCIDR, Value: "10.0.0.0/8"}, []string{"app@subnet", "app@ten5", "app@wide"}},
		{"a CIDR inside a host's CIDR", users.Selection{By: users.SelectCIDR, Value: "10.0.1.128/25"}, []string{"app@subnet"}},
		{"an IPv6 CIDR", users.Selection{By: users.SelectCIDR, Value: "2001:db8::/32"}, []string{"app@v6"}},
		{"a department, any case, API users only", users.Selection{By: users.SelectDepartment, Value: " it "}, []string{"app@ten5", "app@v6", "app@web01"}},
		{"the list's search", users.Selection{By: users.SelectSearch, Query: users.Query{Search: "10.0."}}, []string{"app@subnet", "app@ten5"}},
		{"the list's search with a filter", users.Selection{By: users.SelectSearch, Query: users.Query{Search: "it", Role: access.PasswordUser}},
			[]string{"app@lan", "app@ten5", "app@v6", "app@web01"}},
		{"nobody", users.Selection{By: users.SelectHost, Value: "db01.example.com"}, []string{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := w.Users.PreviewRevocation(w.AdminActor, c.sel, 0, 100)
			if err != nil {
				t.Fatal(err)
			}
			if got := names(p); !slices.Equal(got, c.want) || p.Total != len(c.want) || p.Revoke != len(c.want) {
				t.Fatalf("selected %v (total %d, revoke %d), want %v", got, p.Total, p.Revoke, c.want)
			}
		})
	}

	t.Run("the preview is windowed", func(t *testing.T) {
		p, err := w.Users.PreviewRevocation(w.AdminActor, users.Selection{By: users.SelectCIDR, Value: "10.0.0.0/8"}, 1, 1)
		if err != nil {
			t.Fatal(err)
		}
		if got := names(p); p.Total != 3 || !slices.Equal(got, []string{"app@ten5"}) {
			t.Fatalf("window %v of %d", got, p.Total)
		}
	})

	for _, c := range []struct {
		name        string
		sel         users.Selection
		field, want string
	}{
		{"no host", users.Selection{By: users.SelectHost}, "value", "Host Name: required"},
		{"a bad host", users.Selection{By: users.SelectHost, Value: "not a host!"}, "value", "Host Name: not a valid hostname, IP address or CIDR"},
		{"an address as a CIDR", users.Selection{By: users.SelectCIDR, Value: "10.0.0.5"}, "value", "CIDR: not a CIDR block such as 10.0.0.0/24"},
		{"no department", users.Selection{By: users.SelectDepartment, Value: "  "}, "value", "Department: required"},
		{"an empty search, which would select every API user", users.Selection{By: users.SelectSearch}, "search", "Search: enter a search or choose a filter"},
		{"no way to select", users.Selection{}, "by", "Select by: choose Host Name, CIDR, Department or Search"},
	} {
		t.Run("refuses "+c.name, func(t *testing.T) {
			_, err := w.Users.PreviewRevocation(w.AdminActor, c.sel, 0, 100)
			if e := apperr.As(err); e == nil || e.Field != c.field || e.Message != c.want {
				t.Fatalf("got %v, want %s: %s", err, c.field, c.want)
			}
		})
	}
}

// revokedMsg is the refusal of a user revoked with reason.
func revokedMsg(reason string) string { return users.MsgRevoked + ": " + reason }

func message(err error) string {
	if e := apperr.As(err); e != nil {
		return e.Message
	}
	return fmt.Sprint(err)
}

func TestRevokedUsersAreRefusedByEveryFaceUntilRestored(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	now := w.Clock.Now()
	certText, certFP := selfSignedClient(t, now.Add(-time.Hour), now.AddDate(1, 0, 0))
	const line = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl svc"
	k := key(t)
	u, err := w.Users.CreateAPIUser(w.AdminActor, users.APIUserInput{Username: "svc@web01", Host: "127.0.0.1", FullName: "Svc",
		Role: access.PasswordUser, Scope: access.ScopeOwnedShared, SSHPublicKey: line, Certificate: certText,
		RESTEnabled: true, NeverExpires: true, Department: "Ops"}, &k)
	if err != nil {
		t.Fatal(err)
	}
	other := fleet(t, w, fleetUser{"other@web02", "127.0.0.2", "Sales"})["other@web02"]
	ctx := context.Background()
	faces := map[string]func() (access.Actor, error){
		"REST API key": func() (access.Actor, error) { return authenticate(w, k, local) },
		"SSH key": func() (access.Actor, error) {
			return w.Users.AuthenticateSSH(ctx, users.SSHRequest{Username: "svc@web01", Fingerprint: u.SSHKey.Fingerprint,
				Source: local, Operation: "SSH LOGIN"}, w.Clock.Now())
		},
		"client certificate": func() (access.Actor, error) {
			return w.Users.AuthenticateCertificate(ctx, users.CertRequest{Fingerprint: certFP, Source: local,
				Operation: "GET RESOURCES"}, w.Clock.Now())
		},
	}
	before, err := authenticate(w, k, local) // a request authenticated before the revoke
	if err != nil {
		t.Fatal(err)
	}

	res, err := w.Users.RevokeAccess(w.AdminActor, users.Selection{By: users.SelectDepartment, Value: "ops"}, "  host   compromised\n(INC-42) ")
	if err != nil {
		t.Fatal(err)
	}
	if res.Revoked != 1 || res.Batches != 1 {
		t.Fatalf("result %+v", res)
	}
	want := revokedMsg("host compromised (INC-42)")
	for face, auth := range faces {
		if _, err := auth(); code(err) != apperr.Unauthenticated || message(err) != want {
			t.Errorf("%s of a revoked user: %v, want %q", face, err, want)
		}
	}
	if _, err := w.Vault.ListResources(before); message(err) != want {
		t.Errorf("an actor resolved before the revoke, in its next use case: %v", err)
	}
	if _, err := w.Users.AuthenticateSSH(ctx, users.SSHRequest{Username: "svc@web01", Fingerprint: "SHA256:other",
		Source: local, Operation: "SSH LOGIN"}, w.Clock.Now()); message(err) != users.MsgUnknownSSHKey {
		t.Errorf("another SSH key learns the reason: %v", err)
	}
	if _, err := authenticate(w, other, netip.MustParseAddr("127.0.0.2")); err != nil {
		t.Errorf("a user outside the selection: %v", err)
	}
	// Editing the user or regenerating its key does not lift the revocation.
	k2 := key(t)
	if _, err := w.Users.RegenerateAPIKey(w.AdminActor, "svc@web01", k2, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := authenticate(w, k2, local); message(err) != want {
		t.Errorf("a regenerated key of a revoked user: %v", err)
	}
	if _, err := w.Users.RevokeAccess(w.AdminActor, users.Selection{By: users.SelectHost, Value: "127.0.0.1"}, "again"); code(err) != apperr.Invalid {
		t.Errorf("revoking only revoked users: %v", err)
	}

	got, err := w.Users.RestoreAccess(w.AdminActor, "svc@web01")
	if err != nil {
		t.Fatal(err)
	}
	if got.Revoked != nil || got.SSHKey == nil || got.Certificate == nil || got.APIKey == nil {
		t.Fatalf("restored %+v", got)
	}
	for face, auth := range faces {
		if face == "REST API key" {
			auth = func() (access.Actor, error) { return authenticate(w, k2, local) }
		}
		if _, err := auth(); err != nil {
			t.Errorf("%s after restore: %v", face, err)
		}
	}
	if _, err := w.Users.RestoreAccess(w.AdminActor, "svc@web01"); code(err) != apperr.Conflict {
		t.Errorf("restoring a user that is not revoked: %v", err)
	}

	w.Store.View(func(tx *store.Txn) error {
		recs, err := w.Audit.List(tx)
		if err != nil {
			t.Fatal(err)
		}
		var ops []string
		for _, r := range recs {
			if r.Actor == "admin" && (r.Operation == "revoke access" || r.Operation == "restore access") {
				ops = append(ops, r.Operation+" | "+r.Target+" | "+r.Result+" | "+r.Reason)
			}
		}
		wantOps := []string{
			"revoke access | svc@web01 | success | host compromised (INC-42)",
			"revoke access | department ops | success | 1 API users revoked (0 not yours to revoke, 0 already revoked): host compromised (INC-42)",
			"revoke access | host 127.0.0.1 | failure | No API user of host 127.0.0.1 can be revoked (1 selected: 1 already revoked, 0 not yours to revoke)",
		}
		if len(ops) < 4 || !slices.Equal(ops[:3], wantOps) || !strings.HasPrefix(ops[3], "restore access | svc@web01 | success | revoked by admin on ") {
			t.Errorf("audit records:\n%s", strings.Join(ops, "\n"))
		}
		refused := 0
		for _, r := range recs {
			if r.Result == audit.Failure && r.Reason == "revoked: host compromised (INC-42)" {
				refused++
			}
		}
		if refused == 0 {
			t.Error("no audit record of a refused revoked credential")
		}
		if _, err := w.Audit.Verify(tx); err != nil {
			t.Fatal(err)
		}
		return nil
	})
}

func TestRevokeNeedsAReasonAndThePermissionAndChangesNothingOtherwise(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	keys := fleet(t, w, fleetUser{"a@one", "127.0.0.1", "Ops"})
	sel := users.Selection{By: users.SelectDepartment, Value: "Ops"}
	stillWorks := func(t *testing.T) {
		t.Helper()
		if _, err := authenticate(w, keys["a@one"], local); err != nil {
			t.Fatalf("the user was changed: %v", err)
		}
	}

	t.Run("a blank reason is a field error", func(t *testing.T) {
		_, err := w.Users.RevokeAccess(w.AdminActor, sel, " \n\t")
		if e := apperr.As(err); e == nil || e.Field != "reason" || e.Message != "Reason: required" {
			t.Fatalf("got %v", err)
		}
		stillWorks(t)
	})
	t.Run("every field error at once", func(t *testing.T) {
		_, err := w.Users.RevokeAccess(w.AdminActor, users.Selection{By: users.SelectCIDR, Value: "nope"}, "")
		if e := apperr.As(err); e == nil || len(e.Fields) != 2 {
			t.Fatalf("got %v", err)
		}
		stillWorks(t)
	})
	t.Run("an overlong reason", func(t *testing.T) {
		_, err := w.Users.RevokeAccess(w.AdminActor, sel, strings.Repeat("x", users.MaxReasonLen+1))
		if e := apperr.As(err); e == nil || e.Field != "reason" {
			t.Fatalf("got %v", err)
		}
		stillWorks(t)
	})
	for _, role := range []string{access.PasswordAdmin, access.PasswordAuditor, access.PasswordUser} {
		t.Run("a "+role+" operator is refused", func(t *testing.T) {
			op := w.Operator(t, "op-"+role, role, access.ScopeOwnedShared)
			if _, err := w.Users.PreviewRevocation(op, sel, 0, 10); code(err) != apperr.Forbidden {
				t.Fatalf("preview: %v", err)
			}
			if _, err := w.Users.RevokeAccess(op, sel, "compromised"); code(err) != apperr.Forbidden {
				t.Fatalf("revoke: %v", err)
			}
			stillWorks(t)
		})
	}
	w.Store.View(func(tx *store.Txn) error {
		recs, _ := w.Audit.List(tx)
		for _, r := range recs {
			if r.Operation == "revoke access" && r.Result == audit.Success {
				t.Errorf("a refused revoke left %+v", r)
			}
		}
		return nil
	})
}

func TestRevokeSkipsUsersBeyondTheActorAndRestoreNeedsThem(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	big, small := key(t), key(t)
	for name, in := range map[string]users.APIUserInput{
		"big@web01":   {Role: access.Admin, Scope: access.ScopeAll},
		"small@web01": {Role: access.PasswordUser, Scope: access.ScopeOwnedShared},
	} {
		k := &small
		if name == "big@web01" {
			k = &big
		}
		in.Username, in.Host, in.FullName, in.RESTEnabled, in.NeverExpires, in.Department = name, "127.0.0.1", name, true, true, "Ops"
		if _, err := w.Users.CreateAPIUser(w.AdminActor, in, k); err != nil {
			t.Fatal(err)
		}
	}
	// An Administrator without All Passwords holds apiusers.manage but
	// cannot grant All Passwords: big@web01 is beyond them.
	olga := w.Operator(t, "olga", access.Admin, access.ScopeOwnedShared)
	sel := users.Selection{By: users.SelectHost, Value: "127.0.0.1"}
	p, err := w.Users.PreviewRevocation(olga, sel, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]string{}
	for _, r := range p.Rows {
		status[r.Row.Username] = r.Status
	}
	if p.Total != 2 || p.Revoke != 1 || p.NotYours != 1 || status["big@web01"] != users.StatusNotYours || status["small@web01"] != users.StatusRevoke {
		t.Fatalf("preview %+v %v", p, status)
	}
	res, err := w.Users.RevokeAccess(olga, sel, "rotation drill")
	if err != nil || res.Revoked != 1 || res.NotYours != 1 {
		t.Fatalf("revoke %+v %v", res, err)
	}
	if _, err := authenticate(w, big, local); err != nil {
		t.Errorf("the user beyond the actor was revoked: %v", err)
	}
	if _, err := authenticate(w, small, local); message(err) != revokedMsg("rotation drill") {
		t.Errorf("the user within reach: %v", err)
	}
	if _, err := w.Users.RevokeAccess(olga, users.Selection{By: users.SelectHost, Value: "127.0.0.1"}, "again"); code(err) != apperr.Invalid {
		t.Errorf("nothing left within reach: %v", err)
	}
	// The administrator revokes big; olga may not restore it, only small.
	if _, err := w.Users.RevokeAccess(w.AdminActor, sel, "drill"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Users.RestoreAccess(olga, "big@web01"); code(err) != apperr.Forbidden {
		t.Errorf("restoring a user beyond the actor: %v", err)
	}
	pa := w.Operator(t, "pam", access.PasswordAdmin, access.ScopeOwnedShared)
	if _, err := w.Users.RestoreAccess(pa, "small@web01"); code(err) != apperr.Forbidden {
		t.Errorf("a Password Administrator restores: %v", err)
	}
	if _, err := w.Users.RestoreAccess(olga, "small@web01"); err != nil {
		t.Fatal(err)
	}
	if _, err := authenticate(w, small, local); err != nil {
		t.Errorf("restored with the same key: %v", err)
	}
}

// bulkFleet creates n API users on 10.x addresses in department Fleet.
func bulkFleet(tb testing.TB, w *testdomain.World, n int) []apikey.Key {
	tb.Helper()
	ins := make([]users.APIUserInput, n)
	keys := make([]apikey.Key, n)
	for i := range ins {
		ins[i] = users.APIUserInput{Username: fmt.Sprintf("agent%05d@fleet", i), Host: fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255),
			FullName: fmt.Sprintf("Fleet agent %d", i), Role: access.PasswordUser, Scope: access.ScopeOwnedShared,
			RESTEnabled: true, NeverExpires: true, Department: "Fleet", Location: "Rack 12"}
		k, err := apikey.Generate()
		if err != nil {
			tb.Fatal(err)
		}
		keys[i] = k
	}
	if _, err := w.Users.CreateAPIUsers(w.AdminActor, ins, keys); err != nil {
		tb.Fatal(err)
	}
	return keys
}

func TestARevocationLargerThanABatchRevokesEveryone(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	const n = 1000
	keys := bulkFleet(t, w, n)
	res, err := w.Users.RevokeAccess(w.AdminActor, users.Selection{By: users.SelectCIDR, Value: "10.0.0.0/8"}, "fleet image leaked")
	if err != nil {
		t.Fatal(err)
	}
	if res.Revoked != n || res.Batches < 2 {
		t.Fatalf("result %+v", res)
	}
	for _, i := range []int{0, n / 2, n - 1} {
		src := netip.MustParseAddr(fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255))
		if _, err := authenticate(w, keys[i], src); message(err) != revokedMsg("fleet image leaked") {
			t.Errorf("agent %d: %v", i, err)
		}
	}
	w.Store.View(func(tx *store.Txn) error {
		recs, _ := w.Audit.List(tx)
		per, action := 0, 0
		for _, r := range recs {
			if r.Operation == "revoke access" && r.Result == audit.Success {
				if strings.HasPrefix(r.Target, "CIDR ") {
					action++
				} else {
					per++
				}
			}
		}
		if per != n || action != 1 {
			t.Errorf("%d per-user records and %d action records", per, action)
		}
		return nil
	})
}

// BenchmarkRevoke10000 revokes 10,000 API users selected by department
// (make bench); the set-up of each round is not timed.
func BenchmarkRevoke10000(b *testing.B) {
	for range b.N {
		b.StopTimer()
		w := testdomain.New(b, testdomain.Options{})
		bulkFleet(b, w, 10_000)
		b.StartTimer()
		res, err := w.Users.RevokeAccess(w.AdminActor, users.Selection{By: users.SelectDepartment, Value: "Fleet"}, "bench")
		if err != nil || res.Revoked != 10_000 {
			b.Fatalf("%+v %v", res, err)
		}
		b.ReportMetric(float64(res.Batches), "batches")
	}
}
