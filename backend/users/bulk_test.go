package users_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/internal/testdomain"
	"hostbound/backend/onboard"
	"hostbound/backend/store"
	"hostbound/backend/users"
)

// bulkDefaults: Password Users, owned and shared, REST API on, never
// expiring, "backup@<host>".
func bulkDefaults() users.BulkDefaults {
	return users.BulkDefaults{Prefix: "backup", Role: access.PasswordUser, Scope: access.ScopeOwnedShared,
		RESTEnabled: true, NeverExpires: true}
}

func hostRows(n int) []onboard.Row {
	rows := make([]onboard.Row, n)
	for i := range rows {
		rows[i] = onboard.Row{Line: i + 1, Host: fmt.Sprintf("web%05d.example.com", i)}
	}
	return rows
}

func countAPIUsers(t *testing.T, w *testdomain.World) int {
	t.Helper()
	p, err := w.Users.List(w.AdminActor, users.Query{Kind: "api"})
	if err != nil {
		t.Fatal(err)
	}
	return p.Total
}

// audited counts the audit records of op with result.
func audited(t *testing.T, w *testdomain.World, op, result string) int {
	t.Helper()
	n := 0
	w.Store.View(func(tx *store.Txn) error {
		recs, err := w.Audit.List(tx)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			if r.Operation == op && r.Result == result {
				n++
			}
		}
		return nil
	})
	return n
}

func TestBulkInputsTakeTheDefaultsUnlessARowSaysOtherwise(t *testing.T) {
	t.Parallel()
	exp := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	berlin, _ := time.LoadLocation("Europe/Berlin")
	d := users.BulkDefaults{Prefix: "backup", Role: access.PasswordUser, Scope: access.ScopeOwnedShared, RESTEnabled: true,
		ExpiresAt: &exp, Zone: berlin}
	rows := []onboard.Row{
		{Line: 1, Host: "web01"},
		{Line: 2, Host: "web02", Username: "job@web02", FullName: "Job", AccessLevel: "Administrator", AccessScope: "All Passwords",
			ExpiryDate: "2028-02-29", Department: "Ops", Location: "Berlin", SSHPublicKey: "ssh-ed25519 AAAA"},
		{Line: 3, Host: "web03", ExpiryDate: "never", AccessScope: "passwords owned and shared"},
		{Line: 4, Host: "web04", ExpiryDate: "tomorrow"},
	}
	ins, errs := users.BulkInputs(rows, d)
	if in := ins[0]; in.Username != "backup@web01" || in.FullName != "backup@web01" || in.Role != access.PasswordUser ||
		in.Scope != access.ScopeOwnedShared || !in.RESTEnabled || in.NeverExpires || !in.ExpiresAt.Equal(exp) {
		t.Fatalf("row 1: %+v", in)
	}
	in := ins[1]
	wantExp := time.Date(2028, 2, 29, 23, 59, 59, 0, berlin)
	if in.Username != "job@web02" || in.FullName != "Job" || in.Role != "Administrator" || in.Scope != access.ScopeAll ||
		in.NeverExpires || !in.ExpiresAt.Equal(wantExp) || in.Department != "Ops" || in.Location != "Berlin" || in.SSHPublicKey == "" {
		t.Fatalf("row 2: %+v", in)
	}
	if in := ins[2]; !in.NeverExpires || in.ExpiresAt != nil || in.Scope != access.ScopeOwnedShared {
		t.Fatalf("row 3: %+v", in)
	}
	if len(errs[0]) != 0 || len(errs[1]) != 0 || len(errs[2]) != 0 {
		t.Fatalf("errors on good rows: %v", errs)
	}
	if len(errs[3]) != 1 || errs[3][0].Field != "expiresAt" || errs[3][0].Message != "Expiry Date: a date (YYYY-MM-DD) or Never Expires" {
		t.Fatalf("row 4: %v", errs[3])
	}
	if got := users.DefaultUsername("", "10.0.0.7"); got != "10.0.0.7" {
		t.Fatalf("no prefix: %q", got)
	}
}

// The messages of a bulk preview are those the Add API User form gives for
// the same input.
func TestCheckBulkGivesTheMessagesOfTheAddAPIUserForm(t *testing.T) {
	t.Parallel()
	past := "2026-11-25"
	cases := []struct {
		name string
		row  onboard.Row
		d    func(*users.BulkDefaults)
	}{
		{"a host that is no hostname", onboard.Row{Host: "web 01"}, nil},
		{"two hosts", onboard.Row{Host: "web01,web02"}, nil},
		{"an empty host", onboard.Row{Username: "backup@nowhere", FullName: "x"}, nil},
		{"a bad username", onboard.Row{Host: "web01", Username: "backup web01"}, nil},
		{"a bad username made of an IPv6 host", onboard.Row{Host: "2001:db8::7"}, nil},
		{"a past expiry date", onboard.Row{Host: "web01", ExpiryDate: past}, nil},
		{"no expiry and no Never Expires", onboard.Row{Host: "web01"}, func(d *users.BulkDefaults) { d.NeverExpires = false }},
		{"a broken SSH key", onboard.Row{Host: "web01", SSHPublicKey: "ssh-ed25519 AAAA"}, nil},
		{"a long department", onboard.Row{Host: "web01", Department: strings.Repeat("d", 129)}, nil},
		{"a long location", onboard.Row{Host: "web01", Location: strings.Repeat("l", 129)}, nil},
		{"All Passwords for a Password User", onboard.Row{Host: "web01", AccessScope: "All Passwords"}, nil},
		{"an unknown role", onboard.Row{Host: "web01", AccessLevel: "wizard"}, nil},
		{"an unknown scope", onboard.Row{Host: "web01", AccessScope: "some"}, nil},
		{"a username that exists", onboard.Row{Host: "web01.example.com", Username: "ADMIN"}, nil},
		{"a long full name", onboard.Row{Host: "web01", FullName: strings.Repeat("f", 200)}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			w := world(t)
			d := bulkDefaults()
			if c.d != nil {
				c.d(&d)
			}
			c.row.Line = 1
			checks, err := w.Users.CheckBulk(w.AdminActor, []onboard.Row{c.row}, d)
			if err != nil {
				t.Fatal(err)
			}
			// The same input through the single form.
			_, err = w.Users.CreateAPIUser(w.AdminActor, checks[0].Input, newKey(t))
			ae := apperr.As(err)
			if ae == nil || ae.Code != apperr.Invalid {
				t.Fatalf("the form took it: %v", err)
			}
			want := ae.Fields
			if want == nil {
				want = []apperr.FieldError{{Field: ae.Field, Message: ae.Message}}
			}
			if fmt.Sprint(checks[0].Errors) != fmt.Sprint(want) {
				t.Fatalf("bulk: %v\nform: %v", checks[0].Errors, want)
			}
		})
	}
}

func TestCheckBulkFindsDuplicatesInTheListAndInTheStore(t *testing.T) {
	t.Parallel()
	w := world(t)
	if _, err := w.Users.CreateAPIUser(w.AdminActor, seedInput(), newKey(t)); err != nil {
		t.Fatal(err)
	}
	rows := []onboard.Row{
		{Line: 2, Host: "web01.example.com"},                                       // backup@web01.example.com: in the store
		{Line: 3, Host: "web02.example.com"},                                       // good
		{Line: 5, Host: "web03.example.com", Username: "job@web03"},                // good, first
		{Line: 6, Host: "web04.example.com", Username: "JOB@web03"},                // repeats line 5
		{Line: 7, Host: "web02.example.com", Username: "backup@web02.example.com"}, // repeats line 3's default
	}
	checks, err := w.Users.CheckBulk(w.AdminActor, rows, bulkDefaults())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"[{username Username already exists}]",
		"[]",
		"[]",
		"[{username Username: already used on line 5 of this list}]",
		"[{username Username: already used on line 3 of this list}]",
	}
	for i, c := range checks {
		if got := fmt.Sprint(c.Errors); got != want[i] {
			t.Errorf("row %d: %s, want %s", i+1, got, want[i])
		}
	}
}

func TestCheckBulkIsRefusedToWhoMayNotManageAPIUsers(t *testing.T) {
	t.Parallel()
	w := world(t)
	clerk := w.Operator(t, "clerk", access.PasswordUser, access.ScopeOwnedShared)
	_, err := w.Users.CheckBulk(clerk, hostRows(1), bulkDefaults())
	if apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("got %v", err)
	}
	if _, err := w.Users.CreateBulk(context.Background(), clerk, hostRows(1), bulkDefaults(), users.BulkOptions{}); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("create: got %v", err)
	}
}

func TestCreateBulkIsAllOrNothingUnlessBadRowsAreSkipped(t *testing.T) {
	t.Parallel()
	rows := hostRows(5)
	rows[1].Host, rows[3].ExpiryDate = "bad host!", "yesterday"
	t.Run("a bad row refuses the whole run and creates nothing", func(t *testing.T) {
		t.Parallel()
		w := world(t)
		delivered := 0
		res, err := w.Users.CreateBulk(context.Background(), w.AdminActor, rows, bulkDefaults(), users.BulkOptions{
			Deliver: func(_ users.BulkProgress, keys []onboard.Issued) error { delivered += len(keys); return nil }})
		if ae := apperr.As(err); ae == nil || ae.Message != "2 of 5 rows have errors: fix them, or skip the bad rows" {
			t.Fatalf("got %v", err)
		}
		if res.Created != 0 || countAPIUsers(t, w) != 0 || delivered != 0 {
			t.Fatalf("created %d, stored %d, delivered %d", res.Created, countAPIUsers(t, w), delivered)
		}
	})
	t.Run("skipping the bad rows creates the good ones", func(t *testing.T) {
		t.Parallel()
		w := world(t)
		var got []onboard.Issued
		res, err := w.Users.CreateBulk(context.Background(), w.AdminActor, rows, bulkDefaults(), users.BulkOptions{SkipBad: true,
			Deliver: func(_ users.BulkProgress, keys []onboard.Issued) error { got = append(got, keys...); return nil }})
		if err != nil {
			t.Fatal(err)
		}
		if res != (users.BulkResult{Total: 3, Created: 3, Skipped: 2}) || countAPIUsers(t, w) != 3 || len(got) != 3 {
			t.Fatalf("result %+v, stored %d, delivered %d", res, countAPIUsers(t, w), len(got))
		}
		if got[1].Username != "backup@web00002.example.com" || got[1].Host != "web00002.example.com" {
			t.Fatalf("delivered %+v", got[1])
		}
	})
	t.Run("a list of bad rows only creates nothing even when skipping", func(t *testing.T) {
		t.Parallel()
		w := world(t)
		_, err := w.Users.CreateBulk(context.Background(), w.AdminActor, rows[1:2], bulkDefaults(), users.BulkOptions{SkipBad: true})
		if ae := apperr.As(err); ae == nil || ae.Message != "There is no row to create" {
			t.Fatalf("got %v", err)
		}
	})
}

func TestCreateBulkCommitsInBatchesAuditsEachUserAndDeliversWorkingKeys(t *testing.T) {
	t.Parallel()
	w := world(t)
	n := 2*users.BulkBatch + 50
	var dones []int
	var keys []onboard.Issued
	res, err := w.Users.CreateBulk(context.Background(), w.AdminActor, hostRows(n), bulkDefaults(), users.BulkOptions{
		Deliver: func(p users.BulkProgress, batch []onboard.Issued) error {
			done := p.Done
			if p.Total != n {
				t.Errorf("total = %d", p.Total)
			}
			// The batch is committed when its keys are handed over.
			if got := countAPIUsers(t, w); got != done {
				t.Errorf("at delivery %d users are stored, done says %d", got, done)
			}
			dones, keys = append(dones, done), append(keys, batch...)
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != n || fmt.Sprint(dones) != fmt.Sprint([]int{200, 400, 450}) || len(keys) != n {
		t.Fatalf("result %+v, batches %v, keys %d", res, dones, len(keys))
	}
	if got := audited(t, w, "create api user", audit.Success); got != n {
		t.Fatalf("%d success records, want one per user (%d)", got, n)
	}
	// Every key is its user's.
	k, err := apikey.Parse(keys[n-1].Key)
	if err != nil {
		t.Fatal(err)
	}
	u, err := w.Users.Get(w.AdminActor, keys[n-1].Username)
	if err != nil || u.APIKey == nil || u.APIKey.Hint != k.Hint() || u.Host != keys[n-1].Host {
		t.Fatalf("user %+v, %v", u, err)
	}
}

func TestCancellingABulkRunStopsAfterTheCurrentBatch(t *testing.T) {
	t.Parallel()
	w := world(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	delivered := 0
	res, err := w.Users.CreateBulk(ctx, w.AdminActor, hostRows(3*users.BulkBatch), bulkDefaults(), users.BulkOptions{
		Deliver: func(_ users.BulkProgress, keys []onboard.Issued) error {
			delivered += len(keys)
			cancel() // the operator presses Cancel while the first batch commits
			return nil
		}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	if res.Created != users.BulkBatch || countAPIUsers(t, w) != users.BulkBatch || delivered != users.BulkBatch {
		t.Fatalf("created %d, stored %d, delivered %d", res.Created, countAPIUsers(t, w), delivered)
	}
}

func TestADeliveryThatFailsStopsTheRun(t *testing.T) {
	t.Parallel()
	w := world(t)
	boom := errors.New("disk full")
	res, err := w.Users.CreateBulk(context.Background(), w.AdminActor, hostRows(users.BulkBatch+1), bulkDefaults(), users.BulkOptions{
		Deliver: func(users.BulkProgress, []onboard.Issued) error { return boom }})
	if !errors.Is(err, boom) || res.Created != users.BulkBatch || countAPIUsers(t, w) != users.BulkBatch {
		t.Fatalf("got %v, %+v", err, res)
	}
}

func TestARefusedUserRollsBackItsBatchAndIsAuditedAsRefused(t *testing.T) {
	t.Parallel()
	w := world(t)
	ins, keys := make([]users.APIUserInput, 3), make([]apikey.Key, 3)
	for i := range ins {
		ins[i] = seedInput()
		ins[i].Username = fmt.Sprintf("job%d@web01", i)
		keys[i] = *newKey(t)
	}
	ins[2].Username = ins[0].Username // refused inside the batch
	n, err := w.Users.CreateAPIUsers(w.AdminActor, ins, keys)
	if ae := apperr.As(err); n != 0 || ae == nil || ae.Message != "Line 3 (job0@web01): Username already exists" {
		t.Fatalf("got %d, %v", n, err)
	}
	if countAPIUsers(t, w) != 0 || audited(t, w, "create api user", audit.Success) != 0 {
		t.Fatal("the refused batch left users or records")
	}
	assertLastAudit(t, w, "create api user", audit.Failure)
}

// 10,000 rows validate, and create, in batches: the figures for the note.
func BenchmarkCheckBulk10000(b *testing.B) {
	w := testdomain.New(b, testdomain.Options{})
	rows := hostRows(10_000)
	b.ResetTimer()
	for b.Loop() {
		checks, err := w.Users.CheckBulk(w.AdminActor, rows, bulkDefaults())
		if err != nil || len(checks[9_999].Errors) != 0 {
			b.Fatal(err, checks[9_999].Errors)
		}
	}
}

func BenchmarkCreateBulk10000(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		w := testdomain.New(b, testdomain.Options{})
		b.StartTimer()
		res, err := w.Users.CreateBulk(context.Background(), w.AdminActor, hostRows(10_000), bulkDefaults(), users.BulkOptions{})
		if err != nil || res.Created != 10_000 {
			b.Fatal(err, res)
		}
	}
}
