package users

import (
	"slices"
	"strings"
	"sync"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/store"
)

// Row is a user as lists show it: no hashes, no key material, no PEM.
type Row struct {
	ID           string       `json:"-"`
	Username     string       `json:"username"`
	Kind         Kind         `json:"kind"`
	FullName     string       `json:"fullName"`
	Email        string       `json:"email"`
	Host         string       `json:"host"`
	Role         string       `json:"role"`
	Scope        access.Scope `json:"scope"`
	Department   string       `json:"department"`
	Location     string       `json:"location"`
	Disabled     bool         `json:"disabled"`
	Revoked      bool         `json:"revoked"` // by the kill switch
	RESTEnabled  bool         `json:"restEnabled"`
	KeyHint      string       `json:"keyHint"`
	KeyCreatedAt *time.Time   `json:"keyCreatedAt"`
	KeyExpiresAt *time.Time   `json:"keyExpiresAt"`
	LastUsedAt   *time.Time   `json:"lastUsedAt"`
	LastUsedFrom string       `json:"lastUsedFrom"`
	UseCount     int64        `json:"useCount"`
	CreatedAt    time.Time    `json:"createdAt"`

	certFP   string    // the client certificate's fingerprint, "" without one
	lower    [5]string // lower-cased username, host, full name, department, location
	haystack string    // the same, joined, for search
}

// RowOf is u as lists show it.
func RowOf(u *User) *Row {
	r := &Row{
		ID: u.ID, Username: u.Username, Kind: u.Kind, FullName: u.FullName, Email: u.Email, Host: u.Host,
		Role: u.Role, Scope: u.Scope, Department: u.Department, Location: u.Location,
		Disabled: u.Disabled, Revoked: u.Revoked != nil, RESTEnabled: u.RESTEnabled, CreatedAt: u.CreatedAt,
	}
	if u.Certificate != nil {
		r.certFP = u.Certificate.Fingerprint
	}
	if k := u.APIKey; k != nil {
		r.KeyHint, r.KeyCreatedAt, r.KeyExpiresAt = k.Hint, &k.CreatedAt, k.ExpiresAt
		r.LastUsedAt, r.LastUsedFrom, r.UseCount = k.LastUsedAt, k.LastUsedFrom, k.UseCount
	}
	for i, f := range []string{u.Username, u.Host, u.FullName, u.Department, u.Location} {
		r.lower[i] = strings.ToLower(f)
	}
	r.haystack = strings.Join(r.lower[:], "\x00")
	return r
}

// Key statuses, for the list filter and badges.
const (
	KeyActive   = "active"
	KeyExpiring = "expiring" // within ExpiringWithin
	KeyExpired  = "expired"
	KeyNone     = "none"
	KeyDisabled = "disabled"
	KeyRevoked  = "revoked" // by the kill switch, until access is restored
)

// ExpiringWithin is the warning window of the key status filter.
const ExpiringWithin = 30 * 24 * time.Hour

// KeyStatus of the row at now.
func (r *Row) KeyStatus(now time.Time) string {
	switch {
	case r.Disabled:
		return KeyDisabled
	case r.Revoked:
		return KeyRevoked
	case r.Kind != KindAPI || !r.RESTEnabled || r.KeyHint == "":
		return KeyNone
	case r.KeyExpiresAt == nil:
		return KeyActive
	case !now.Before(*r.KeyExpiresAt):
		return KeyExpired
	case r.KeyExpiresAt.Sub(now) <= ExpiringWithin:
		return KeyExpiring
	default:
		return KeyActive
	}
}

// expiresWithin: the row's key is live and expires within d of now.
func (r *Row) expiresWithin(now time.Time, d time.Duration) bool {
	st := r.KeyStatus(now)
	return (st == KeyActive || st == KeyExpiring) && r.KeyExpiresAt != nil && r.KeyExpiresAt.Sub(now) <= d
}

// idle: the row's key is live and unused for IdleAfter (or never used), as
// the Reports count idle keys.
func (r *Row) idle(now time.Time) bool {
	st := r.KeyStatus(now)
	return (st == KeyActive || st == KeyExpiring) && (r.LastUsedAt == nil || now.Sub(*r.LastUsedAt) >= IdleAfter)
}

// index keeps every user's Row in memory, sorted by lower-case username, so
// that search, filters and sorting stay fast at 100,000 users without
// decoding the store on each keystroke. It changes only after a commit.
type index struct {
	mu   sync.RWMutex
	rows []*Row // sorted by strings.ToLower(Username)
	// certs finds the API user of a client certificate: fingerprint →
	// lower-case username. The store's user record stays the authority.
	certs map[string]string
	// replay, while a reload reads the store, holds the changes committed
	// meanwhile (cluster.go); nil otherwise.
	replay []func()
}

// loadIndex reads every user once; those stored before ids existed are
// returned too, for assignIDs.
func loadIndex(st *store.Store) (*index, []User, error) {
	idx := &index{certs: map[string]string{}}
	var missing []User
	err := st.View(func(tx *store.Txn) error {
		return tx.Each(userPrefix, func(_ string, decode func(any) error) (bool, error) {
			var u User
			if err := decode(&u); err != nil {
				return false, err
			}
			if u.ID == "" {
				missing = append(missing, u)
			}
			r := RowOf(&u)
			idx.rows = append(idx.rows, r)
			if r.certFP != "" {
				idx.certs[r.certFP] = r.lower[0]
			}
			return true, nil
		})
	})
	// Badger gives the keys in name order; an engine that encrypts key
	// names (PostgreSQL) does not.
	slices.SortFunc(idx.rows, func(a, b *Row) int { return strings.Compare(a.lower[0], b.lower[0]) })
	return idx, missing, err
}

func (x *index) find(username string) (int, bool) {
	return slices.BinarySearchFunc(x.rows, strings.ToLower(username), func(r *Row, k string) int {
		return strings.Compare(r.lower[0], k)
	})
}

func (x *index) set(u *User) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.setLocked(u)
	if x.replay != nil {
		x.replay = append(x.replay, func() { x.setLocked(u) })
	}
}

func (x *index) setLocked(u *User) {
	r := RowOf(u)
	if r.certFP != "" {
		x.certs[r.certFP] = r.lower[0]
	}
	if i, ok := x.find(u.Username); ok {
		x.dropCert(x.rows[i], r.certFP)
		x.rows[i] = r
	} else {
		x.rows = slices.Insert(x.rows, i, r)
	}
}

// dropCert forgets old's certificate unless it is kept; called with mu held.
func (x *index) dropCert(old *Row, kept string) {
	if old.certFP != "" && old.certFP != kept && x.certs[old.certFP] == old.lower[0] {
		delete(x.certs, old.certFP)
	}
}

// certUser returns the lower-case username holding the certificate.
func (x *index) certUser(fingerprint string) (string, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	name, ok := x.certs[fingerprint]
	return name, ok
}

func (x *index) remove(username string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.removeLocked(username)
	if x.replay != nil {
		x.replay = append(x.replay, func() { x.removeLocked(username) })
	}
}

func (x *index) removeLocked(username string) {
	if i, ok := x.find(username); ok {
		x.dropCert(x.rows[i], "")
		x.rows = slices.Delete(x.rows, i, i+1)
	}
}

func (x *index) roleCounts() map[string]int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	out := map[string]int{}
	for _, r := range x.rows {
		out[r.Role]++
	}
	return out
}

// enabled names (lower case) the enabled operators holding role.
func (x *index) enabled(role string) []string {
	x.mu.RLock()
	defer x.mu.RUnlock()
	var names []string
	for _, r := range x.rows {
		if r.Kind == KindOperator && r.Role == role && !r.Disabled {
			names = append(names, r.lower[0])
		}
	}
	return names
}

// Query selects and orders users for the list.
type Query struct {
	Search    string `json:"search"`    // substring of username, host, full name, department, location
	Kind      string `json:"kind"`      // "", "operator", "api"
	Role      string `json:"role"`      // "" or a role id
	KeyStatus string `json:"keyStatus"` // "" or one of the Key* statuses
	// ExpiringWithinDays > 0 keeps keys that expire within that many days
	// from now and have not expired yet (disabled and revoked users excluded).
	ExpiringWithinDays int `json:"expiringWithinDays,omitempty"`
	// Idle keeps the idle keys of the Reports: active or expiring keys unused
	// for IdleAfter, or never used.
	Idle   bool   `json:"idle,omitempty"`
	SortBy string `json:"sortBy"` // username (default), fullName, host, role, kind, createdAt, keyExpiresAt, lastUsedAt
	Desc   bool   `json:"desc"`
	Offset int    `json:"offset"`
	Limit  int    `json:"limit"` // default 100, at most 1000
}

// Page is one page of a query's result.
type Page struct {
	Total int    `json:"total"`
	Rows  []*Row `json:"rows"`
	// Roles names every role id of the rows.
	Roles map[string]access.Role `json:"-"`
}

func (x *index) query(q Query, now time.Time) Page {
	needle := strings.ToLower(strings.TrimSpace(q.Search))
	x.mu.RLock()
	matched := make([]*Row, 0, min(len(x.rows), 1024))
	for _, r := range x.rows {
		if (needle == "" || strings.Contains(r.haystack, needle)) &&
			(q.Kind == "" || string(r.Kind) == q.Kind) &&
			(q.Role == "" || r.Role == q.Role) &&
			(q.KeyStatus == "" || r.KeyStatus(now) == q.KeyStatus) &&
			(q.ExpiringWithinDays <= 0 || r.expiresWithin(now, time.Duration(q.ExpiringWithinDays)*24*time.Hour)) &&
			(!q.Idle || r.idle(now)) {
			matched = append(matched, r)
		}
	}
	x.mu.RUnlock()

	if by := sortKey(q.SortBy); by != nil {
		slices.SortStableFunc(matched, by)
	}
	if q.Desc {
		slices.Reverse(matched)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	start := min(max(q.Offset, 0), len(matched))
	end := min(start+limit, len(matched))
	return Page{Total: len(matched), Rows: matched[start:end]}
}

// sortKey returns the comparison for a column; nil keeps username order.
func sortKey(col string) func(a, b *Row) int {
	byLower := func(i int) func(a, b *Row) int {
		return func(a, b *Row) int { return strings.Compare(a.lower[i], b.lower[i]) }
	}
	str := func(f func(*Row) string) func(a, b *Row) int {
		return func(a, b *Row) int { return strings.Compare(f(a), f(b)) }
	}
	tm := func(f func(*Row) *time.Time) func(a, b *Row) int {
		return func(a, b *Row) int {
			ta, tb := f(a), f(b)
			switch {
			case ta == nil && tb == nil:
				return 0
			case ta == nil:
				return 1 // never/none sorts last
			case tb == nil:
				return -1
			}
			return ta.Compare(*tb)
		}
	}
	switch col {
	case "fullName":
		return byLower(2)
	case "host":
		return byLower(1)
	case "role":
		return str(func(r *Row) string { return r.Role })
	case "kind":
		return str(func(r *Row) string { return string(r.Kind) })
	case "department":
		return byLower(3)
	case "location":
		return byLower(4)
	case "createdAt":
		return tm(func(r *Row) *time.Time { return &r.CreatedAt })
	case "keyExpiresAt":
		return tm(func(r *Row) *time.Time { return r.KeyExpiresAt })
	case "lastUsedAt":
		return tm(func(r *Row) *time.Time { return r.LastUsedAt })
	}
	return nil
}

// IDByName returns the id and the username (as typed at creation) of the
// user named username (any case), from the index.
func (s *Service) IDByName(username string) (id, name string, ok bool) {
	s.idx.mu.RLock()
	defer s.idx.mu.RUnlock()
	if i, found := s.idx.find(username); found {
		r := s.idx.rows[i]
		return r.ID, r.Username, true
	}
	return "", "", false
}
