package users

// The kill switch (PRODUCT.md §12): revoke the access of every API user of
// a host, a CIDR, a department or a search at once, in one audited action
// with a reason, after a preview of who is affected; restore it per user.
//
// Rules:
//
//   - Only API users are selected. Host is exact (canonical form: a
//     hostname in lower case, an IP, a masked CIDR). CIDR selects users whose
//     host is an IP inside it or a CIDR overlapping it; hostnames are not
//     resolved (a DNS answer is not a selection an administrator can
//     preview). Department is exact, any case. Search is the Users list's
//     own Query over the index (search text, access level, key status), and
//     needs at least one of them: an empty search would select every API user.
//   - Preview and revoke need apiusers.manage or users.manage. Users beyond
//     the actor's reach (target ⊆ actor fails: mayActOn) are listed as
//     "not yours to revoke" and skipped, as are users already revoked; the
//     others are revoked. A selection with nobody to revoke is refused.
//   - A revoked user keeps its API key, SSH key and certificate; every face
//     refuses each of them with MsgRevoked and the reason (keyRefusal), and
//     so does Resolve for an actor authenticated before the revoke. Editing
//     the user or regenerating its key does not lift it; RestoreAccess does.
//   - Audit: one "revoke access" record per user (target: the user, reason:
//     the reason) and one "revoke access" record for the action (target: the
//     selection; reason: the counts and the reason), in the transaction of
//     the last batch. Badger's transaction limit (store.Open: 8 MiB memtables
//     allow ~1.2 MiB per transaction) holds about 800 users with their
//     records, so the users are written in batches of revokeBatch; a
//     failure stops the run, is audited with how many were revoked, and the
//     ones revoked stay revoked (a second revoke picks up the rest).

import (
	"fmt"
	"net/netip"
	"strings"
	"time"
	"unicode/utf8"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/hostcheck"
	"hostbound/backend/store"
)

// Ways to select the users of a revocation.
const (
	SelectHost       = "host"
	SelectCIDR       = "cidr"
	SelectDepartment = "department"
	SelectSearch     = "search"
)

// Statuses of a selected user in a preview.
const (
	StatusRevoke   = "revoke"
	StatusNotYours = "not yours to revoke"
	StatusRevoked  = "already revoked"
)

// MaxReasonLen bounds the reason of a revocation (it is shown to the
// refused clients and kept in the audit trail).
const MaxReasonLen = 256

// revokeBatch users are revoked per transaction (measured in
// killswitch_test.go: ~800 fit; half leaves room for long names).
const revokeBatch = 400

// Selection says which API users a revocation affects.
type Selection struct {
	By    string `json:"by"`    // SelectHost, SelectCIDR, SelectDepartment or SelectSearch
	Value string `json:"value"` // the host, CIDR or department
	Query Query  `json:"query"` // SelectSearch: the Users list's search and filters (Kind is always api)
}

// String names the selection in the audit trail.
func (sel Selection) String() string {
	switch sel.By {
	case SelectHost:
		return "host " + sel.Value
	case SelectCIDR:
		return "CIDR " + sel.Value
	case SelectDepartment:
		return "department " + sel.Value
	}
	var parts []string
	if q := strings.TrimSpace(sel.Query.Search); q != "" {
		parts = append(parts, fmt.Sprintf("search %q", q))
	}
	if sel.Query.Role != "" {
		parts = append(parts, "access level "+sel.Query.Role)
	}
	if sel.Query.KeyStatus != "" {
		parts = append(parts, "key status "+sel.Query.KeyStatus)
	}
	return strings.Join(parts, ", ")
}

// Affected is a selected user and what the revocation does to it.
type Affected struct {
	Row    *Row
	Status string // StatusRevoke, StatusNotYours or StatusRevoked
}

// Preview is who a revocation affects: the counts, and one window of the
// users in username order.
type Preview struct {
	Total          int // API users selected
	Revoke         int // of which the revocation revokes
	NotYours       int // beyond the actor's reach: skipped
	AlreadyRevoked int // skipped
	Rows           []Affected
}

// RevokeResult is what a revocation did.
type RevokeResult struct {
	Revoked, NotYours, AlreadyRevoked int
	Batches                           int // transactions it took
}

// matcher returns the test of a selection by host, CIDR or department, or
// the field error of a bad one.
func (sel *Selection) matcher() (func(e *entry) bool, error) {
	sel.Value = strings.TrimSpace(sel.Value)
	switch sel.By {
	case SelectHost:
		if sel.Value == "" {
			return nil, apperr.Field("value", "Host Name: required")
		}
		h, err := hostcheck.Parse(sel.Value)
		if err != nil {
			return nil, apperr.Field("value", "Host Name: %s", hostcheck.ErrInvalid)
		}
		sel.Value = h.String()
		return func(e *entry) bool {
			rh, err := hostcheck.Parse(e.field(segHost))
			return err == nil && rh.String() == sel.Value
		}, nil
	case SelectCIDR:
		if sel.Value == "" {
			return nil, apperr.Field("value", "CIDR: required")
		}
		h, err := hostcheck.Parse(sel.Value)
		if err != nil || h.Kind != hostcheck.KindCIDR {
			return nil, apperr.Field("value", "CIDR: not a CIDR block such as 10.0.0.0/24")
		}
		sel.Value = h.String()
		return func(e *entry) bool { return inCIDR(e.field(segHost), h.Prefix) }, nil
	case SelectDepartment:
		if sel.Value == "" {
			return nil, apperr.Field("value", "Department: required")
		}
		return func(e *entry) bool { return strings.EqualFold(strings.TrimSpace(e.field(segDepartment)), sel.Value) }, nil
	case SelectSearch:
		q := sel.Query
		if strings.TrimSpace(q.Search) == "" && q.Role == "" && q.KeyStatus == "" {
			return nil, apperr.Field("search", "Search: enter a search or choose a filter")
		}
		return nil, nil
	}
	return nil, apperr.Field("by", "Select by: choose Host Name, CIDR, Department or Search")
}

// inCIDR: host is an IP inside p, or a CIDR overlapping it.
func inCIDR(host string, p netip.Prefix) bool {
	h, err := hostcheck.Parse(host)
	switch {
	case err != nil:
		return false
	case h.Kind == hostcheck.KindIP:
		return p.Contains(h.Addr)
	case h.Kind == hostcheck.KindCIDR:
		return p.Overlaps(h.Prefix)
	}
	return false
}

// selectRows returns the API users sel selects, in username order.
func (s *Service) selectRows(sel *Selection) ([]*entry, error) {
	match, err := sel.matcher()
	if err != nil {
		return nil, err
	}
	if match == nil { // a search: the Users list's own search and filters
		q := sel.Query
		q.Kind = string(KindAPI)
		x, err := s.index()
		if err != nil {
			return nil, err
		}
		return x.match(q, s.clock()), nil
	}
	x, err := s.index()
	if err != nil {
		return nil, err
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	var out []*entry
	for _, e := range x.entries {
		if e.class.kind == KindAPI && match(e) {
			out = append(out, e)
		}
	}
	return out, nil
}

// reach caches "may p act on a user of this role and scope" (mayActOn,
// without reading the role again for every user).
type reach struct {
	s    *Service
	p    access.Principal
	seen map[string]bool
}

func (x *reach) ok(tx *store.Txn, u *User) (bool, error) {
	k := u.Role + "\x00" + string(u.Scope)
	if v, found := x.seen[k]; found {
		return v, nil
	}
	err := x.s.mayActOn(tx, x.p, u)
	if err != nil && apperr.CodeOf(err) != apperr.Forbidden {
		return false, err
	}
	x.seen[k] = err == nil
	return err == nil, nil
}

// plan loads each selected row's user in tx and says what a revocation by
// p does to it. Users deleted since the index was read are left out.
func (s *Service) plan(tx *store.Txn, p access.Principal, rows []*entry) ([]Affected, error) {
	rc := &reach{s: s, p: p, seen: map[string]bool{}}
	out := make([]Affected, 0, len(rows))
	for _, r := range rows {
		u, err := s.load(tx, r.username())
		if apperr.As(err) != nil {
			continue
		}
		if err != nil {
			return nil, err
		}
		if u.ID != r.id() || u.Kind != KindAPI {
			continue
		}
		status := StatusRevoke
		if u.Revoked != nil {
			status = StatusRevoked
		} else if ok, err := rc.ok(tx, u); err != nil {
			return nil, err
		} else if !ok {
			status = StatusNotYours
		}
		out = append(out, Affected{Row: RowOf(u), Status: status})
	}
	return out, nil
}

// PreviewRevocation shows who RevokeAccess(a, sel, …) would affect: the
// counts and the window [offset, offset+limit) of the users (limit: default
// 100, at most 1000).
func (s *Service) PreviewRevocation(a access.Actor, sel Selection, offset, limit int) (Preview, error) {
	var out Preview
	err := s.read(a, "preview revoke access", "", func(tx *store.Txn, p access.Principal) error {
		if err := mayManage(p, KindAPI); err != nil {
			return err
		}
		rows, err := s.selectRows(&sel)
		if err != nil {
			return err
		}
		all, err := s.plan(tx, p, rows)
		if err != nil {
			return err
		}
		out = count(all)
		if limit <= 0 {
			limit = 100
		}
		start := min(max(offset, 0), len(all))
		out.Rows = all[start:min(start+min(limit, 1000), len(all))]
		return nil
	})
	return out, err
}

func count(all []Affected) Preview {
	p := Preview{Total: len(all)}
	for _, x := range all {
		switch x.Status {
		case StatusRevoke:
			p.Revoke++
		case StatusNotYours:
			p.NotYours++
		case StatusRevoked:
			p.AlreadyRevoked++
		}
	}
	return p
}

// validReason trims and checks the reason of a revocation.
func validReason(reason string) (string, error) {
	reason = strings.Join(strings.Fields(reason), " ") // one line: it ends up in refusals
	switch {
	case reason == "":
		return "", apperr.Field("reason", "Reason: required")
	case !utf8.ValidString(reason) || utf8.RuneCountInString(reason) > MaxReasonLen:
		return "", apperr.Field("reason", "Reason: at most %d characters", MaxReasonLen)
	}
	return reason, nil
}

// RevokeAccess revokes REST, SSH and certificate access of every API user
// sel selects that a may act on, with reason (required), audited: one
// record per user and one for the action. Users beyond a's reach and users
// already revoked are skipped and counted. See the rules at the top of
// this file.
func (s *Service) RevokeAccess(a access.Actor, sel Selection, reason string) (RevokeResult, error) {
	var res RevokeResult
	fail := audit.Record{Actor: a.Username, ActorKind: string(a.Kind), Source: a.Source, Operation: "revoke access",
		Result: audit.Failure}
	err := s.revoke(a, &sel, reason, &res, &fail)
	if e := apperr.As(err); e != nil {
		fail.Target, fail.Reason = sel.String(), e.Message
		if res.Revoked > 0 {
			fail.Reason = fmt.Sprintf("stopped after %d API users revoked: %s", res.Revoked, e.Message)
		}
		s.audit.Record(s.st, fail)
		return res, err
	}
	if err != nil {
		return res, fmt.Errorf("revoke access of %s (%d revoked): %w", sel.String(), res.Revoked, err)
	}
	return res, nil
}

func (s *Service) revoke(a access.Actor, sel *Selection, reason string, res *RevokeResult, fail *audit.Record) error {
	var planned []Affected
	err := s.st.View(func(tx *store.Txn) error {
		_, p, err := s.resolve(tx, a) // read-only: the batches record an API actor's use
		if err != nil {
			return err
		}
		fail.ActorName = p.FullName
		if err := mayManage(p, KindAPI); err != nil {
			return err
		}
		var f apperr.Form // every field error at once
		_, err = sel.matcher()
		f.Check(err)
		reason, err = validReason(reason)
		f.Check(err)
		if err := f.Err(); err != nil {
			return err
		}
		rows, err := s.selectRows(sel)
		if err != nil {
			return err
		}
		planned, err = s.plan(tx, p, rows)
		return err
	})
	if err != nil {
		return err
	}
	skipped := count(planned)
	res.NotYours, res.AlreadyRevoked = skipped.NotYours, skipped.AlreadyRevoked
	todo := make([]*Row, 0, skipped.Revoke)
	for _, x := range planned {
		if x.Status == StatusRevoke {
			todo = append(todo, x.Row)
		}
	}
	if len(todo) == 0 {
		return apperr.New(apperr.Invalid, "No API user of %s can be revoked (%d selected: %d already revoked, %d not yours to revoke)",
			sel.String(), skipped.Total, skipped.AlreadyRevoked, skipped.NotYours)
	}
	for start := 0; start < len(todo); start += revokeBatch {
		end := min(start+revokeBatch, len(todo))
		last := end == len(todo)
		n := 0
		err := s.st.Update(func(tx *store.Txn) error {
			n = 0
			p, err := s.Resolve(tx, a)
			if err != nil {
				return err
			}
			if err := mayManage(p, KindAPI); err != nil {
				return err
			}
			rc := &reach{s: s, p: p, seen: map[string]bool{}}
			now := s.clock().UTC()
			for _, r := range todo[start:end] {
				u, err := s.load(tx, r.Username)
				if apperr.As(err) != nil {
					continue // deleted meanwhile
				}
				if err != nil {
					return err
				}
				if u.ID != r.ID || u.Kind != KindAPI || u.Revoked != nil {
					continue // re-created or revoked meanwhile
				}
				if ok, err := rc.ok(tx, u); err != nil {
					return err
				} else if !ok {
					continue // given a role beyond the actor meanwhile
				}
				u.Revoked = &Revocation{At: now, By: p.Username, Reason: reason}
				u.UpdatedAt = now
				if err := s.put(tx, u); err != nil {
					return err
				}
				rec := record(a, p.FullName, "revoke access", u.Username)
				rec.Result, rec.Reason = audit.Success, reason
				if _, err := s.audit.Append(tx, rec); err != nil {
					return err
				}
				n++
			}
			if !last {
				return nil
			}
			rec := record(a, p.FullName, "revoke access", sel.String())
			rec.Result = audit.Success
			rec.Reason = fmt.Sprintf("%d API users revoked (%d not yours to revoke, %d already revoked): %s",
				res.Revoked+n, res.NotYours, res.AlreadyRevoked, reason)
			_, err = s.audit.Append(tx, rec)
			return err
		})
		if err != nil {
			return err
		}
		res.Revoked += n
		res.Batches++
	}
	return nil
}

// RestoreAccess lifts the revocation of one API user: its API key, SSH key
// and certificate work again as they were. It needs the permission to
// manage that user (target ⊆ actor).
func (s *Service) RestoreAccess(a access.Actor, username string) (*User, error) {
	var out *User
	err := s.audit.Act(s.st, s, a, "restore access", username, func(tx *store.Txn, p access.Principal, rec *audit.Record) error {
		u, err := s.loadTarget(tx, p, username)
		if err != nil {
			return err
		}
		if u.Kind != KindAPI {
			return apperr.New(apperr.Invalid, "%s is not an API user", u.Username)
		}
		if u.Revoked == nil {
			return apperr.New(apperr.Conflict, "The access of %s is not revoked", u.Username)
		}
		rec.Target = u.Username
		rec.Reason = fmt.Sprintf("revoked by %s on %s: %s", u.Revoked.By, u.Revoked.At.UTC().Format(time.RFC3339), u.Revoked.Reason)
		u.Revoked = nil
		u.UpdatedAt = s.clock().UTC()
		out = u
		return s.put(tx, u)
	})
	return out, err
}

// revokedRefusal is the refusal of a revoked u presenting credential
// ("" when u is not revoked, or credential is not u's: a stranger who
// guessed the username learns nothing of the reason).
func revokedRefusal(u *User, credential string, now time.Time) string {
	if u.Revoked == nil || !holds(u, credential, now) {
		return ""
	}
	return MsgRevoked + ": " + u.Revoked.Reason
}

// holds reports whether credential is one of u's own ("" checks the
// user's state only, and counts).
func holds(u *User, credential string, now time.Time) bool {
	if credential == "" {
		return true
	}
	kind, value, _ := strings.Cut(credential, ":")
	switch kind + ":" {
	case credKey:
		k := u.APIKey
		return k != nil && (k.Hash == value || (k.Previous != nil && k.Previous.Hash == value && now.Before(k.Previous.ValidUntil)))
	case credSSH:
		return u.SSHKey != nil && u.SSHKey.Fingerprint == value
	case credCert:
		return u.Certificate != nil && u.Certificate.Fingerprint == value
	}
	return false
}
