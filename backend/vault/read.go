package vault

import (
	"errors"
	"fmt"
	"strings"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/store"
)

// Summary is a resource as lists show it, with how many of its accounts
// the actor sees.
type Summary struct {
	Resource
	Accounts int `json:"accounts"`
}

// Detail is a resource with the accounts the actor sees (no passwords) and
// who it is shared with.
type Detail struct {
	Resource Resource
	Accounts []Account
	Shares   []Grant
}

// Grant is one share as the Share dialog lists it.
type Grant struct {
	Grantee    string     `json:"grantee"`   // username
	GranteeID  string     `json:"granteeId"` // user id
	AccountID  uint64     `json:"accountId"` // 0: the whole resource
	Permission Permission `json:"permission"`
}

// Purpose says why a password is read, for its audit record.
type Purpose struct {
	Copy     bool   // copied to the clipboard rather than shown
	Reason   string // PMP's REASON
	TicketID string // PMP's TICKETID
}

func (p Purpose) op() string {
	if p.Copy {
		return "copy password"
	}
	return "reveal password"
}

func (p Purpose) reason() string {
	var parts []string
	if p.Reason != "" {
		parts = append(parts, "reason: "+p.Reason)
	}
	if p.TicketID != "" {
		parts = append(parts, "ticket: "+p.TicketID)
	}
	return strings.Join(parts, " ")
}

// read runs a read use case for a (audited when a is an API user).
func (s *Service) read(a access.Actor, op, target string, fn func(tx *store.Txn, p access.Principal, rec *audit.Record) error) error {
	return s.audit.Read(s.st, s.users, a, op, target, fn)
}

// act runs a change (or a password read) for a, audited.
func (s *Service) act(a access.Actor, op, target string, fn func(tx *store.Txn, p access.Principal, rec *audit.Record) error) error {
	return s.audit.Act(s.st, s.users, a, op, target, fn)
}

func resTarget(rid uint64) string       { return fmt.Sprintf("resource %d", rid) }
func acctTarget(rid, aid uint64) string { return fmt.Sprintf("resource %d account %d", rid, aid) }

// ListResources returns the resources a may see, in id order, each with
// the number of its accounts that a sees.
func (s *Service) ListResources(a access.Actor) ([]Summary, error) {
	var out []Summary
	err := s.read(a, "list resources", "", func(tx *store.Txn, p access.Principal, _ *audit.Record) error {
		rs, err := listResources(tx, p)
		if err != nil {
			return err
		}
		out = make([]Summary, 0, len(rs))
		for _, r := range rs {
			accts, err := accounts(tx, p, r)
			if err != nil {
				return err
			}
			out = append(out, Summary{Resource: r, Accounts: len(accts)})
		}
		return nil
	})
	return out, err
}

// GetResource returns a resource a may see with its accounts (no
// passwords) and, to those who may manage it, its shares (a grantee is
// not told who else holds one).
func (s *Service) GetResource(a access.Actor, rid uint64) (Detail, error) {
	var d Detail
	err := s.read(a, "view resource", resTarget(rid), func(tx *store.Txn, p access.Principal, rec *audit.Record) error {
		r, err := getResource(tx, p, rid)
		if err != nil {
			return err
		}
		rec.Target = r.Name
		if d.Accounts, err = accounts(tx, p, r); err != nil {
			return err
		}
		d.Resource = r
		if mayManage(p, r) != nil {
			return nil
		}
		d.Shares, err = shares(tx, rid)
		return err
	})
	return d, err
}

// GetAccount returns one account a may see, without its password.
func (s *Service) GetAccount(a access.Actor, rid, aid uint64) (Resource, Account, error) {
	var r Resource
	var acct Account
	err := s.read(a, "view account", acctTarget(rid, aid), func(tx *store.Txn, p access.Principal, rec *audit.Record) error {
		var err error
		if r, acct, err = getAccount(tx, p, rid, aid); err != nil {
			return err
		}
		rec.Target = r.Name + " / " + acct.Name
		acct.Password = ""
		return nil
	})
	return r, acct, err
}

// ResourceIDByName returns the id of a resource a may see, by its name
// (any case).
func (s *Service) ResourceIDByName(a access.Actor, name string) (uint64, error) {
	var id uint64
	err := s.read(a, "find resource", name, func(tx *store.Txn, p access.Principal, _ *audit.Record) error {
		var err error
		id, err = resourceIDByName(tx, p, name)
		return err
	})
	return id, err
}

// AccountIDByName finds a resource and one of its accounts by names.
func (s *Service) AccountIDByName(a access.Actor, resource, account string) (rid, aid uint64, err error) {
	err = s.read(a, "find account", resource+" / "+account, func(tx *store.Txn, p access.Principal, _ *audit.Record) error {
		var err error
		rid, aid, err = accountByName(tx, p, resource, account)
		return err
	})
	return rid, aid, err
}

// RevealPassword returns an account's password to a holder of
// passwords.view who may see the account. Its audit record (with the
// purpose's reason and ticket) commits before the password is returned:
// no password leaves unrecorded.
func (s *Service) RevealPassword(a access.Actor, rid, aid uint64, why Purpose) (string, error) {
	_, acct, err := s.RevealAccount(a, rid, aid, why)
	if err != nil {
		return "", err
	}
	return acct.Password, nil
}

// RevealAccount is RevealPassword with the resource and the account (PMP's
// getResourceAccountDetails). When the account asks for a reason or ticket
// id that why lacks, the refusal (ErrPurposeMissing) comes with the
// resource and account, password blank, so that a face can say what is
// missing beside them.
func (s *Service) RevealAccount(a access.Actor, rid, aid uint64, why Purpose) (Resource, Account, error) {
	var r Resource
	var acct Account
	gen := s.gen.Load() // before Reveal's read opens
	err := s.audit.Reveal(s.st, s.users, a, why.op(), acctTarget(rid, aid), func(tx *store.Txn, p access.Principal, rec *audit.Record) error {
		get := getAccount
		if tx.ReadOnly() {
			get = func(tx *store.Txn, p access.Principal, rid, aid uint64) (Resource, Account, error) {
				return s.cachedAccount(tx, gen, p, rid, aid)
			}
		}
		var err error
		r, acct, err = passwordWith(get, tx, p, rid, aid, access.PasswordsView, why, rec)
		return err
	})
	if err != nil {
		acct.Password = ""
		if !errors.Is(err, ErrPurposeMissing) {
			return Resource{}, Account{}, err
		}
	}
	return r, acct, err
}

// ChangePassword sets a new password for a holder of passwords.modify who
// owns the resource, sees all passwords, or holds a modify share.
func (s *Service) ChangePassword(a access.Actor, rid, aid uint64, password string, why Purpose) error {
	return s.act(a, "change password", acctTarget(rid, aid), func(tx *store.Txn, p access.Principal, rec *audit.Record) error {
		return s.changePassword(tx, p, rid, aid, password, why, rec)
	})
}

func (s *Service) changePassword(tx *store.Txn, p access.Principal, rid, aid uint64, password string, why Purpose, rec *audit.Record) error {
	r, acct, err := passwordOf(tx, p, rid, aid, access.PasswordsModify, why, rec)
	if err != nil {
		return err
	}
	ok, err := mayModify(tx, p, r, aid)
	if err != nil {
		return err
	}
	if !ok {
		return apperr.New(apperr.Forbidden, "This account is shared with you for viewing only")
	}
	if err := validatePassword(password); err != nil {
		return err
	}
	acct.Password, acct.UpdatedAt = password, s.clock().UTC()
	return tx.Put(acctKey(rid, aid), acct)
}

// passwordOf reads an account whose password p wants to view or modify
// (perm), naming it and the purpose in the audit record.
func passwordOf(tx *store.Txn, p access.Principal, rid, aid uint64, perm access.Permission, why Purpose, rec *audit.Record) (Resource, Account, error) {
	return passwordWith(getAccount, tx, p, rid, aid, perm, why, rec)
}

// passwordWith is passwordOf reading the account with get.
func passwordWith(get func(*store.Txn, access.Principal, uint64, uint64) (Resource, Account, error), tx *store.Txn,
	p access.Principal, rid, aid uint64, perm access.Permission, why Purpose, rec *audit.Record) (Resource, Account, error) {
	rec.Reason = why.reason()
	r, acct, err := get(tx, p, rid, aid)
	if err != nil {
		return r, acct, err
	}
	rec.Target = r.Name + " / " + acct.Name
	if !p.Has(perm) {
		verb := map[access.Permission]string{access.PasswordsView: "view", access.PasswordsModify: "modify"}[perm]
		return r, acct, apperr.New(apperr.Forbidden, "You are not allowed to %s passwords", verb)
	}
	if perm == access.PasswordsView {
		return r, acct, acct.demands(why)
	}
	return r, acct, nil
}

// demands refuses a retrieval without the reason or ticket id that the
// account asks for.
func (acct Account) demands(why Purpose) error {
	missing := func(field, msg string) error {
		return &apperr.Error{Code: apperr.Invalid, Field: field, Message: msg, Err: ErrPurposeMissing}
	}
	switch {
	case acct.ReasonRequired && strings.TrimSpace(why.Reason) == "":
		return missing("reason", MsgReasonRequired)
	case acct.TicketMandatory && strings.TrimSpace(why.TicketID) == "":
		return missing("ticketId", MsgTicketRequired)
	}
	return nil
}

// shares lists who a resource (and its accounts) is shared with.
func shares(tx *store.Txn, rid uint64) ([]Grant, error) {
	var out []Grant
	err := tx.Each(grantPrefix, func(k string, decode func(any) error) (bool, error) {
		r2, aid, ok := parseShareKey(k)
		if !ok || r2 != rid {
			return true, nil
		}
		var sh share
		if err := decode(&sh); err != nil {
			return false, err
		}
		id := strings.Split(strings.TrimPrefix(k, grantPrefix), "/")[0]
		out = append(out, Grant{Grantee: sh.Grantee, GranteeID: id, AccountID: aid, Permission: sh.Permission})
		return true, nil
	})
	return out, err
}

// accountByName finds an account p may see by resource and account names.
func accountByName(tx *store.Txn, p access.Principal, resource, account string) (rid, aid uint64, err error) {
	if rid, err = resourceIDByName(tx, p, resource); err != nil {
		return 0, 0, err
	}
	r, err := getResource(tx, p, rid)
	if err != nil {
		return 0, 0, err
	}
	accts, err := accounts(tx, p, r)
	if err != nil {
		return 0, 0, err
	}
	for _, x := range accts {
		if strings.EqualFold(x.Name, account) {
			return rid, x.ID, nil
		}
	}
	return 0, 0, notFound()
}

// RevealPasswordByName is RevealPassword for a client that names the
// resource and account (the SSH CLI, XML-RPC), in one transaction.
func (s *Service) RevealPasswordByName(a access.Actor, resource, account string, why Purpose) (string, error) {
	var pw string
	err := s.act(a, why.op(), resource+" / "+account, func(tx *store.Txn, p access.Principal, rec *audit.Record) error {
		rid, aid, err := accountByName(tx, p, resource, account)
		if err != nil {
			return err
		}
		_, acct, err := passwordOf(tx, p, rid, aid, access.PasswordsView, why, rec)
		pw = acct.Password
		return err
	})
	if err != nil {
		return "", err
	}
	return pw, nil
}

// ChangePasswordByName is ChangePassword by resource and account names.
func (s *Service) ChangePasswordByName(a access.Actor, resource, account, password string, why Purpose) error {
	return s.act(a, "change password", resource+" / "+account, func(tx *store.Txn, p access.Principal, rec *audit.Record) error {
		rid, aid, err := accountByName(tx, p, resource, account)
		if err != nil {
			return err
		}
		return s.changePassword(tx, p, rid, aid, password, why, rec)
	})
}
