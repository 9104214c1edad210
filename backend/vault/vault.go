// Package vault keeps resources (servers, databases, services), their
// accounts and passwords, and the shares that let other users and API users
// see or change them.
//
// Who sees what (PRODUCT.md §3): a user sees the resources they own and
// those shared with them (a share of one account shows its resource with
// that account only); the All Passwords scope sees everything. Ownership
// and shares belong to a user's immutable id, never to a name. Every use
// case takes the acting access.Actor and re-resolves it in its own
// transaction; a password leaves only through RevealPassword, which
// commits its audit record first.
package vault

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/store"
)

// Resource is a server, database or service whose accounts are kept.
type Resource struct {
	ID          uint64    `json:"id"`
	Name        string    `json:"name"`
	DNSName     string    `json:"dnsName"`
	Type        string    `json:"type"`
	Description string    `json:"description"`
	Department  string    `json:"department"`
	Location    string    `json:"location"`
	URL         string    `json:"url"`
	OwnerID     string    `json:"ownerId"` // the owner's user id: what ownership is
	Owner       string    `json:"owner"`   // the owner's username, for display
	CreatedAt   time.Time `json:"createdAt"`
	UpdatedAt   time.Time `json:"updatedAt"`
}

// Account is one login on a resource.
type Account struct {
	ID         uint64 `json:"id"`
	ResourceID uint64 `json:"resourceId"`
	Name       string `json:"name"`
	Password   string `json:"password"` // in the encrypted store only; blank outside RevealPassword
	Notes      string `json:"notes"`
	// What a retrieval must say (PMP's ISREASONREQUIRED, IS_TICKETID_REQD,
	// IS_TICKETID_REQD_MANDATORY): a reason; a ticket id asked for; a
	// ticket id that must be given. Every face enforces them alike.
	ReasonRequired  bool      `json:"reasonRequired"`
	TicketRequired  bool      `json:"ticketRequired"`
	TicketMandatory bool      `json:"ticketMandatory"`
	UpdatedAt       time.Time `json:"updatedAt"`
}

// Permission of a share.
type Permission string

const (
	View   Permission = "view"
	Modify Permission = "modify"
)

// Refusals of a retrieval that lacks what the account asks for.
const (
	MsgReasonRequired = "A reason is required to retrieve the password of this account"
	MsgTicketRequired = "A ticket ID is required to retrieve the password of this account"
)

// MsgNotFound is the one answer for a resource or account that does not
// exist or that the actor may not see: it does not confirm what exists.
const MsgNotFound = "Resource or account not found, or not shared with you"

// Causes inside refusals, for faces that answer them in their own terms.
var (
	// ErrNotFound is the cause of every not-found refusal.
	ErrNotFound = errors.New("not found")
	// ErrNameTaken: a resource with that name exists already.
	ErrNameTaken = errors.New("resource name taken")
	// ErrPurposeMissing: the account asks for a reason or ticket id that
	// the retrieval did not give.
	ErrPurposeMissing = errors.New("reason or ticket id missing")
)

func notFound() error { return apperr.Wrap(apperr.NotFound, ErrNotFound, MsgNotFound) }

// Users is what the vault needs of the user service: re-resolving actors,
// and finding the user a share names.
type Users interface {
	audit.Resolver
	// UserID returns the id and the stored username of the user named
	// username (any case).
	UserID(tx *store.Txn, username string) (id, name string, err error)
}

// Service reads and changes the vault; every change commits with its
// audit record.
type Service struct {
	st    *store.Store
	audit *audit.Log
	users Users
	clock func() time.Time
	// gen moves with every committed write under vault/; reveals keeps
	// what retrievals found at one generation (revealcache.go).
	gen     *store.Gen
	reveals revealCache
}

// NewService returns a vault service.
func NewService(st *store.Store, log *audit.Log, users Users, clock func() time.Time) *Service {
	return &Service{st: st, audit: log, users: users, clock: clock, gen: st.Watch("vault/")}
}

const (
	seqKey      = "vault/seq"
	resPrefix   = "vault/res/"
	namePrefix  = "vault/resname/"
	acctPrefix  = "vault/acct/"
	grantPrefix = "vault/grant/" // vault/grant/<user id>/res/<rid> or .../acct/<rid>/<aid>
)

func resKey(id uint64) string          { return resPrefix + store.Num(id) }
func nameKey(name string) string       { return namePrefix + strings.ToLower(name) }
func acctKey(rid, aid uint64) string   { return acctPrefix + store.Num(rid) + "/" + store.Num(aid) }
func acctListPrefix(rid uint64) string { return acctPrefix + store.Num(rid) + "/" }
func granteePrefix(id string) string   { return grantPrefix + id + "/" }
func resShareKey(id string, rid uint64) string {
	return granteePrefix(id) + "res/" + store.Num(rid)
}
func acctShareKey(id string, rid, aid uint64) string {
	return granteePrefix(id) + "acct/" + store.Num(rid) + "/" + store.Num(aid)
}

// share is what a grant key holds.
type share struct {
	Permission Permission `json:"permission"`
	Grantee    string     `json:"grantee"` // username, for display
}

// nextID hands out ids; writers take turns (store.Update), so a counter in
// the same transaction is enough.
func nextID(tx *store.Txn) (uint64, error) {
	var n uint64
	if err := tx.Get(seqKey, &n); err != nil && !errors.Is(err, store.ErrNotFound) {
		return 0, err
	}
	// Start high like PMP's ids, so they read as ids and not as counts.
	if n < 1000 {
		n = 1000
	}
	n++
	return n, tx.Put(seqKey, n)
}

// ParseID reads a decimal id as clients send it.
func ParseID(s string) (uint64, bool) {
	id, err := strconv.ParseUint(s, 10, 64)
	return id, err == nil && id > 0
}

func owns(p access.Principal, r Resource) bool { return r.OwnerID != "" && r.OwnerID == p.UserID }

// getResource reads a resource p may see.
func getResource(tx *store.Txn, p access.Principal, rid uint64) (Resource, error) {
	var r Resource
	if err := tx.Get(resKey(rid), &r); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return r, notFound()
		}
		return r, err
	}
	ok, err := canSeeResource(tx, p, r)
	if err != nil {
		return r, err
	}
	if !ok {
		return r, notFound()
	}
	return r, nil
}

func resourceIDByName(tx *store.Txn, p access.Principal, name string) (uint64, error) {
	var id uint64
	if err := tx.Get(nameKey(name), &id); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return 0, notFound()
		}
		return 0, err
	}
	if _, err := getResource(tx, p, id); err != nil {
		return 0, err
	}
	return id, nil
}

// listResources returns the resources p may see, in id order.
func listResources(tx *store.Txn, p access.Principal) ([]Resource, error) {
	var out []Resource
	seen := map[uint64]bool{}
	// Owned (or, for All Passwords, every one): scanned; a per-owner index
	// can come when lists grow large.
	err := tx.Each(resPrefix, func(_ string, decode func(any) error) (bool, error) {
		var r Resource
		if err := decode(&r); err != nil {
			return false, err
		}
		if p.SeesAll() || owns(p, r) {
			seen[r.ID] = true
			out = append(out, r)
		}
		return true, nil
	})
	if err != nil || p.SeesAll() {
		return out, err
	}
	err = tx.Each(granteePrefix(p.UserID), func(key string, _ func(any) error) (bool, error) {
		rid, _, ok := parseShareKey(key)
		if !ok || seen[rid] {
			return true, nil
		}
		seen[rid] = true
		var r Resource
		if err := tx.Get(resKey(rid), &r); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return true, nil
			}
			return false, err
		}
		out = append(out, r)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b Resource) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// accounts returns the accounts of a visible resource that p may see (all
// of them, or only the shared ones), without passwords.
func accounts(tx *store.Txn, p access.Principal, r Resource) ([]Account, error) {
	whole, err := seesWholeResource(tx, p, r)
	if err != nil {
		return nil, err
	}
	var out []Account
	err = tx.Each(acctListPrefix(r.ID), func(_ string, decode func(any) error) (bool, error) {
		var a Account
		if err := decode(&a); err != nil {
			return false, err
		}
		if !whole {
			if ok, err := tx.Has(acctShareKey(p.UserID, r.ID, a.ID)); err != nil || !ok {
				return err == nil, err
			}
		}
		a.Password = ""
		out = append(out, a)
		return true, nil
	})
	return out, err
}

// getAccount returns one account p may see, with its password (callers
// blank it unless they reveal it).
func getAccount(tx *store.Txn, p access.Principal, rid, aid uint64) (Resource, Account, error) {
	r, err := getResource(tx, p, rid)
	if err != nil {
		return r, Account{}, err
	}
	var a Account
	if err := tx.Get(acctKey(rid, aid), &a); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return r, a, notFound()
		}
		return r, a, err
	}
	whole, err := seesWholeResource(tx, p, r)
	if err != nil {
		return r, a, err
	}
	if !whole {
		ok, err := tx.Has(acctShareKey(p.UserID, rid, aid))
		if err != nil {
			return r, a, err
		}
		if !ok {
			return r, a, notFound()
		}
	}
	return r, a, nil
}

func validatePassword(s string) error {
	if s == "" || len(s) > 4096 || !utf8.ValidString(s) {
		return apperr.Field("password", "Password: 1 to 4096 characters of valid text")
	}
	return nil
}

func canSeeResource(tx *store.Txn, p access.Principal, r Resource) (bool, error) {
	if p.SeesAll() || owns(p, r) {
		return true, nil
	}
	if ok, err := tx.Has(resShareKey(p.UserID, r.ID)); err != nil || ok {
		return ok, err
	}
	return tx.Any(fmt.Sprintf("%sacct/%020d/", granteePrefix(p.UserID), r.ID)), nil
}

func seesWholeResource(tx *store.Txn, p access.Principal, r Resource) (bool, error) {
	if p.SeesAll() || owns(p, r) {
		return true, nil
	}
	return tx.Has(resShareKey(p.UserID, r.ID))
}

func mayModify(tx *store.Txn, p access.Principal, r Resource, aid uint64) (bool, error) {
	if p.SeesAll() || owns(p, r) {
		return true, nil
	}
	for _, k := range []string{resShareKey(p.UserID, r.ID), acctShareKey(p.UserID, r.ID, aid)} {
		var sh share
		err := tx.Get(k, &sh)
		if err == nil && sh.Permission == Modify {
			return true, nil
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return false, err
		}
	}
	return false, nil
}

// parseShareKey reads vault/grant/<id>/res/<rid> or .../acct/<rid>/<aid>.
func parseShareKey(key string) (rid, aid uint64, ok bool) {
	parts := strings.Split(key, "/")
	if len(parts) < 5 {
		return 0, 0, false
	}
	rid, err := strconv.ParseUint(parts[4], 10, 64)
	if err != nil {
		return 0, 0, false
	}
	if parts[3] == "acct" && len(parts) == 6 {
		aid, err = strconv.ParseUint(parts[5], 10, 64)
		return rid, aid, err == nil
	}
	return rid, 0, parts[3] == "res"
}
