package users

import (
	"errors"
	"strings"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/store"
)

func forbidden(format string, args ...any) error {
	return apperr.New(apperr.Forbidden, format, args...)
}

// put writes u and updates the index once the transaction commits.
func (s *Service) put(tx *store.Txn, u *User) error {
	if err := s.dropUsesOfAReplacedKey(tx, u); err != nil {
		return err
	}
	if err := tx.Put(userKey(u.Username), u); err != nil {
		return err
	}
	cp := *u
	tx.AfterCommit(func() { s.idx.set(&cp) })
	s.changed(tx)
	return nil
}

// dropUsesOfAReplacedKey forgets the uses counted earlier in tx's batch
// when u's API key is replaced: they were uses of the old key, and the
// batch writes its uses on the key it leaves (snapshot.go).
func (s *Service) dropUsesOfAReplacedKey(tx *store.Txn, u *User) error {
	m, _ := tx.Local(usesKey{}, nil).(uses)
	name := strings.ToLower(u.Username)
	if m[name] == nil {
		return nil
	}
	var old User
	if err := tx.Get(userKey(u.Username), &old); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if old.APIKey == nil || u.APIKey == nil || old.APIKey.Hash != u.APIKey.Hash {
		delete(m, name)
	}
	return nil
}

// change runs fn as actor a in one transaction together with its audit
// record; fn gets a as the store says it is now. A refusal is audited too.
func (s *Service) change(a access.Actor, op, target string, fn func(tx *store.Txn, p access.Principal) error) error {
	if _, err := s.index(); err != nil {
		return err
	}
	return s.audit.Act(s.st, s, a, op, target, withoutRecord(fn))
}

// read runs fn for actor a in a read transaction (audited for API users).
func (s *Service) read(a access.Actor, op, target string, fn func(tx *store.Txn, p access.Principal) error) error {
	return s.audit.Read(s.st, s, a, op, target, withoutRecord(fn))
}

func withoutRecord(fn func(tx *store.Txn, p access.Principal) error) func(*store.Txn, access.Principal, *audit.Record) error {
	return func(tx *store.Txn, p access.Principal, _ *audit.Record) error { return fn(tx, p) }
}

// record is an audit record of actor a.
func record(a access.Actor, fullName, op, target string) audit.Record {
	r := audit.Record{Actor: a.Username, ActorName: fullName, ActorKind: string(a.Kind), Source: a.Source,
		Operation: op, Target: target}
	if a.App != "" {
		r.Reason = "app: " + a.App // as audit.Act notes it in the call's own record
	}
	return r
}

// mayManage checks that the principal may manage users of kind k.
func mayManage(p access.Principal, k Kind) error {
	if k == KindAPI && !p.Has(access.APIUsersManage) && !p.Has(access.UsersManage) {
		return forbidden("You are not allowed to manage API users")
	}
	if k == KindOperator && !p.Has(access.UsersManage) {
		return forbidden("You are not allowed to manage users")
	}
	return nil
}

// checkGrant applies the grant rules of PRODUCT.md §1 to giving role and
// scope to target (nil for a new user).
func (s *Service) checkGrant(tx *store.Txn, p access.Principal, target *User, roleID string, scope access.Scope) error {
	r, err := role(tx, roleID)
	if err != nil {
		return err
	}
	if target != nil && isSelf(p, target) && (target.Role != roleID || target.Scope != scope) {
		return forbidden("You cannot change your own access level or scope")
	}
	if missing := access.Missing(p.Role, r); len(missing) > 0 {
		return apperr.Field("role", "Access Level: you cannot grant %s, which holds permissions you do not have (%s)", r.Name, joinPerms(missing))
	}
	switch scope {
	case access.ScopeOwnedShared:
	case access.ScopeAll:
		if !r.MayHaveAllPasswords() {
			return apperr.Field("scope", "Access Scope: All Passwords is only for the administrator roles")
		}
		if !p.SeesAll() {
			return apperr.Field("scope", "Access Scope: only a Super Administrator can grant All Passwords")
		}
	default:
		return apperr.Field("scope", "Access Scope: choose Passwords Owned and Shared or All Passwords")
	}
	return nil
}

// keepsAPrivilegedAdmin refuses a change that would leave no enabled
// Privileged Administrator. The others are counted as tx reads them, not
// as the index last saw them: changes earlier in the batch, or committed
// by another node, count. The index only names the candidates (one that
// another node has just promoted may be missing: that refuses, not allows).
func (s *Service) keepsAPrivilegedAdmin(tx *store.Txn, old *User, newRole string, disabled, deleted bool) error {
	if old.Kind != KindOperator || old.Role != access.PrivilegedAdmin || old.Disabled {
		return nil
	}
	if newRole == access.PrivilegedAdmin && !disabled && !deleted {
		return nil
	}
	x, err := s.index()
	if err != nil {
		return err
	}
	for _, name := range x.enabled(access.PrivilegedAdmin) {
		if name == strings.ToLower(old.Username) {
			continue
		}
		var u User
		err := tx.Get(userKey(name), &u)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if u.Kind == KindOperator && u.Role == access.PrivilegedAdmin && !u.Disabled {
			return nil
		}
	}
	return apperr.New(apperr.Conflict, "%s is the last Privileged Administrator and must stay one", old.Username)
}

func (s *Service) load(tx *store.Txn, username string) (*User, error) {
	var u User
	err := tx.Get(userKey(username), &u)
	if errors.Is(err, store.ErrNotFound) {
		return nil, apperr.New(apperr.NotFound, "No user named %s", username)
	}
	return &u, err
}

// loadTarget loads the user p wants to change and checks p may act on it.
func (s *Service) loadTarget(tx *store.Txn, p access.Principal, username string) (*User, error) {
	if err := managesSome(p); err != nil {
		return nil, err
	}
	u, err := s.load(tx, username)
	if err != nil {
		return nil, err
	}
	return u, s.mayActOn(tx, p, u)
}

// managesSome refuses p unless it may manage some users: whether a user
// (by name or by id) exists is nobody's business who may manage none.
func managesSome(p access.Principal) error {
	if !p.Has(access.UsersManage) && !p.Has(access.APIUsersManage) {
		return forbidden("You are not allowed to manage users")
	}
	return nil
}

// SetDisabled disables or enables a user. A disabled API user's key stops
// working; a disabled operator cannot log in.
func (s *Service) SetDisabled(a access.Actor, username string, disabled bool) (*User, error) {
	return s.setDisabled(a, username, "", disabled)
}

// SetDisabledByID is SetDisabled for the user with this id (PMP's lock and
// unlock by USERID).
func (s *Service) SetDisabledByID(a access.Actor, id string, disabled bool) (*User, error) {
	return s.setDisabled(a, s.nameOf(id), id, disabled)
}

// nameOf is the username of the user with this id ("" when none or when
// the store cannot be read), from the index; the use case checks the id
// again in its transaction.
func (s *Service) nameOf(id string) string {
	x, err := s.index()
	if err != nil {
		return ""
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	for _, e := range x.entries {
		if e.id() == id {
			return e.username()
		}
	}
	return ""
}

// loadTargetAs is loadTarget that also checks the user's id when wantID
// is set: a user deleted and re-created under the name is another user.
func (s *Service) loadTargetAs(tx *store.Txn, p access.Principal, username, wantID string) (*User, error) {
	if wantID != "" && username == "" {
		if err := managesSome(p); err != nil {
			return nil, err
		}
		return nil, apperr.New(apperr.NotFound, "No user with id %s", wantID)
	}
	u, err := s.loadTarget(tx, p, username)
	if err == nil && wantID != "" && u.ID != wantID {
		return nil, apperr.New(apperr.NotFound, "No user with id %s", wantID)
	}
	return u, err
}

func (s *Service) setDisabled(a access.Actor, username, wantID string, disabled bool) (*User, error) {
	op := "enable user"
	if disabled {
		op = "disable user"
	}
	var out *User
	err := s.change(a, op, username, func(tx *store.Txn, p access.Principal) error {
		u, err := s.loadTargetAs(tx, p, username, wantID)
		if err != nil {
			return err
		}
		if isSelf(p, u) {
			return forbidden("You cannot disable yourself")
		}
		if err := s.keepsAPrivilegedAdmin(tx, u, u.Role, disabled, false); err != nil {
			return err
		}
		u.Disabled = disabled
		u.UpdatedAt = s.clock().UTC()
		out = u
		return s.put(tx, u)
	})
	return out, err
}

// DeleteHook removes what belongs to a deleted user in the same
// transaction (the vault's shares, and its resources pass to heir, the
// operator deleting it). It returns a note for the audit record.
type DeleteHook func(tx *store.Txn, gone *User, heir access.Principal) (string, error)

// OnDelete registers what must go with a deleted user (core wires the
// vault here).
func (s *Service) OnDelete(h DeleteHook) { s.onDelete = append(s.onDelete, h) }

// Delete removes a user, its key, and (through the delete hooks) its
// shares; resources it owned pass to the operator who deletes it.
func (s *Service) Delete(a access.Actor, username string) error {
	return s.delete(a, username, "")
}

// DeleteByID is Delete for the user with this id (PMP's DELETE /user/{id}).
func (s *Service) DeleteByID(a access.Actor, id string) error {
	return s.delete(a, s.nameOf(id), id)
}

func (s *Service) delete(a access.Actor, username, wantID string) error {
	target := username
	if target == "" {
		target = "user id " + wantID
	}
	return s.audit.Act(s.st, s, a, "delete user", target, func(tx *store.Txn, p access.Principal, rec *audit.Record) error {
		u, err := s.loadTargetAs(tx, p, username, wantID)
		if err != nil {
			return err
		}
		if isSelf(p, u) {
			return forbidden("You cannot delete yourself")
		}
		if err := s.keepsAPrivilegedAdmin(tx, u, u.Role, false, true); err != nil {
			return err
		}
		if err := s.dropKey(tx, u); err != nil {
			return err
		}
		var notes []string
		for _, h := range s.onDelete {
			note, err := h(tx, u, p)
			if err != nil {
				return err
			}
			if note != "" {
				notes = append(notes, note)
			}
		}
		rec.Reason = strings.Join(notes, "; ")
		if err := tx.Delete(userKey(u.Username)); err != nil {
			return err
		}
		s.changed(tx)
		if err := tx.Delete(failKey(s.pepper, u.Username)); err != nil {
			return err
		}
		tx.AfterCommit(func() { s.idx.remove(u.Username) })
		return nil
	})
}

// List runs a query over the index. Managing users, reading reports and
// choosing whom to share with need the list; nothing else does.
func (s *Service) List(a access.Actor, q Query) (Page, error) {
	var page Page
	err := s.read(a, "list users", "", func(tx *store.Txn, p access.Principal) error {
		if !p.Has(access.UsersManage) && !p.Has(access.APIUsersManage) && !p.Has(access.ReportsView) && !p.Has(access.PasswordsShare) {
			return forbidden("You are not allowed to list users")
		}
		x, err := s.index()
		if err != nil {
			return err
		}
		roles, err := s.roleNames(tx)
		page = x.query(q, s.clock())
		page.Roles = roles
		return err
	})
	return page, err
}

const msgMayNotView = "You are not allowed to view this user"

// Get returns one user with every detail (email, host, SSH key,
// certificate, key use). A user may read themselves; anybody else needs
// the permission to manage that kind of user.
func (s *Service) Get(a access.Actor, username string) (*User, error) {
	var out *User
	err := s.read(a, "view user", username, func(tx *store.Txn, p access.Principal) error {
		u, err := s.load(tx, username)
		if err != nil {
			if e := apperr.As(err); e != nil && !p.Has(access.UsersManage) && !p.Has(access.APIUsersManage) {
				return forbidden(msgMayNotView) // the same answer whether the user exists or not
			}
			return err
		}
		if !isSelf(p, u) {
			if err := mayManage(p, u.Kind); err != nil {
				return forbidden(msgMayNotView)
			}
		}
		out = u
		return nil
	})
	return out, err
}

// Me returns the actor's own user record and principal (the desktop's
// header and permissions).
func (s *Service) Me(a access.Actor) (*User, access.Principal, error) {
	var u *User
	var p access.Principal
	err := s.st.View(func(tx *store.Txn) error {
		var err error
		u, p, err = s.resolve(tx, a)
		return err
	})
	return u, p, err
}

// OperatorInput is the Add User / Edit User form for operators.
type OperatorInput struct {
	Username, FullName, Email, Password, ConfirmPassword string
	Role                                                 string
	Scope                                                access.Scope
	Department, Location                                 string
}

func (in *OperatorInput) validate(f *apperr.Form, creating bool) {
	in.Username, in.FullName, in.Email = strings.TrimSpace(in.Username), strings.TrimSpace(in.FullName), strings.TrimSpace(in.Email)
	if creating {
		f.Check(ValidateUsername(in.Username))
	}
	f.Check(ValidateFullName(in.FullName))
	f.Check(ValidateEmail(in.Email))
	if creating || in.Password != "" {
		f.Check(ValidatePassword(in.Password, in.ConfirmPassword))
	}
	f.Check(ValidateText("department", "Department", in.Department))
	f.Check(ValidateText("location", "Location", in.Location))
	if in.Role == "" {
		f.Add("role", "Access Level: required")
	}
}

// CreateOperator adds an operator who logs in with a password.
func (s *Service) CreateOperator(a access.Actor, in OperatorInput) (*User, error) {
	var out *User
	err := s.change(a, "create user", in.Username, func(tx *store.Txn, p access.Principal) error {
		if err := mayManage(p, KindOperator); err != nil {
			return err
		}
		if id, ok := roleIDOf(tx, in.Role); ok {
			in.Role = id
		}
		var f apperr.Form
		in.validate(&f, true)
		if err := f.Err(); err != nil {
			return err
		}
		if err := usernameFree(tx, in.Username); err != nil {
			return err
		}
		if err := s.checkGrant(tx, p, nil, in.Role, in.Scope); err != nil {
			return err
		}
		hash, err := s.hasher.Hash(in.Password)
		if err != nil {
			return err
		}
		now := s.clock().UTC()
		out = &User{ID: newID(), Username: in.Username, Kind: KindOperator, FullName: in.FullName, Email: in.Email,
			Role: in.Role, Scope: in.Scope, PasswordHash: hash, Department: in.Department, Location: in.Location,
			CreatedAt: now, UpdatedAt: now, CreatedBy: p.Username}
		return s.put(tx, out)
	})
	return out, err
}

// UpdateOperator edits an operator; the username is fixed, the password
// changes only when given.
func (s *Service) UpdateOperator(a access.Actor, username string, in OperatorInput) (*User, error) {
	var out *User
	err := s.change(a, "edit user", username, func(tx *store.Txn, p access.Principal) error {
		u, err := s.load(tx, username)
		if err != nil {
			return err
		}
		if u.Kind != KindOperator {
			return apperr.New(apperr.Invalid, "%s is an API user", username)
		}
		if err := s.mayActOn(tx, p, u); err != nil {
			return err
		}
		var f apperr.Form
		in.validate(&f, false)
		if err := f.Err(); err != nil {
			return err
		}
		if err := s.checkGrant(tx, p, u, in.Role, in.Scope); err != nil {
			return err
		}
		if err := s.keepsAPrivilegedAdmin(tx, u, in.Role, u.Disabled, false); err != nil {
			return err
		}
		if in.Password != "" {
			if u.PasswordHash, err = s.hasher.Hash(in.Password); err != nil {
				return err
			}
		}
		u.FullName, u.Email, u.Role, u.Scope = in.FullName, in.Email, in.Role, in.Scope
		u.Department, u.Location, u.UpdatedAt = in.Department, in.Location, s.clock().UTC()
		out = u
		return s.put(tx, u)
	})
	return out, err
}

func usernameFree(tx *store.Txn, username string) error {
	ok, err := tx.Has(userKey(username))
	if err != nil {
		return err
	}
	if ok {
		return apperr.Field("username", "Username already exists")
	}
	return nil
}

// MayManageAPIUsers checks that a may add or change API users (the form's
// Generate button asks before a key is made).
func (s *Service) MayManageAPIUsers(a access.Actor) error {
	return s.read(a, "generate api key", "", func(_ *store.Txn, p access.Principal) error {
		return mayManage(p, KindAPI)
	})
}
