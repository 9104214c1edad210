package users

import (
	"context"
	"fmt"
	"net/netip"
	"runtime"
	"testing"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/audit"
	"hostbound/backend/hostcheck"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/store"
)

// seedGuard lets every source through: these tests authenticate nothing.
type seedGuard struct{}

func (seedGuard) Blocked(netip.Addr) (bool, time.Duration) { return false, 0 }
func (seedGuard) Fail(netip.Addr, audit.Record)            {}

// seedDNS resolves nothing.
type seedDNS struct{}

func (seedDNS) LookupNetIP(context.Context, string, string) ([]netip.Addr, error) { return nil, nil }

// seedUsers writes n API users and their administrator straight into the
// store in large transactions (going through CreateAPIUser would cost one
// fsync each) and returns a service that loaded them, with the
// administrator acting at the desktop.
func seedUsers(tb testing.TB, n int) (*Service, access.Actor) {
	tb.Helper()
	st := testenv.Store(tb)
	base := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	admin := User{ID: "u000000000000000000admin", Username: "admin", Kind: KindOperator, FullName: "Ada Admin",
		Role: access.PrivilegedAdmin, Scope: access.ScopeAll, CreatedAt: base}
	if err := st.Update(func(tx *store.Txn) error { return tx.Put(userKey(admin.Username), admin) }); err != nil {
		tb.Fatal(err)
	}
	for start := 0; start < n; start += 1000 {
		err := st.Update(func(tx *store.Txn) error {
			for i := start; i < min(start+1000, n); i++ {
				exp := base.Add(time.Duration(i%90) * 24 * time.Hour)
				u := User{ID: fmt.Sprintf("u%024x", i), Username: fmt.Sprintf("svc%06d@host%05d.example.com", i, i%50000), Kind: KindAPI,
					FullName: fmt.Sprintf("Service %d", i), Host: fmt.Sprintf("host%05d.example.com", i%50000),
					Role: access.PasswordUser, Scope: access.ScopeOwnedShared, Department: []string{"IT", "Finance", "Ops"}[i%3],
					Location: "Berlin", RESTEnabled: true, CreatedAt: base,
					APIKey: &KeyInfo{Hash: fmt.Sprintf("%064x", i), Hint: "hbk_AbCd", CreatedAt: base, ExpiresAt: &exp}}
				if err := tx.Put(userKey(u.Username), u); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	return openService(tb, st, base), ActorOf(&admin, access.SourceDesktop)
}

// openService is the user service over st, its clock stopped at now.
func openService(tb testing.TB, st *store.Store, now time.Time) *Service {
	tb.Helper()
	clock := func() time.Time { return now }
	svc, err := NewService(Config{Store: st, Audit: audit.New([]byte("a"), time.Now), Hasher: Hasher{Time: 1, Memory: 1024, Threads: 1},
		Clock: clock, Pepper: []byte("p"), Guard: seedGuard{}, Matcher: hostcheck.NewMatcher(seedDNS{}, clock)})
	if err != nil {
		tb.Fatal(err)
	}
	return svc
}

func TestSearchAt100000UsersReturnsCorrectPages(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 100,000 users")
	}
	svc, admin := seedUsers(t, 100_000)
	list := func(q Query) Page {
		t.Helper()
		p, err := svc.List(admin, q)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	if got := list(Query{Kind: "api"}).Total; got != 100_000 {
		t.Fatalf("total %d", got)
	}
	if got := list(Query{}).Total; got != 100_001 {
		t.Fatalf("total with the administrator %d", got)
	}
	// host00042 serves users 42 and 50042.
	p := list(Query{Search: "HOST00042.example"})
	if p.Total != 2 || p.Rows[0].Username != "svc000042@host00042.example.com" || p.Rows[1].Username != "svc050042@host00042.example.com" {
		t.Fatalf("search: %d %+v", p.Total, p.Rows)
	}
	// Pages tile the result without gaps or overlaps.
	p1 := list(Query{Search: "finance", Limit: 100})
	p2 := list(Query{Search: "finance", Limit: 100, Offset: 100})
	if p1.Total != 33_333 || len(p1.Rows) != 100 || p1.Rows[99].Username >= p2.Rows[0].Username {
		t.Fatalf("paging: %d rows, total %d", len(p1.Rows), p1.Total)
	}
	// Key status at the clock: expiry i%90 days out; within 30 days expiring, day 0 expired.
	expired := list(Query{KeyStatus: KeyExpired}).Total
	expiring := list(Query{KeyStatus: KeyExpiring}).Total
	if expired != 1112 || expiring != 9*1112+21*1111 {
		t.Fatalf("expired %d, expiring %d", expired, expiring)
	}
	// API users only: the administrator has no key, and descending order
	// puts "no expiry" first.
	desc := list(Query{Kind: "api", SortBy: "keyExpiresAt", Desc: true, Limit: 1}).Rows[0]
	if desc.KeyExpiresAt.Sub(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)) != 89*24*time.Hour {
		t.Fatalf("sort by expiry: %v", desc.KeyExpiresAt)
	}
}

// BenchmarkSearch100k: the first page of a search, a filter and a sort over
// 100,000 users (goal: under 100 ms each), as the list screen asks for it
// (the actor re-read, the role names).
func BenchmarkSearch100k(b *testing.B) {
	svc, admin := seedUsers(b, 100_000)
	for _, c := range []struct {
		name string
		q    Query
	}{
		{"search=host00042", Query{Search: "host00042"}},
		{"search=finance", Query{Search: "finance"}},
		{"filter=expiring", Query{KeyStatus: KeyExpiring}},
		{"sort=host-desc", Query{SortBy: "host", Desc: true}},
		{"all-first-page", Query{}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := svc.List(admin, c.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLoadIndex100k: start-up cost of the index at 100,000 users.
func BenchmarkLoadIndex100k(b *testing.B) {
	svc, _ := seedUsers(b, 100_000)
	for b.Loop() {
		if _, err := loadIndex(svc.st); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIndexMemory100k: the heap the index keeps for 100,000 users,
// beyond the bytes of their fields (issue 14: serve's memory flat in the
// number of API users). Reported as B/user; the goal is ≤ 200.
func BenchmarkIndexMemory100k(b *testing.B) {
	svc, _ := seedUsers(b, 100_000)
	if err := svc.idx.ready(); err != nil {
		b.Fatal(err)
	}
	fields := 0
	for _, r := range rowsOf(svc.idx.entries) {
		for _, f := range []string{r.ID, r.Username, r.FullName, r.Email, r.Host, r.Department, r.Location, r.KeyHint, r.LastUsedFrom} {
			fields += len(f)
		}
	}
	n := len(svc.idx.entries)
	var m0, m1 runtime.MemStats
	for b.Loop() {
		if _, err := loadIndex(svc.st); err != nil { // the store's caches warm
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&m0)
		idx, err := loadIndex(svc.st)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&m1)
		runtime.KeepAlive(idx)
	}
	total := float64(int64(m1.HeapAlloc) - int64(m0.HeapAlloc))
	b.ReportMetric(total/1e6, "MB")
	b.ReportMetric(float64(fields)/float64(n), "field-B/user")
	b.ReportMetric((total-float64(fields))/float64(n), "B/user")
}
