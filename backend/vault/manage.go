package vault

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/hostcheck"
	"hostbound/backend/store"
)

// ResourceInput is the Add Resource form.
type ResourceInput struct {
	Name, DNSName, Type, Description, Department, Location, URL string
	// Owner is the username of the resource's owner: blank for the actor.
	// Giving a resource to someone else needs the All Passwords scope.
	Owner string
}

// ResourcePatch changes the fields that are set (PMP's PUT sends some).
type ResourcePatch struct {
	Name, DNSName, Type, Description, Department, Location, URL, Owner *string
}

func (pt ResourcePatch) apply(in *ResourceInput) {
	for _, f := range []struct {
		dst *string
		src *string
	}{{&in.Name, pt.Name}, {&in.DNSName, pt.DNSName}, {&in.Type, pt.Type}, {&in.Description, pt.Description},
		{&in.Department, pt.Department}, {&in.Location, pt.Location}, {&in.URL, pt.URL}, {&in.Owner, pt.Owner}} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
}

// Patch is the patch that sets every field of in.
func (in ResourceInput) Patch() ResourcePatch {
	return ResourcePatch{&in.Name, &in.DNSName, &in.Type, &in.Description, &in.Department, &in.Location, &in.URL, &in.Owner}
}

func (r Resource) input() ResourceInput {
	return ResourceInput{Name: r.Name, DNSName: r.DNSName, Type: r.Type, Description: r.Description,
		Department: r.Department, Location: r.Location, URL: r.URL, Owner: r.Owner}
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
func (s *Service) CreateResource(a access.Actor, in ResourceInput) (Resource, error) {
	var r Resource
	err := s.act(a, "create resource", in.Name, func(tx *store.Txn, p access.Principal, _ *audit.Record) error {
		var err error
		r, err = s.createResource(tx, p, in)
		return err
	})
	return r, err
}

// CreateResourceWithAccount adds a resource and its first account in one
// transaction (PMP's XML-RPC pmp.resources.create): both or neither.
func (s *Service) CreateResourceWithAccount(a access.Actor, rin ResourceInput, ain AccountInput) (Resource, Account, error) {
	var r Resource
	var acct Account
	err := s.act(a, "create resource", rin.Name+" / "+ain.Name, func(tx *store.Txn, p access.Principal, _ *audit.Record) error {
		var err error
		if r, err = s.createResource(tx, p, rin); err != nil {
			return err
		}
		acct, err = s.createAccount(tx, p, r, ain)
		return err
	})
	acct.Password = ""
	return r, acct, err
}

func (s *Service) createResource(tx *store.Txn, p access.Principal, in ResourceInput) (Resource, error) {
	if !p.Has(access.ResourcesCreate) {
		return Resource{}, apperr.New(apperr.Forbidden, "You are not allowed to add resources")
	}
	if err := in.validate(); err != nil {
		return Resource{}, err
	}
	if ok, err := tx.Has(nameKey(in.Name)); err != nil {
		return Resource{}, err
	} else if ok {
		e := apperr.Field("name", "Resource Name: a resource with this name already exists")
		e.Err = ErrNameTaken
		return Resource{}, e
	}
	ownerID, owner, err := s.owner(tx, p, in.Owner, p.UserID)
	if err != nil {
		return Resource{}, err
	}
	id, err := nextID(tx)
	if err != nil {
		return Resource{}, err
	}
	now := s.clock().UTC()
	r := Resource{ID: id, Name: in.Name, DNSName: in.DNSName, Type: in.Type, Description: in.Description,
		Department: in.Department, Location: in.Location, URL: in.URL, OwnerID: ownerID, Owner: owner,
		CreatedAt: now, UpdatedAt: now}
	if err := tx.Put(resKey(id), r); err != nil {
		return Resource{}, err
	}
	return r, tx.Put(nameKey(r.Name), id)
}

// owner resolves the owner a resource is to have: the actor (name blank
// or the actor's), the current owner (currentID, when name is theirs), or
// anyone else for a holder of All Passwords, who may see every resource
// anyway; others would hand a resource to a user they cannot vouch for.
func (s *Service) owner(tx *store.Txn, p access.Principal, name, currentID string) (id, username string, err error) {
	if name == "" || strings.EqualFold(name, p.Username) {
		return p.UserID, p.Username, nil
	}
	id, username, err = s.users.UserID(tx, name)
	if apperr.As(err) != nil {
		return "", "", apperr.Field("owner", "Owner: no user named %s", name)
	}
	if err != nil {
		return "", "", err
	}
	if id != currentID && !p.SeesAll() {
		return "", "", apperr.Field("owner", "Owner: only a user with the All Passwords scope may give a resource to someone else")
	}
	return id, username, nil
}

// mayManage: the owner with resources.manage, or anyone with All Passwords.
func mayManage(p access.Principal, r Resource) error {
	if p.SeesAll() || (p.Has(access.ResourcesManage) && owns(p, r)) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "You are not allowed to change the resource %s", r.Name)
}

// UpdateResource edits a resource.
func (s *Service) UpdateResource(a access.Actor, rid uint64, in ResourceInput) (Resource, error) {
	if in.Owner == "" {
		pt := in.Patch()
		pt.Owner = nil // the form leaves the owner as it is
		return s.PatchResource(a, rid, pt)
	}
	return s.PatchResource(a, rid, in.Patch())
}

// PatchResource changes the fields of a resource that pt sets.
func (s *Service) PatchResource(a access.Actor, rid uint64, pt ResourcePatch) (Resource, error) {
	var r Resource
	err := s.act(a, "edit resource", resTarget(rid), func(tx *store.Txn, p access.Principal, rec *audit.Record) error {
		var err error
		if r, err = getResource(tx, p, rid); err != nil {
			return err
		}
		rec.Target = r.Name
		if err := mayManage(p, r); err != nil {
			return err
		}
		in := r.input()
		pt.apply(&in)
		if err := in.validate(); err != nil {
			return err
		}
		if r.OwnerID, r.Owner, err = s.owner(tx, p, in.Owner, r.OwnerID); err != nil {
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
func (s *Service) DeleteResource(a access.Actor, rid uint64) error {
	return s.act(a, "delete resource", resTarget(rid), func(tx *store.Txn, p access.Principal, rec *audit.Record) error {
		r, err := getResource(tx, p, rid)
		if err != nil {
			return err
		}
		rec.Target = r.Name
		if err := mayManage(p, r); err != nil {
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
		if err := collect(grantPrefix, func(k string) bool {
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
	// What a retrieval must give (see Account).
	ReasonRequired, TicketRequired, TicketMandatory bool
}

// AccountPatch changes the fields that are set; a Password set to ""
// keeps the password.
type AccountPatch struct {
	Name, Password, Notes                           *string
	ReasonRequired, TicketRequired, TicketMandatory *bool
}

// Patch is the patch that sets every field of in.
func (in AccountInput) Patch() AccountPatch {
	return AccountPatch{&in.Name, &in.Password, &in.Notes, &in.ReasonRequired, &in.TicketRequired, &in.TicketMandatory}
}

func (pt AccountPatch) apply(in *AccountInput) {
	for _, f := range []struct{ dst, src *string }{{&in.Name, pt.Name}, {&in.Password, pt.Password}, {&in.Notes, pt.Notes}} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	for _, f := range []struct{ dst, src *bool }{{&in.ReasonRequired, pt.ReasonRequired},
		{&in.TicketRequired, pt.TicketRequired}, {&in.TicketMandatory, pt.TicketMandatory}} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
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
	// A ticket id that must be given is a ticket id asked for.
	in.TicketRequired = in.TicketRequired || in.TicketMandatory
	return f.Err()
}

// CreateAccount adds an account to a resource the actor manages.
func (s *Service) CreateAccount(a access.Actor, rid uint64, in AccountInput) (Account, error) {
	accts, err := s.createAccounts(a, rid, []AccountInput{in}, resTarget(rid)+" / "+in.Name, false)
	if err != nil {
		return Account{}, err
	}
	return accts[0], nil
}

// CreateAccounts adds several accounts to a resource in one transaction
// (PMP's ACCOUNTLIST): all of them, or none when any is refused. A field
// error names the account by its place in the list ("accounts.2.notes").
func (s *Service) CreateAccounts(a access.Actor, rid uint64, ins []AccountInput) ([]Account, error) {
	names := make([]string, len(ins))
	for i, in := range ins {
		names[i] = in.Name
	}
	return s.createAccounts(a, rid, ins, resTarget(rid)+" / "+strings.Join(names, ", "), true)
}

// createAccounts adds ins; indexed names the fields of a refusal by the
// account's place in the list.
func (s *Service) createAccounts(a access.Actor, rid uint64, ins []AccountInput, target string, indexed bool) ([]Account, error) {
	out := make([]Account, 0, len(ins))
	err := s.act(a, "create account", target, func(tx *store.Txn, p access.Principal, rec *audit.Record) error {
		r, err := getResource(tx, p, rid)
		if err != nil {
			return err
		}
		if len(ins) == 0 {
			return apperr.Field("accounts", "Accounts: at least one")
		}
		names := make([]string, len(ins))
		for i, in := range ins {
			names[i] = strings.TrimSpace(in.Name)
		}
		rec.Target = r.Name + " / " + strings.Join(names, ", ")
		var f apperr.Form
		for i, in := range ins {
			acct, err := s.createAccount(tx, p, r, in)
			if e := apperr.As(err); e != nil && e.Code == apperr.Invalid && indexed {
				for _, fe := range formFields(e) {
					f.Add(fmt.Sprintf("accounts.%d.%s", i, fe.Field), "Account %d: %s", i+1, fe.Message)
				}
				continue
			}
			if err != nil {
				return err
			}
			acct.Password = ""
			out = append(out, acct)
		}
		return f.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// formFields lists every field error of e.
func formFields(e *apperr.Error) []apperr.FieldError {
	if len(e.Fields) > 0 {
		return e.Fields
	}
	return []apperr.FieldError{{Field: e.Field, Message: e.Message}}
}

func (s *Service) createAccount(tx *store.Txn, p access.Principal, r Resource, in AccountInput) (Account, error) {
	if err := mayManage(p, r); err != nil {
		return Account{}, err
	}
	if err := in.validate(true); err != nil {
		return Account{}, err
	}
	if err := accountNameFree(tx, p, r, in.Name, 0); err != nil {
		return Account{}, err
	}
	id, err := nextID(tx)
	if err != nil {
		return Account{}, err
	}
	acct := Account{ID: id, ResourceID: r.ID, Name: in.Name, Password: in.Password, Notes: in.Notes,
		ReasonRequired: in.ReasonRequired, TicketRequired: in.TicketRequired, TicketMandatory: in.TicketMandatory,
		UpdatedAt: s.clock().UTC()}
	return acct, tx.Put(acctKey(r.ID, id), acct)
}

// accountNameFree refuses a name another account of r has (any case):
// clients find accounts by name, and two would make the answer a guess.
func accountNameFree(tx *store.Txn, p access.Principal, r Resource, name string, except uint64) error {
	existing, err := accounts(tx, p, r)
	if err != nil {
		return err
	}
	for _, x := range existing {
		if x.ID != except && strings.EqualFold(x.Name, name) {
			return apperr.Field("accountName", "Account Name: this resource already has an account with this name")
		}
	}
	return nil
}

// UpdateAccount edits an account; an empty password keeps the old one.
func (s *Service) UpdateAccount(a access.Actor, rid, aid uint64, in AccountInput) (Account, error) {
	return s.PatchAccount(a, rid, aid, in.Patch())
}

// PatchAccount changes the fields of an account that pt sets.
func (s *Service) PatchAccount(a access.Actor, rid, aid uint64, pt AccountPatch) (Account, error) {
	var acct Account
	err := s.act(a, "edit account", acctTarget(rid, aid), func(tx *store.Txn, p access.Principal, rec *audit.Record) error {
		r, cur, err := getAccount(tx, p, rid, aid)
		if err != nil {
			return err
		}
		rec.Target = r.Name + " / " + cur.Name
		if err := mayManage(p, r); err != nil {
			return err
		}
		in := AccountInput{Name: cur.Name, Notes: cur.Notes, ReasonRequired: cur.ReasonRequired,
			TicketRequired: cur.TicketRequired, TicketMandatory: cur.TicketMandatory}
		pt.apply(&in)
		if err := in.validate(false); err != nil {
			return err
		}
		if err := accountNameFree(tx, p, r, in.Name, aid); err != nil {
			return err
		}
		cur.Name, cur.Notes, cur.UpdatedAt = in.Name, in.Notes, s.clock().UTC()
		cur.ReasonRequired, cur.TicketRequired, cur.TicketMandatory = in.ReasonRequired, in.TicketRequired, in.TicketMandatory
		if in.Password != "" {
			cur.Password = in.Password
		}
		acct = cur
		return tx.Put(acctKey(rid, aid), cur)
	})
	acct.Password = ""
	return acct, err
}

// DeleteAccount removes an account and its shares.
func (s *Service) DeleteAccount(a access.Actor, rid, aid uint64) error {
	return s.act(a, "delete account", acctTarget(rid, aid), func(tx *store.Txn, p access.Principal, rec *audit.Record) error {
		r, cur, err := getAccount(tx, p, rid, aid)
		if err != nil {
			return err
		}
		rec.Target = r.Name + " / " + cur.Name
		if err := mayManage(p, r); err != nil {
			return err
		}
		suffix := fmt.Sprintf("/acct/%020d/%020d", rid, aid)
		var keys []string
		if err := tx.Each(grantPrefix, func(k string, _ func(any) error) (bool, error) {
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
	Grantee               string // username of a user or API user
	Permission            Permission
}

// Share grants (or changes) a share. The permission is checked before the
// grantee, so that a refusal tells nothing of who exists to someone who
// may not share.
func (s *Service) Share(a access.Actor, in ShareInput) error {
	target := shareTarget(in) + " (" + string(in.Permission) + ")"
	return s.act(a, "share", target, func(tx *store.Txn, p access.Principal, rec *audit.Record) error {
		if !p.Has(access.PasswordsShare) {
			return apperr.New(apperr.Forbidden, "You are not allowed to share passwords")
		}
		key, err := s.shareKey(tx, p, in, rec)
		if err != nil {
			return err
		}
		if in.Permission != View && in.Permission != Modify {
			return apperr.Field("permission", "Permission: view or modify")
		}
		return tx.Put(key, share{Permission: in.Permission, Grantee: in.Grantee})
	})
}

// Unshare removes a share.
func (s *Service) Unshare(a access.Actor, in ShareInput) error {
	return s.act(a, "unshare", shareTarget(in), func(tx *store.Txn, p access.Principal, rec *audit.Record) error {
		key, err := s.shareKey(tx, p, in, rec)
		if err != nil {
			return err
		}
		return tx.Delete(key)
	})
}

// shareKey checks that p manages the shared resource (and sees the
// account), finds the grantee and names the share readably in rec.
func (s *Service) shareKey(tx *store.Txn, p access.Principal, in ShareInput, rec *audit.Record) (string, error) {
	r, err := getResource(tx, p, in.ResourceID)
	if err != nil {
		return "", err
	}
	if err := mayManage(p, r); err != nil {
		return "", err
	}
	what := r.Name
	if in.AccountID != 0 {
		_, acct, err := getAccount(tx, p, in.ResourceID, in.AccountID)
		if err != nil {
			return "", err
		}
		what += " / " + acct.Name
	}
	rec.Target = what + " -> " + in.Grantee + strings.TrimPrefix(rec.Target, shareTarget(in))
	id, _, err := s.users.UserID(tx, in.Grantee)
	if err != nil {
		return "", err
	}
	if in.AccountID != 0 {
		return acctShareKey(id, in.ResourceID, in.AccountID), nil
	}
	return resShareKey(id, in.ResourceID), nil
}

// shareTarget names a share for the audit trail until its names are read.
func shareTarget(in ShareInput) string {
	if in.AccountID == 0 {
		return fmt.Sprintf("resource %d -> %s", in.ResourceID, in.Grantee)
	}
	return fmt.Sprintf("resource %d account %d -> %s", in.ResourceID, in.AccountID, in.Grantee)
}

// ForgetUser removes what belongs to a deleted user, inside the deletion's
// transaction: every share granted to it, and the ownership of its
// resources, which passes to heir (the operator deleting it). It returns a
// note for the audit record.
func (s *Service) ForgetUser(tx *store.Txn, userID string, heir access.Principal) (string, error) {
	var grants []string
	if err := tx.Each(granteePrefix(userID), func(k string, _ func(any) error) (bool, error) {
		grants = append(grants, k)
		return true, nil
	}); err != nil {
		return "", err
	}
	for _, k := range grants {
		if err := tx.Delete(k); err != nil {
			return "", err
		}
	}
	var owned []Resource
	if err := tx.Each(resPrefix, func(_ string, decode func(any) error) (bool, error) {
		var r Resource
		if err := decode(&r); err != nil {
			return false, err
		}
		if r.OwnerID == userID {
			owned = append(owned, r)
		}
		return true, nil
	}); err != nil {
		return "", err
	}
	for _, r := range owned {
		r.OwnerID, r.Owner, r.UpdatedAt = heir.UserID, heir.Username, s.clock().UTC()
		if err := tx.Put(resKey(r.ID), r); err != nil {
			return "", err
		}
	}
	var notes []string
	if len(grants) > 0 {
		notes = append(notes, fmt.Sprintf("%d shares removed", len(grants)))
	}
	if len(owned) > 0 {
		notes = append(notes, fmt.Sprintf("%d resources passed to %s", len(owned), heir.Username))
	}
	return strings.Join(notes, ", "), nil
}
