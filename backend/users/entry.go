package users

import (
	"cmp"
	"strings"
	"time"

	"hostbound/backend/access"
)

// entry is a user as the index keeps it, compact because serve holds one
// per user (issue 14: memory flat in the number of API users). Its fields
// are one string of their own, not pieces of the decoded record: first
// the lower-cased searched fields joined by NULs, which are the search
// haystack and the sort keys at once; then the other fields; then, as
// typed, the searched fields whose lower case differs. Times are values;
// nothing points into the User it was made of. An entry never changes
// (set replaces it), so what a reader took under the lock stays valid.
type entry struct {
	text  string
	sec   [nTimes]int64 // Unix seconds, valid where the flag says so
	uses  int64
	class *class
	nsec  [nTimes]int32
	ends  [nSegs]uint32 // where each segment of text ends
	flags uint8
}

// The segments of entry.text, in order.
const (
	// lower case, NUL-separated: the haystack
	segUsername = iota
	segHost
	segFullName
	segDepartment
	segLocation
	// as typed
	segID
	segEmail
	segKeyHint
	segLastUsedFrom
	segCertFP
	// as typed where the lower case differs, "" where it does not
	segRawUsername
	segRawHost
	segRawFullName
	segRawDepartment
	segRawLocation
	nSegs

	nSearched = segLocation + 1
)

// The times of an entry.
const (
	tCreated = iota
	tKeyCreated
	tKeyExpires
	tLastUsed
	nTimes
)

const (
	fDisabled uint8 = 1 << iota
	fRevoked
	fREST
	fKeyCreated // has an API key
	fKeyExpires
	fLastUsed
)

// class is what many users share, interned per index: a pointer instead
// of three strings per user.
type class struct {
	kind  Kind
	role  string
	scope access.Scope
}

// newEntry is u as the index keeps it; intern returns the shared class.
func newEntry(u *User, intern func(class) *class) *entry {
	e := &entry{class: intern(class{kind: u.Kind, role: u.Role, scope: u.Scope})}
	searched := [nSearched]string{u.Username, u.Host, u.FullName, u.Department, u.Location}
	var lower [nSearched]string
	var hint, from, fp string
	if u.Certificate != nil {
		fp = u.Certificate.Fingerprint
	}
	e.setTime(tCreated, u.CreatedAt, true)
	if k := u.APIKey; k != nil {
		hint, from, e.uses = k.Hint, k.LastUsedFrom, k.UseCount
		e.setTime(tKeyCreated, k.CreatedAt, true)
		e.setTime(tKeyExpires, deref(k.ExpiresAt), k.ExpiresAt != nil)
		e.setTime(tLastUsed, deref(k.LastUsedAt), k.LastUsedAt != nil)
	}
	for _, f := range []struct {
		on   bool
		flag uint8
	}{{u.Disabled, fDisabled}, {u.Revoked != nil, fRevoked}, {u.RESTEnabled, fREST}} {
		if f.on {
			e.flags |= f.flag
		}
	}
	n := nSearched - 1
	for i, s := range searched {
		lower[i] = strings.ToLower(s) // s itself when nothing changes
		n += len(lower[i])
		if lower[i] != s {
			n += len(s)
		}
	}
	plain := [...]string{u.ID, u.Email, hint, from, fp}
	for _, s := range plain {
		n += len(s)
	}
	var b strings.Builder
	b.Grow(n) // exactly: the string keeps the capacity
	seg := 0
	end := func() { e.ends[seg] = uint32(b.Len()); seg++ }
	for i, s := range lower {
		if i > 0 {
			b.WriteByte(0)
		}
		b.WriteString(s)
		end()
	}
	for _, s := range plain {
		b.WriteString(s)
		end()
	}
	for i, s := range searched {
		if lower[i] != s {
			b.WriteString(s)
		}
		end()
	}
	e.text = b.String()
	return e
}

func deref(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// timeFlags says which flag tells that a time is there (every user has
// its creation time).
var timeFlags = [nTimes]uint8{0, fKeyCreated, fKeyExpires, fLastUsed}

func (e *entry) setTime(i int, t time.Time, ok bool) {
	if ok {
		e.sec[i], e.nsec[i] = t.Unix(), int32(t.Nanosecond())
		e.flags |= timeFlags[i]
	}
}

func (e *entry) hasTime(i int) bool { return i == tCreated || e.flags&timeFlags[i] != 0 }

// time returns the i-th time (UTC), and whether the user has it.
func (e *entry) time(i int) (time.Time, bool) {
	if !e.hasTime(i) {
		return time.Time{}, false
	}
	return time.Unix(e.sec[i], int64(e.nsec[i])).UTC(), true
}

// compareTime orders by the i-th time; users without it sort last.
func compareTime(a, b *entry, i int) int {
	ha, hb := a.hasTime(i), b.hasTime(i)
	switch {
	case !ha && !hb:
		return 0
	case !ha:
		return 1
	case !hb:
		return -1
	}
	return cmp.Or(cmp.Compare(a.sec[i], b.sec[i]), cmp.Compare(a.nsec[i], b.nsec[i]))
}

func (e *entry) seg(i int) string {
	start := uint32(0)
	if i > 0 {
		start = e.ends[i-1]
		if i < nSearched {
			start++ // the NUL
		}
	}
	return e.text[start:e.ends[i]]
}

// field returns searched field i as typed.
func (e *entry) field(i int) string {
	if s := e.seg(segRawUsername + i); s != "" {
		return s
	}
	return e.seg(i)
}

func (e *entry) haystack() string  { return e.text[:e.ends[segLocation]] }
func (e *entry) lowerName() string { return e.seg(segUsername) }
func (e *entry) username() string  { return e.field(segUsername) }
func (e *entry) id() string        { return e.seg(segID) }
func (e *entry) certFP() string    { return e.seg(segCertFP) }
func (e *entry) has(f uint8) bool  { return e.flags&f != 0 }

func (e *entry) keyStatus(now time.Time) string {
	exp, ok := e.time(tKeyExpires)
	return keyStatus(e.has(fDisabled), e.has(fRevoked),
		e.class.kind == KindAPI && e.has(fREST) && e.seg(segKeyHint) != "", exp, ok, now)
}

// expiresWithin: the key is live and expires within d of now.
func (e *entry) expiresWithin(now time.Time, d time.Duration) bool {
	st := e.keyStatus(now)
	exp, ok := e.time(tKeyExpires)
	return (st == KeyActive || st == KeyExpiring) && ok && exp.Sub(now) <= d
}

// idle: the key is live and unused for IdleAfter (or never used), as the
// Reports count idle keys.
func (e *entry) idle(now time.Time) bool {
	st := e.keyStatus(now)
	used, ok := e.time(tLastUsed)
	return (st == KeyActive || st == KeyExpiring) && (!ok || now.Sub(used) >= IdleAfter)
}

// rowBox holds a Row and the times its pointers point to: one allocation.
type rowBox struct {
	Row
	times [3]time.Time // key created, key expires, last used
}

func (b *rowBox) put(i int, t time.Time) *time.Time {
	b.times[i] = t.UTC()
	return &b.times[i]
}

// row is e as lists show it, a copy its caller owns.
func (e *entry) row() *Row {
	b := &rowBox{Row: Row{
		ID: e.id(), Username: e.username(), Kind: e.class.kind, FullName: e.field(segFullName),
		Email: e.seg(segEmail), Host: e.field(segHost), Role: e.class.role, Scope: e.class.scope,
		Department: e.field(segDepartment), Location: e.field(segLocation),
		Disabled: e.has(fDisabled), Revoked: e.has(fRevoked), RESTEnabled: e.has(fREST),
		KeyHint: e.seg(segKeyHint), LastUsedFrom: e.seg(segLastUsedFrom), UseCount: e.uses,
	}}
	b.CreatedAt, _ = e.time(tCreated)
	for i, p := range []**time.Time{&b.KeyCreatedAt, &b.KeyExpiresAt, &b.LastUsedAt} {
		if t, ok := e.time(tKeyCreated + i); ok {
			*p = b.put(i, t)
		}
	}
	return &b.Row
}

func rowsOf(es []*entry) []*Row {
	if es == nil {
		return nil
	}
	out := make([]*Row, len(es))
	for i, e := range es {
		out[i] = e.row()
	}
	return out
}
