// Package vault keeps resources (servers, databases, services), their
// accounts and passwords, and the shares that let other users and API users
// see or change them.
//
// Who sees what (PRODUCT.md §3): a user sees the resources they own and
// those shared with them (a share of one account shows its resource with
// that account only); the All Passwords scope sees everything. Passwords
// are returned only by Password, which the caller audits in the same
// transaction.
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
	Owner       string    `json:"owner"` // username
	CreatedAt   time.Time `json:"createdAt"`
	UpdatedAt   time.Time `json:"updatedAt"`
}

// Account is one login on a resource.
type Account struct {
	ID         uint64    `json:"id"`
	ResourceID uint64    `json:"resourceId"`
	Name       string    `json:"name"`
	Password   string    `json:"password"` // in the encrypted store only
	Notes      string    `json:"notes"`
	UpdatedAt  time.Time `json:"updatedAt"`
}

// Permission of a share.
type Permission string

const (
	View   Permission = "view"
	Modify Permission = "modify"
)

// Principal is who asks: a username, the role's permissions and the scope.
type Principal struct {
	Username string
	Role     access.Role
	Scope    access.Scope
}

func (p Principal) all() bool { return access.IsSuperAdmin(p.Role, p.Scope) }

// Errors of the vault.
var (
	ErrNotFound = errors.New("not found")
)

const (
	seqKey      = "vault/seq"
	resPrefix   = "vault/res/"
	namePrefix  = "vault/resname/"
	acctPrefix  = "vault/acct/"
	sharePrefix = "vault/share/"
)

func resKey(id uint64) string          { return fmt.Sprintf("%s%020d", resPrefix, id) }
func nameKey(name string) string       { return namePrefix + strings.ToLower(name) }
func acctKey(rid, aid uint64) string   { return fmt.Sprintf("%s%020d/%020d", acctPrefix, rid, aid) }
func acctListPrefix(rid uint64) string { return fmt.Sprintf("%s%020d/", acctPrefix, rid) }
func granteePrefix(user string) string { return sharePrefix + strings.ToLower(user) + "/" }
func resShareKey(user string, rid uint64) string {
	return fmt.Sprintf("%sres/%020d", granteePrefix(user), rid)
}
func acctShareKey(user string, rid, aid uint64) string {
	return fmt.Sprintf("%sacct/%020d/%020d", granteePrefix(user), rid, aid)
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

// GetResource reads a resource the principal may see.
func GetResource(tx *store.Txn, p Principal, rid uint64) (Resource, error) {
	var r Resource
	if err := tx.Get(resKey(rid), &r); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return r, ErrNotFound
		}
		return r, err
	}
	ok, err := canSeeResource(tx, p, r)
	if err != nil {
		return r, err
	}
	if !ok {
		return r, ErrNotFound // do not confirm what exists
	}
	return r, nil
}

// ResourceIDByName returns the id of a resource by its name (any case).
func ResourceIDByName(tx *store.Txn, p Principal, name string) (uint64, error) {
	var id uint64
	if err := tx.Get(nameKey(name), &id); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return 0, ErrNotFound
		}
		return 0, err
	}
	if _, err := GetResource(tx, p, id); err != nil {
		return 0, err
	}
	return id, nil
}

// ListResources returns the resources the principal may see, in id order.
func ListResources(tx *store.Txn, p Principal) ([]Resource, error) {
	var out []Resource
	if p.all() {
		err := tx.Each(resPrefix, func(_ string, decode func(any) error) (bool, error) {
			var r Resource
			err := decode(&r)
			out = append(out, r)
			return true, err
		})
		return out, err
	}
	seen := map[uint64]bool{}
	add := func(id uint64) error {
		if seen[id] {
			return nil
		}
		seen[id] = true
		var r Resource
		if err := tx.Get(resKey(id), &r); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return nil
			}
			return err
		}
		out = append(out, r)
		return nil
	}
	// Owned: scanned; a per-owner index can come when lists grow large.
	err := tx.Each(resPrefix, func(_ string, decode func(any) error) (bool, error) {
		var r Resource
		if err := decode(&r); err != nil {
			return false, err
		}
		if strings.EqualFold(r.Owner, p.Username) {
			seen[r.ID] = true
			out = append(out, r)
		}
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	err = tx.Each(granteePrefix(p.Username), func(key string, _ func(any) error) (bool, error) {
		rid, _, ok := parseShareKey(key)
		if !ok {
			return true, nil
		}
		return true, add(rid)
	})
	if err != nil {
		return nil, err
	}
	sortByID(out)
	return out, nil
}

// Accounts returns the accounts of a visible resource that the principal
// may see (all of them, or only the shared ones).
func Accounts(tx *store.Txn, p Principal, rid uint64) ([]Account, error) {
	r, err := GetResource(tx, p, rid)
	if err != nil {
		return nil, err
	}
	whole, err := seesWholeResource(tx, p, r)
	if err != nil {
		return nil, err
	}
	var out []Account
	err = tx.Each(acctListPrefix(rid), func(_ string, decode func(any) error) (bool, error) {
		var a Account
		if err := decode(&a); err != nil {
			return false, err
		}
		if !whole {
			if ok, err := tx.Has(acctShareKey(p.Username, rid, a.ID)); err != nil || !ok {
				return err == nil, err
			}
		}
		out = append(out, a)
		return true, nil
	})
	return out, err
}

// GetAccount returns one account the principal may see.
func GetAccount(tx *store.Txn, p Principal, rid, aid uint64) (Resource, Account, error) {
	r, err := GetResource(tx, p, rid)
	if err != nil {
		return r, Account{}, err
	}
	var a Account
	if err := tx.Get(acctKey(rid, aid), &a); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return r, a, ErrNotFound
		}
		return r, a, err
	}
	whole, err := seesWholeResource(tx, p, r)
	if err != nil {
		return r, a, err
	}
	if !whole {
		ok, err := tx.Has(acctShareKey(p.Username, rid, aid))
		if err != nil {
			return r, a, err
		}
		if !ok {
			return r, a, ErrNotFound
		}
	}
	return r, a, nil
}

// AccountIDByName finds a resource and account by names.
func AccountIDByName(tx *store.Txn, p Principal, resource, account string) (uint64, uint64, error) {
	rid, err := ResourceIDByName(tx, p, resource)
	if err != nil {
		return 0, 0, err
	}
	accts, err := Accounts(tx, p, rid)
	if err != nil {
		return 0, 0, err
	}
	for _, a := range accts {
		if strings.EqualFold(a.Name, account) {
			return rid, a.ID, nil
		}
	}
	return 0, 0, ErrNotFound
}

// Password returns an account's password when the principal may view it.
func Password(tx *store.Txn, p Principal, rid, aid uint64) (Resource, Account, error) {
	r, a, err := GetAccount(tx, p, rid, aid)
	if err != nil {
		return r, a, err
	}
	if !p.Role.Has(access.PasswordsView) {
		return r, a, apperr.New(apperr.Forbidden, "You are not allowed to view passwords")
	}
	return r, a, nil
}

// ChangePassword sets a new password when the principal may modify it.
func ChangePassword(tx *store.Txn, p Principal, rid, aid uint64, password string, now time.Time) (Resource, Account, error) {
	r, a, err := GetAccount(tx, p, rid, aid)
	if err != nil {
		return r, a, err
	}
	if !p.Role.Has(access.PasswordsModify) {
		return r, a, apperr.New(apperr.Forbidden, "You are not allowed to modify passwords")
	}
	ok, err := mayModify(tx, p, r, aid)
	if err != nil {
		return r, a, err
	}
	if !ok {
		return r, a, apperr.New(apperr.Forbidden, "This account is shared with you for viewing only")
	}
	if err := validatePassword(password); err != nil {
		return r, a, err
	}
	a.Password, a.UpdatedAt = password, now.UTC()
	return r, a, tx.Put(acctKey(rid, aid), a)
}

func validatePassword(s string) error {
	if s == "" || len(s) > 4096 || !utf8.ValidString(s) {
		return apperr.Field("password", "Password: 1 to 4096 characters of valid text")
	}
	return nil
}

func canSeeResource(tx *store.Txn, p Principal, r Resource) (bool, error) {
	if p.all() || strings.EqualFold(r.Owner, p.Username) {
		return true, nil
	}
	if ok, err := tx.Has(resShareKey(p.Username, r.ID)); err != nil || ok {
		return ok, err
	}
	return tx.Any(fmt.Sprintf("%sacct/%020d/", granteePrefix(p.Username), r.ID)), nil
}

func seesWholeResource(tx *store.Txn, p Principal, r Resource) (bool, error) {
	if p.all() || strings.EqualFold(r.Owner, p.Username) {
		return true, nil
	}
	return tx.Has(resShareKey(p.Username, r.ID))
}

func mayModify(tx *store.Txn, p Principal, r Resource, aid uint64) (bool, error) {
	if p.all() || strings.EqualFold(r.Owner, p.Username) {
		return true, nil
	}
	for _, k := range []string{resShareKey(p.Username, r.ID), acctShareKey(p.Username, r.ID, aid)} {
		var perm Permission
		err := tx.Get(k, &perm)
		if err == nil && perm == Modify {
			return true, nil
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return false, err
		}
	}
	return false, nil
}

func parseShareKey(key string) (rid, aid uint64, ok bool) {
	parts := strings.Split(key, "/")
	// vault/share/<user>/res/<rid>  or  vault/share/<user>/acct/<rid>/<aid>
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

func sortByID(rs []Resource) {
	slices.SortFunc(rs, func(a, b Resource) int { return cmp.Compare(a.ID, b.ID) })
}
