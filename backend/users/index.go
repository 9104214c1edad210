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
// Times are UTC.
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
}

// RowOf is u as lists show it; it shares nothing with u.
func RowOf(u *User) *Row {
	b := &rowBox{Row: Row{
		ID: u.ID, Username: u.Username, Kind: u.Kind, FullName: u.FullName, Email: u.Email, Host: u.Host,
		Role: u.Role, Scope: u.Scope, Department: u.Department, Location: u.Location,
		Disabled: u.Disabled, Revoked: u.Revoked != nil, RESTEnabled: u.RESTEnabled, CreatedAt: u.CreatedAt.UTC(),
	}}
	if k := u.APIKey; k != nil {
		b.KeyHint, b.LastUsedFrom, b.UseCount = k.Hint, k.LastUsedFrom, k.UseCount
		b.KeyCreatedAt = b.put(0, k.CreatedAt)
		if k.ExpiresAt != nil {
			b.KeyExpiresAt = b.put(1, *k.ExpiresAt)
		}
		if k.LastUsedAt != nil {
			b.LastUsedAt = b.put(2, *k.LastUsedAt)
		}
	}
	return &b.Row
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
	return keyStatus(r.Disabled, r.Revoked, r.Kind == KindAPI && r.RESTEnabled && r.KeyHint != "",
		deref(r.KeyExpiresAt), r.KeyExpiresAt != nil, now)
}

// keyStatus is the status of a user's key (live: an API user with REST
// access and a key) that expires at exp if expires.
func keyStatus(disabled, revoked, live bool, exp time.Time, expires bool, now time.Time) string {
	switch {
	case disabled:
		return KeyDisabled
	case revoked:
		return KeyRevoked
	case !live:
		return KeyNone
	case !expires:
		return KeyActive
	case !now.Before(exp):
		return KeyExpired
	case exp.Sub(now) <= ExpiringWithin:
		return KeyExpiring
	default:
		return KeyActive
	}
}

// index keeps every user's entry in memory, sorted by lower-case username,
// so that search, filters and sorting stay fast at 100,000 users without
// decoding the store on each keystroke. It changes only after a commit.
//
// It reads the store on its first use (ready), not at start: serve answers
// retrievals without it, so its memory does not grow with the number of
// users (~280 B each) until something lists, searches, reports on them or
// checks a certificate (issue 14).
type index struct {
	st *store.Store
	// loading is held while the whole store is read (ready, refresh).
	loading sync.Mutex
	mu      sync.RWMutex
	loaded  bool     // under mu
	entries []*entry // sorted by lower-case username
	// certs finds the API user of a client certificate: fingerprint →
	// lower-case username. The store's user record stays the authority.
	certs   map[string]string
	classes map[class]*class
	// replay, while readAll reads the store, holds the changes committed
	// meanwhile; nil otherwise.
	replay []func()
	// afterRead, in tests, runs when readAll has read the store and not yet
	// taken its rows: a commit then is one its read missed.
	afterRead func()
}

func newIndex(st *store.Store) *index {
	return &index{st: st, certs: map[string]string{}, classes: map[class]*class{}}
}

// ready reads every user unless the index has. A failed read leaves it
// unloaded; the next use tries again.
func (x *index) ready() error {
	if x.isLoaded() {
		return nil
	}
	x.loading.Lock()
	defer x.loading.Unlock()
	if x.isLoaded() {
		return nil
	}
	return x.readAll()
}

func (x *index) isLoaded() bool {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.loaded
}

// readAll reads every user and replaces the index's rows; called with
// loading held. Changes committed meanwhile are applied again on top, so
// none is lost.
func (x *index) readAll() error {
	x.mu.Lock()
	x.replay = []func(){}
	x.mu.Unlock()
	fresh, err := loadIndex(x.st)
	if x.afterRead != nil {
		x.afterRead()
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	replay := x.replay
	x.replay = nil
	if err != nil {
		return err
	}
	x.entries, x.certs, x.classes, x.loaded = fresh.entries, fresh.certs, fresh.classes, true
	for _, f := range replay {
		f()
	}
	return nil
}

// loadIndex reads every user once.
func loadIndex(st *store.Store) (*index, error) {
	idx := newIndex(st)
	err := eachUser(st, func(u *User) {
		e := newEntry(u, idx.intern)
		idx.entries = append(idx.entries, e)
		if fp := e.certFP(); fp != "" {
			idx.certs[fp] = e.lowerName()
		}
	})
	// Badger gives the keys in name order; an engine that encrypts key
	// names (PostgreSQL) does not.
	slices.SortFunc(idx.entries, func(a, b *entry) int { return strings.Compare(a.lowerName(), b.lowerName()) })
	idx.entries = slices.Clip(idx.entries)
	return idx, err
}

// eachUser decodes every stored user in one read transaction.
func eachUser(st *store.Store, f func(*User)) error {
	return st.View(func(tx *store.Txn) error {
		return tx.Each(userPrefix, func(_ string, decode func(any) error) (bool, error) {
			var u User
			if err := decode(&u); err != nil {
				return false, err
			}
			f(&u)
			return true, nil
		})
	})
}

// intern returns the shared copy of c; called with mu held (or before the
// index is shared).
func (x *index) intern(c class) *class {
	if p, ok := x.classes[c]; ok {
		return p
	}
	p := &class{kind: Kind(strings.Clone(string(c.kind))), role: strings.Clone(c.role),
		scope: access.Scope(strings.Clone(string(c.scope)))}
	x.classes[*p] = p
	return p
}

func (x *index) find(username string) (int, bool) {
	return slices.BinarySearchFunc(x.entries, strings.ToLower(username), func(e *entry, k string) int {
		return strings.Compare(e.lowerName(), k)
	})
}

func (x *index) set(u *User) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if !x.loaded && x.replay == nil {
		return // the first read will see the commit
	}
	x.setLocked(u)
	if x.replay != nil {
		x.replay = append(x.replay, func() { x.setLocked(u) })
	}
}

func (x *index) setLocked(u *User) {
	e := newEntry(u, x.intern)
	if i, ok := x.find(u.Username); ok {
		x.dropCert(x.entries[i], e.certFP())
		x.entries[i] = e
	} else {
		x.entries = slices.Insert(x.entries, i, e)
	}
	if fp := e.certFP(); fp != "" {
		delete(x.certs, fp) // the key too is e's: the old entry's text is not kept alive
		x.certs[fp] = e.lowerName()
	}
}

// dropCert forgets old's certificate unless it is kept; called with mu held.
func (x *index) dropCert(old *entry, kept string) {
	if fp := old.certFP(); fp != "" && fp != kept && x.certs[fp] == old.lowerName() {
		delete(x.certs, fp)
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
	if !x.loaded && x.replay == nil {
		return
	}
	x.removeLocked(username)
	if x.replay != nil {
		x.replay = append(x.replay, func() { x.removeLocked(username) })
	}
}

func (x *index) removeLocked(username string) {
	if i, ok := x.find(username); ok {
		x.dropCert(x.entries[i], "")
		x.entries = slices.Delete(x.entries, i, i+1)
	}
}

func (x *index) roleCounts() map[string]int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	out := map[string]int{}
	for _, e := range x.entries {
		out[e.class.role]++
	}
	return out
}

// enabled names (lower case) the enabled operators holding role.
func (x *index) enabled(role string) []string {
	x.mu.RLock()
	defer x.mu.RUnlock()
	var names []string
	for _, e := range x.entries {
		if e.class.kind == KindOperator && e.class.role == role && !e.has(fDisabled) {
			names = append(names, e.lowerName())
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
	matched := x.match(q, now)
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
	return Page{Total: len(matched), Rows: rowsOf(matched[start:end])}
}

// match returns the entries q's search and filters keep, in username order.
func (x *index) match(q Query, now time.Time) []*entry {
	needle := strings.ToLower(strings.TrimSpace(q.Search))
	x.mu.RLock()
	defer x.mu.RUnlock()
	matched := make([]*entry, 0, min(len(x.entries), 1024))
	for _, e := range x.entries {
		if (needle == "" || strings.Contains(e.haystack(), needle)) &&
			(q.Kind == "" || string(e.class.kind) == q.Kind) &&
			(q.Role == "" || e.class.role == q.Role) &&
			(q.KeyStatus == "" || e.keyStatus(now) == q.KeyStatus) &&
			(q.ExpiringWithinDays <= 0 || e.expiresWithin(now, time.Duration(q.ExpiringWithinDays)*24*time.Hour)) &&
			(!q.Idle || e.idle(now)) {
			matched = append(matched, e)
		}
	}
	return matched
}

// sortKey returns the comparison for a column; nil keeps username order.
func sortKey(col string) func(a, b *entry) int {
	byLower := func(i int) func(a, b *entry) int {
		return func(a, b *entry) int { return strings.Compare(a.seg(i), b.seg(i)) }
	}
	byTime := func(i int) func(a, b *entry) int {
		return func(a, b *entry) int { return compareTime(a, b, i) }
	}
	switch col {
	case "fullName":
		return byLower(segFullName)
	case "host":
		return byLower(segHost)
	case "role":
		return func(a, b *entry) int { return strings.Compare(a.class.role, b.class.role) }
	case "kind":
		return func(a, b *entry) int { return strings.Compare(string(a.class.kind), string(b.class.kind)) }
	case "department":
		return byLower(segDepartment)
	case "location":
		return byLower(segLocation)
	case "createdAt":
		return byTime(tCreated)
	case "keyExpiresAt":
		return byTime(tKeyExpires)
	case "lastUsedAt":
		return byTime(tLastUsed)
	}
	return nil
}

// index is the users index, read on its first use (index.ready). Writing
// use cases have it read before their transaction (change), so the
// committer, which runs every writer's batch, does not wait for the read.
func (s *Service) index() (*index, error) { return s.idx, s.idx.ready() }

// IDByName returns the id and the username (as typed at creation) of the
// user named username (any case), from the index. A store that cannot be
// read finds nobody.
func (s *Service) IDByName(username string) (id, name string, ok bool) {
	x, err := s.index()
	if err != nil {
		return "", "", false
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	if i, found := x.find(username); found {
		e := x.entries[i]
		return e.id(), e.username(), true
	}
	return "", "", false
}
