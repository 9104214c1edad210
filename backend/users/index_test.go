package users

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/credentials"
)

// indexOf is an index of us, set one by one as commits do.
func indexOf(us []User) *index {
	x := newIndex(nil)
	x.loaded = true
	for i := range us {
		x.setLocked(&us[i])
	}
	return x
}

// refQuery answers q over rows as the index did before it was compacted
// (one Row per user, lower-cased copies of the searched fields): the
// yardstick of TestTheCompactIndexAnswersAsTheRowsDid.
func refQuery(rows []*Row, q Query, now time.Time) (int, []*Row) {
	lower := func(r *Row) [5]string {
		return [5]string{strings.ToLower(r.Username), strings.ToLower(r.Host), strings.ToLower(r.FullName),
			strings.ToLower(r.Department), strings.ToLower(r.Location)}
	}
	live := func(r *Row) bool { st := r.KeyStatus(now); return st == KeyActive || st == KeyExpiring }
	needle := strings.ToLower(strings.TrimSpace(q.Search))
	var out []*Row
	for _, r := range rows {
		l := lower(r)
		if (needle == "" || strings.Contains(strings.Join(l[:], "\x00"), needle)) &&
			(q.Kind == "" || string(r.Kind) == q.Kind) && (q.Role == "" || r.Role == q.Role) &&
			(q.KeyStatus == "" || r.KeyStatus(now) == q.KeyStatus) &&
			(q.ExpiringWithinDays <= 0 || live(r) && r.KeyExpiresAt != nil &&
				r.KeyExpiresAt.Sub(now) <= time.Duration(q.ExpiringWithinDays)*24*time.Hour) &&
			(!q.Idle || live(r) && (r.LastUsedAt == nil || now.Sub(*r.LastUsedAt) >= IdleAfter)) {
			out = append(out, r)
		}
	}
	tm := func(f func(*Row) *time.Time) func(a, b *Row) int {
		return func(a, b *Row) int {
			ta, tb := f(a), f(b)
			switch {
			case ta == nil && tb == nil:
				return 0
			case ta == nil:
				return 1
			case tb == nil:
				return -1
			}
			return ta.Compare(*tb)
		}
	}
	byLower := func(i int) func(a, b *Row) int {
		return func(a, b *Row) int { return strings.Compare(lower(a)[i], lower(b)[i]) }
	}
	by := map[string]func(a, b *Row) int{
		"fullName": byLower(2), "host": byLower(1), "department": byLower(3), "location": byLower(4),
		"role":         func(a, b *Row) int { return strings.Compare(a.Role, b.Role) },
		"kind":         func(a, b *Row) int { return strings.Compare(string(a.Kind), string(b.Kind)) },
		"createdAt":    tm(func(r *Row) *time.Time { return &r.CreatedAt }),
		"keyExpiresAt": tm(func(r *Row) *time.Time { return r.KeyExpiresAt }),
		"lastUsedAt":   tm(func(r *Row) *time.Time { return r.LastUsedAt }),
	}[q.SortBy]
	if by != nil {
		slices.SortStableFunc(out, by)
	}
	if q.Desc {
		slices.Reverse(out)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	start := min(max(q.Offset, 0), len(out))
	return len(out), out[start:min(start+min(limit, 1000), len(out))]
}

// randomUsers are n users with every field the index keeps varied: case,
// non-ASCII text, empty fields, times with nanoseconds, far expiries, a
// zero creation time, certificates, revocations.
func randomUsers(n int, now time.Time) []User {
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(s ...string) string { return s[rng.IntN(len(s))] }
	at := func() *time.Time {
		if rng.IntN(4) == 0 {
			return nil
		}
		t := now.Add(time.Duration(rng.Int64N(int64(400*24*time.Hour))) - 200*24*time.Hour)
		switch rng.IntN(10) {
		case 0:
			t = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC) // past int64 nanoseconds
		case 1, 2:
			t = now.Add(time.Duration(rng.IntN(1000))) // the same second, other nanoseconds
		}
		return &t
	}
	us := make([]User, n)
	for i := range us {
		u := User{ID: fmt.Sprintf("id%04d", i), Username: fmt.Sprintf("%s%03d", pick("svc", "Svc", "ÜBER", "web"), i),
			Kind:     access.Kind(pick(string(KindAPI), string(KindAPI), string(KindOperator))),
			FullName: pick("Service", "ÖL Dienst", "backup ROBOT", "İstanbul"), Email: pick("", "a@example.com"),
			Role: pick(access.PasswordUser, access.PrivilegedAdmin, "custom"), Scope: access.Scope(pick(string(access.ScopeAll), string(access.ScopeOwnedShared))),
			Department: pick("", "IT", "Finance", "ops"), Location: pick("", "Berlin", "zürich"),
			Disabled: rng.IntN(8) == 0, RESTEnabled: rng.IntN(5) != 0, Host: pick("web01.example.com", "10.0.0.0/24", "DB.Example.com"),
			CreatedAt: now.Add(-time.Duration(rng.Int64N(int64(1000 * time.Hour))))}
		if i%17 == 0 {
			u.CreatedAt = time.Time{}
		}
		if rng.IntN(6) == 0 {
			u.Revoked = &Revocation{At: now, By: "admin", Reason: "r"}
		}
		if rng.IntN(4) == 0 {
			u.Certificate = &credentials.Certificate{Fingerprint: fmt.Sprintf("fp%04d", i)}
		}
		if rng.IntN(5) != 0 {
			u.APIKey = &KeyInfo{Hash: "h", Hint: pick("hbk_a", ""), CreatedAt: now.Add(-time.Hour), ExpiresAt: at(),
				LastUsedAt: at(), LastUsedFrom: pick("", "192.0.2.7"), UseCount: rng.Int64N(100)}
		}
		us[i] = u
	}
	return us
}

func TestTheCompactIndexAnswersAsTheRowsDid(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 26, 9, 0, 0, 123, time.UTC)
	us := randomUsers(600, now)
	x := indexOf(us)
	rows := make([]*Row, len(us))
	for i := range us {
		rows[i] = RowOf(&us[i])
	}
	slices.SortFunc(rows, func(a, b *Row) int { return strings.Compare(strings.ToLower(a.Username), strings.ToLower(b.Username)) })
	cols := []string{"", "username", "fullName", "host", "role", "kind", "department", "location", "createdAt", "keyExpiresAt", "lastUsedAt"}
	var qs []Query
	for _, c := range cols {
		qs = append(qs, Query{SortBy: c, Limit: 1000}, Query{SortBy: c, Desc: true, Offset: 7, Limit: 50})
	}
	for _, search := range []string{"über", " SVC0", "öl", "İSTANBUL", "example.com\x00", "10.0.0", "zÜrich", "nothing"} {
		qs = append(qs, Query{Search: search, SortBy: "fullName"})
	}
	for _, st := range []string{KeyActive, KeyExpiring, KeyExpired, KeyNone, KeyDisabled, KeyRevoked} {
		qs = append(qs, Query{KeyStatus: st, Kind: "api", SortBy: "keyExpiresAt"})
	}
	qs = append(qs, Query{Role: "custom", SortBy: "lastUsedAt", Desc: true}, Query{ExpiringWithinDays: 45}, Query{Idle: true, Offset: 3},
		Query{Offset: -5, Limit: 5000})
	for _, q := range qs {
		t.Run(fmt.Sprintf("%+v", q), func(t *testing.T) {
			wantTotal, want := refQuery(rows, q, now)
			got := x.query(q, now)
			if got.Total != wantTotal || len(want) > 0 && !reflect.DeepEqual(got.Rows, want) || got.Rows == nil {
				t.Fatalf("total %d, want %d; first rows\n got %s\nwant %s", got.Total, wantTotal, rowNames(got.Rows), rowNames(want))
			}
		})
	}
	counts := map[string]int{}
	for _, u := range us {
		counts[u.Role]++
	}
	if got := x.roleCounts(); !reflect.DeepEqual(got, counts) {
		t.Errorf("role counts %v, want %v", got, counts)
	}
}

func rowNames(rs []*Row) string {
	var b strings.Builder
	for i, r := range rs[:min(len(rs), 8)] {
		fmt.Fprintf(&b, "%d:%s ", i, r.Username)
	}
	return b.String()
}

// A user's certificate and key follow it through set, replace and remove:
// the index answers for the user as stored, never for what it replaced.
func TestTheIndexFollowsAUserWithACertificateAndAKeyThroughSetReplaceAndRemove(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	exp := now.Add(10 * 24 * time.Hour)
	other := User{ID: "id-other", Username: "other", Kind: KindAPI, Role: access.PasswordUser, CreatedAt: now}
	x := indexOf([]User{other})
	u := User{ID: "id-1", Username: "Svc-Web", Kind: KindAPI, FullName: "Web Service", Host: "web01.example.com",
		Role: access.PasswordUser, Scope: access.ScopeOwnedShared, RESTEnabled: true, CreatedAt: now,
		Certificate: &credentials.Certificate{Fingerprint: "AA:01"},
		APIKey:      &KeyInfo{Hash: "h1", Hint: "hbk_one", CreatedAt: now, ExpiresAt: &exp}}
	only := func(what string, want *User) {
		t.Helper()
		p := x.query(Query{Search: "web service"}, now)
		if want == nil {
			if p.Total != 0 {
				t.Fatalf("%s: found %s", what, rowNames(p.Rows))
			}
			return
		}
		if p.Total != 1 || !reflect.DeepEqual(p.Rows[0], RowOf(want)) {
			t.Fatalf("%s: %d rows: %+v, want %+v", what, p.Total, p.Rows, RowOf(want))
		}
	}
	cert := func(what, fp, want string) {
		t.Helper()
		name, ok := x.certUser(fp)
		if (want != "") != ok || name != want {
			t.Fatalf("%s: certificate %s → %q %v, want %q", what, fp, name, ok, want)
		}
	}

	x.set(&u)
	only("set", &u)
	cert("set", "AA:01", "svc-web")
	if got := x.query(Query{KeyStatus: KeyExpiring}, now).Total; got != 1 {
		t.Fatalf("set: %d expiring keys", got)
	}

	// Replaced: a new certificate, a new key that never expires, a new name case.
	v := u
	v.Username, v.FullName = "SVC-web", "Web Service Two"
	v.Certificate = &credentials.Certificate{Fingerprint: "BB:02"}
	v.APIKey = &KeyInfo{Hash: "h2", Hint: "hbk_two", CreatedAt: now.Add(time.Minute), UseCount: 3}
	x.set(&v)
	only("replace", &v)
	cert("replace", "AA:01", "")
	cert("replace", "BB:02", "svc-web")
	if got := x.query(Query{KeyStatus: KeyExpiring}, now).Total; got != 0 {
		t.Fatalf("replace: %d expiring keys, want the old key gone", got)
	}
	if got := x.query(Query{}, now).Total; got != 2 {
		t.Fatalf("replace: %d users, want 2", got)
	}

	// Replaced keeping the certificate: still found by it.
	w := v
	w.Disabled = true
	x.set(&w)
	only("replace keeping the certificate", &w)
	cert("replace keeping the certificate", "BB:02", "svc-web")

	x.remove("svc-WEB")
	only("remove", nil)
	cert("remove", "BB:02", "")
	if p := x.query(Query{}, now); p.Total != 1 || p.Rows[0].Username != "other" {
		t.Fatalf("remove: %s", rowNames(p.Rows))
	}
}

// A Row handed out is its caller's: a later set does not change it, and
// changing it does not change the index.
func TestARowHandedOutSharesNothingWithTheIndex(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	exp, used := now.Add(time.Hour), now.Add(-time.Hour)
	u := User{ID: "id-1", Username: "svc", Kind: KindAPI, FullName: "Svc", RESTEnabled: true, CreatedAt: now,
		APIKey: &KeyInfo{Hint: "hbk_one", CreatedAt: now, ExpiresAt: &exp, LastUsedAt: &used, UseCount: 1}}
	x := indexOf([]User{u})
	want := RowOf(&u)

	mine := x.query(Query{}, now).Rows[0]
	*mine.KeyExpiresAt, mine.FullName, mine.UseCount = time.Time{}, "Mine", 9
	if again := x.query(Query{}, now).Rows[0]; !reflect.DeepEqual(again, want) {
		t.Fatalf("changing a handed-out row changed the index: %+v", again)
	}

	got := x.query(Query{}, now).Rows[0]
	v := u
	later, usedLater := exp.Add(time.Hour), now
	v.FullName, v.APIKey = "Changed", &KeyInfo{Hint: "hbk_two", CreatedAt: now, ExpiresAt: &later, LastUsedAt: &usedLater, UseCount: 2}
	x.set(&v)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("a set changed a row handed out before: %+v", got)
	}
	if again := x.query(Query{}, now).Rows[0]; !reflect.DeepEqual(again, RowOf(&v)) {
		t.Fatalf("after the set: %+v", again)
	}
	// Nor does a Row of RowOf share the user's times.
	r := RowOf(&v)
	*r.KeyExpiresAt = time.Time{}
	if !v.APIKey.ExpiresAt.Equal(exp.Add(time.Hour)) {
		t.Fatal("RowOf shares the user's expiry")
	}
}
