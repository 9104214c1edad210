package vault

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/hostcheck"
	"hostbound/backend/store"
)

// Service changes the vault; every change commits with its audit record.
type Service struct {
	st    *store.Store
	audit *audit.Log
	clock func() time.Time
}

// NewService returns a vault service.
func NewService(st *store.Store, log *audit.Log, clock func() time.Time) *Service {
	return &Service{st: st, audit: log, clock: clock}
}

// Actor is who changes the vault, as the audit trail names them.
type Actor struct {
	Principal
	FullName string
	Kind     string // audit.ActorOperator or audit.ActorAPIUser
	Source   string
}

func (s *Service) change(a Actor, op, target string, fn func(tx *store.Txn) error) error {
	rec := audit.Record{Actor: a.Username, ActorName: a.FullName, ActorKind: a.Kind, Source: a.Source, Operation: op, Target: target}
	err := s.audit.Update(s.st, rec, fn)
	if err != nil && apperr.As(err) == nil {
		if errors.Is(err, ErrNotFound) {
			return apperr.Wrap(apperr.NotFound, err, "No such resource or account")
		}
		return fmt.Errorf("%s %q: %w", op, target, err)
	}
	return err
}

// ResourceInput is the Add Resource form.
type ResourceInput struct {
	Name, DNSName, Type, Description, Department, Location, URL string
}

func (in *ResourceInput) validate() error {
	var f apperr.Form
	in.Name = strings.TrimSpace(in.Name)
	in.DNSName = strings.TrimSpace(in.DNSName)
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 128 {
		f.Add("name", "Resource Name: required, at most 128 characters")
	}
	if in.DNSName != "" {
		if h, err := hostcheck.Parse(in.DNSName); err != nil || h.Kind == hostcheck.KindCIDR {
			f.Add("dnsName", "DNS Name / IP Address: not a valid hostname or IP address")
		} else {
			in.DNSName = h.String()
		}
	}
	for _, t := range []struct{ field, label, v string }{
		{"type", "Resource Type", in.Type}, {"department", "Department", in.Department},
		{"location", "Location", in.Location}, {"url", "Resource URL", in.URL},
	} {
		if utf8.RuneCountInString(t.v) > 256 {
			f.Add(t.field, "%s: at most 256 characters", t.label)
		}
	}
	if utf8.RuneCountInString(in.Description) > 2000 {
		f.Add("description", "Description: at most 2000 characters")
	}
	return f.Err()
}

// CreateResource adds a resource owned by the actor.
func (s *Service) CreateResource(a Actor, in ResourceInput) (Resource, error) {
	var r Resource
	err := s.change(a, "create resource", in.Name, func(tx *store.Txn) error {
		if !a.Role.Has(access.ResourcesCreate) {
			return apperr.New(apperr.Forbidden, "You are not allowed to add resources")
		}
		if err := in.validate(); err != nil {
			return err
		}
		if ok, err := tx.Has(nameKey(in.Name)); err != nil || ok {
			if err == nil {
				err = apperr.Field("name", "Resource Name: a resource with this name already exists")
			}
			return err
		}
		id, err := nextID(tx)
		if err != nil {
			return err
		}
		now := s.clock().UTC()
		r = Resource{ID: id, Name: in.Name, DNSName: in.DNSName, Type: in.Type, Description: in.Description,
			Department: in.Department, Location: in.Location, URL: in.URL, Owner: a.Username, CreatedAt: now, UpdatedAt: now}
		if err := tx.Put(resKey(id), r); err != nil {
			return err
		}
		return tx.Put(nameKey(r.Name), id)
	})
	return r, err
}

// mayManage: the owner with resources.manage, or anyone with All Passwords.
func mayManage(a Actor, r Resource) error {
	if a.all() || (a.Role.Has(access.ResourcesManage) && strings.EqualFold(r.Owner, a.Username)) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "You are not allowed to change the resource %s", r.Name)
}

// UpdateResource edits a resource.
func (s *Service) UpdateResource(a Actor, rid uint64, in ResourceInput) (Resource, error) {
	var r Resource
	err := s.change(a, "edit resource", fmt.Sprint(rid), func(tx *store.Txn) error {
		var err error
		if r, err = GetResource(tx, a.Principal, rid); err != nil {
			return err
		}
		if err := mayManage(a, r); err != nil {
			return err
		}
		if err := in.validate(); err != nil {
			return err
		}
		if !strings.EqualFold(in.Name, r.Name) {
			if ok, err := tx.Has(nameKey(in.Name)); err != nil || ok {
				if err == nil {
					err = apperr.Field("name", "Resource Name: a resource with this name already exists")
				}
				return err
			}
			if err := tx.Delete(nameKey(r.Name)); err != nil {
				return err
			}
		}
		r.Name, r.DNSName, r.Type, r.Description = in.Name, in.DNSName, in.Type, in.Description
		r.Department, r.Location, r.URL, r.UpdatedAt = in.Department, in.Location, in.URL, s.clock().UTC()
		if err := tx.Put(resKey(rid), r); err != nil {
			return err
		}
		return tx.Put(nameKey(r.Name), rid)
	})
	return r, err
}

// DeleteResource removes a resource, its accounts and their shares.
func (s *Service) DeleteResource(a Actor, rid uint64) error {
	return s.change(a, "delete resource", fmt.Sprint(rid), func(tx *store.Txn) error {
		r, err := GetResource(tx, a.Principal, rid)
		if err != nil {
			return err
		}
		if err := mayManage(a, r); err != nil {
			return err
		}
		var keys []string
		collect := func(prefix string, match func(string) bool) error {
			return tx.Each(prefix, func(k string, _ func(any) error) (bool, error) {
				if match == nil || match(k) {
					keys = append(keys, k)
				}
				return true, nil
			})
		}
		if err := collect(acctListPrefix(rid), nil); err != nil {
			return err
		}
		if err := collect(sharePrefix, func(k string) bool {
			r2, _, ok := parseShareKey(k)
			return ok && r2 == rid
		}); err != nil {
			return err
		}
		keys = append(keys, resKey(rid), nameKey(r.Name))
		for _, k := range keys {
			if err := tx.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}

// AccountInput is the Add Account form.
type AccountInput struct {
	Name, Password, Notes string
}

func (in *AccountInput) validate(creating bool) error {
	var f apperr.Form
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 128 {
		f.Add("accountName", "Account Name: required, at most 128 characters")
	}
	if creating || in.Password != "" {
		if err := validatePassword(in.Password); err != nil {
			f.Check(err)
		}
	}
	if utf8.RuneCountInString(in.Notes) > 2000 {
		f.Add("notes", "Notes: at most 2000 characters")
	}
	return f.Err()
}

// CreateAccount adds an account to a resource the actor manages.
func (s *Service) CreateAccount(a Actor, rid uint64, in AccountInput) (Account, error) {
	var acct Account
	err := s.change(a, "create account", fmt.Sprintf("%d/%s", rid, in.Name), func(tx *store.Txn) error {
		r, err := GetResource(tx, a.Principal, rid)
		if err != nil {
			return err
		}
		if err := mayManage(a, r); err != nil {
			return err
		}
		if err := in.validate(true); err != nil {
			return err
		}
		existing, err := Accounts(tx, a.Principal, rid)
		if err != nil {
			return err
		}
		for _, x := range existing {
			if strings.EqualFold(x.Name, in.Name) {
				return apperr.Field("accountName", "Account Name: this resource already has an account with this name")
			}
		}
		id, err := nextID(tx)
		if err != nil {
			return err
		}
		acct = Account{ID: id, ResourceID: rid, Name: in.Name, Password: in.Password, Notes: in.Notes, UpdatedAt: s.clock().UTC()}
		return tx.Put(acctKey(rid, id), acct)
	})
	return acct, err
}

// UpdateAccount edits an account; an empty password keeps the old one.
func (s *Service) UpdateAccount(a Actor, rid, aid uint64, in AccountInput) (Account, error) {
	var acct Account
	err := s.change(a, "edit account", fmt.Sprintf("%d/%d", rid, aid), func(tx *store.Txn) error {
		r, cur, err := GetAccount(tx, a.Principal, rid, aid)
		if err != nil {
			return err
		}
		if err := mayManage(a, r); err != nil {
			return err
		}
		if err := in.validate(false); err != nil {
			return err
		}
		cur.Name, cur.Notes, cur.UpdatedAt = in.Name, in.Notes, s.clock().UTC()
		if in.Password != "" {
			cur.Password = in.Password
		}
		acct = cur
		return tx.Put(acctKey(rid, aid), cur)
	})
	return acct, err
}

// DeleteAccount removes an account and its shares.
func (s *Service) DeleteAccount(a Actor, rid, aid uint64) error {
	return s.change(a, "delete account", fmt.Sprintf("%d/%d", rid, aid), func(tx *store.Txn) error {
		r, _, err := GetAccount(tx, a.Principal, rid, aid)
		if err != nil {
			return err
		}
		if err := mayManage(a, r); err != nil {
			return err
		}
		suffix := fmt.Sprintf("/acct/%020d/%020d", rid, aid)
		var keys []string
		if err := tx.Each(sharePrefix, func(k string, _ func(any) error) (bool, error) {
			if strings.HasSuffix(k, suffix) {
				keys = append(keys, k)
			}
			return true, nil
		}); err != nil {
			return err
		}
		keys = append(keys, acctKey(rid, aid))
		for _, k := range keys {
			if err := tx.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}

// ShareInput shares a resource (AccountID 0) or one account with a user.
type ShareInput struct {
	ResourceID, AccountID uint64
	Grantee               string // username of a user or API user; the caller checks it exists
	Permission            Permission
}

// Share grants (or changes) a share.
func (s *Service) Share(a Actor, in ShareInput) error {
	target := shareTarget(in) + " (" + string(in.Permission) + ")"
	return s.change(a, "share", target, func(tx *store.Txn) error {
		r, err := GetResource(tx, a.Principal, in.ResourceID)
		if err != nil {
			return err
		}
		if !a.Role.Has(access.PasswordsShare) {
			return apperr.New(apperr.Forbidden, "You are not allowed to share passwords")
		}
		if err := mayManage(a, r); err != nil {
			return err
		}
		if in.Permission != View && in.Permission != Modify {
			return apperr.Field("permission", "Permission: view or modify")
		}
		key := resShareKey(in.Grantee, in.ResourceID)
		if in.AccountID != 0 {
			if _, _, err := GetAccount(tx, a.Principal, in.ResourceID, in.AccountID); err != nil {
				return err
			}
			key = acctShareKey(in.Grantee, in.ResourceID, in.AccountID)
		}
		return tx.Put(key, in.Permission)
	})
}

// Unshare removes a share.
func (s *Service) Unshare(a Actor, in ShareInput) error {
	target := shareTarget(in)
	return s.change(a, "unshare", target, func(tx *store.Txn) error {
		r, err := GetResource(tx, a.Principal, in.ResourceID)
		if err != nil {
			return err
		}
		if err := mayManage(a, r); err != nil {
			return err
		}
		key := resShareKey(in.Grantee, in.ResourceID)
		if in.AccountID != 0 {
			key = acctShareKey(in.Grantee, in.ResourceID, in.AccountID)
		}
		return tx.Delete(key)
	})
}

// Grant is one share as the Share dialog lists it.
type Grant struct {
	Grantee    string     `json:"grantee"`
	AccountID  uint64     `json:"accountId"` // 0: the whole resource
	Permission Permission `json:"permission"`
}

// Shares lists who a resource (and its accounts) is shared with.
func (s *Service) Shares(p Principal, rid uint64) ([]Grant, error) {
	var out []Grant
	err := s.st.View(func(tx *store.Txn) error {
		if _, err := GetResource(tx, p, rid); err != nil {
			return err
		}
		return tx.Each(sharePrefix, func(k string, decode func(any) error) (bool, error) {
			r2, aid, ok := parseShareKey(k)
			if !ok || r2 != rid {
				return true, nil
			}
			var perm Permission
			if err := decode(&perm); err != nil {
				return false, err
			}
			grantee := strings.Split(strings.TrimPrefix(k, sharePrefix), "/")[0]
			out = append(out, Grant{Grantee: grantee, AccountID: aid, Permission: perm})
			return true, nil
		})
	})
	return out, err
}

// shareTarget names a share for the audit trail.
func shareTarget(in ShareInput) string {
	if in.AccountID == 0 {
		return fmt.Sprintf("resource %d -> %s", in.ResourceID, in.Grantee)
	}
	return fmt.Sprintf("resource %d account %d -> %s", in.ResourceID, in.AccountID, in.Grantee)
}
