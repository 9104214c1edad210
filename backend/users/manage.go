package users

import (
	"errors"
	"fmt"
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
	if err := tx.Put(userKey(u.Username), u); err != nil {
		return err
	}
	cp := *u
	tx.AfterCommit(func() { s.idx.set(&cp) })
	return nil
}

// change runs fn as the actor in one transaction together with its audit
// record. fn gets the actor's role, read in the same transaction. A refusal
// (any *apperr.Error) is audited too, in a transaction of its own, since
// the refused change itself wrote nothing.
func (s *Service) change(actor *User, op, target string, fn func(tx *store.Txn, actorRole access.Role) error) error {
	err := s.audit.Update(s.st, s.record(actor, op, target), func(tx *store.Txn) error {
		a, err := s.actorRole(tx, actor)
		if err != nil {
			return err
		}
		return fn(tx, a)
	})
	if err != nil && apperr.As(err) == nil {
		return fmt.Errorf("%s %q: %w", op, target, err)
	}
	return err
}

// actorRole re-reads the actor: a disabled or deleted operator, or one whose
// role changed since login, acts with what the store says now.
func (s *Service) actorRole(tx *store.Txn, actor *User) (access.Role, error) {
	var cur User
	if err := tx.Get(userKey(actor.Username), &cur); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return access.Role{}, apperr.New(apperr.Unauthenticated, "Your account no longer exists")
		}
		return access.Role{}, err
	}
	if cur.Disabled || cur.Kind != KindOperator {
		return access.Role{}, apperr.New(apperr.Unauthenticated, MsgDisabled)
	}
	*actor = cur
	return role(tx, cur.Role)
}

func (s *Service) record(actor *User, op, target string) audit.Record {
	return audit.Record{Actor: actor.Username, ActorName: actor.FullName, ActorKind: audit.ActorOperator,
		Source: "desktop", Operation: op, Target: target}
}

// mayManage checks that the actor may manage users of kind k.
func mayManage(a access.Role, k Kind) error {
	if k == KindAPI && !a.Has(access.APIUsersManage) && !a.Has(access.UsersManage) {
		return forbidden("You are not allowed to add API users")
	}
	if k == KindOperator && !a.Has(access.UsersManage) {
		return forbidden("You are not allowed to add users")
	}
	return nil
}

// checkGrant applies the grant rules of PRODUCT.md §1 to giving role and
// scope to target (nil for a new user).
func (s *Service) checkGrant(tx *store.Txn, actor *User, actorRole access.Role, target *User, roleID string, scope access.Scope) error {
	r, err := role(tx, roleID)
	if err != nil {
		return err
	}
	if target != nil && strings.EqualFold(target.Username, actor.Username) && (target.Role != roleID || target.Scope != scope) {
		return forbidden("You cannot change your own access level or scope")
	}
	if missing := access.Missing(actorRole, r); len(missing) > 0 {
		return apperr.Field("role", "Access Level: you cannot grant %s, which holds permissions you do not have (%s)", r.Name, joinPerms(missing))
	}
	switch scope {
	case access.ScopeOwnedShared:
	case access.ScopeAll:
		if !r.MayHaveAllPasswords() {
			return apperr.Field("scope", "Access Scope: All Passwords is only for the administrator roles")
		}
		if !access.IsSuperAdmin(actorRole, actor.Scope) {
			return apperr.Field("scope", "Access Scope: only a Super Administrator can grant All Passwords")
		}
	default:
		return apperr.Field("scope", "Access Scope: choose Passwords Owned and Shared or All Passwords")
	}
	return nil
}

// keepsAPrivilegedAdmin refuses a change that would leave no enabled
// Privileged Administrator.
func (s *Service) keepsAPrivilegedAdmin(old *User, newRole string, disabled, deleted bool) error {
	if old.Kind != KindOperator || old.Role != access.PrivilegedAdmin || old.Disabled {
		return nil
	}
	if newRole == access.PrivilegedAdmin && !disabled && !deleted {
		return nil
	}
	if s.idx.countEnabled(access.PrivilegedAdmin) <= 1 {
		return apperr.New(apperr.Conflict, "%s is the last Privileged Administrator and must stay one", old.Username)
	}
	return nil
}

func (s *Service) load(tx *store.Txn, username string) (*User, error) {
	var u User
	err := tx.Get(userKey(username), &u)
	if errors.Is(err, store.ErrNotFound) {
		return nil, apperr.New(apperr.NotFound, "No user named %s", username)
	}
	return &u, err
}

// SetDisabled disables or enables a user. A disabled API user's key stops
// working; a disabled operator cannot log in.
func (s *Service) SetDisabled(actor *User, username string, disabled bool) (*User, error) {
	op := "enable user"
	if disabled {
		op = "disable user"
	}
	var out *User
	err := s.change(actor, op, username, func(tx *store.Txn, a access.Role) error {
		u, err := s.load(tx, username)
		if err != nil {
			return err
		}
		if err := mayManage(a, u.Kind); err != nil {
			return err
		}
		if strings.EqualFold(u.Username, actor.Username) {
			return forbidden("You cannot disable yourself")
		}
		if err := s.keepsAPrivilegedAdmin(u, u.Role, disabled, false); err != nil {
			return err
		}
		u.Disabled = disabled
		u.UpdatedAt = s.clock().UTC()
		out = u
		return s.put(tx, u)
	})
	return out, err
}

// Delete removes a user and, for an API user, its key.
func (s *Service) Delete(actor *User, username string) error {
	return s.change(actor, "delete user", username, func(tx *store.Txn, a access.Role) error {
		u, err := s.load(tx, username)
		if err != nil {
			return err
		}
		if err := mayManage(a, u.Kind); err != nil {
			return err
		}
		if strings.EqualFold(u.Username, actor.Username) {
			return forbidden("You cannot delete yourself")
		}
		if err := s.keepsAPrivilegedAdmin(u, u.Role, false, true); err != nil {
			return err
		}
		if err := s.dropKey(tx, u); err != nil {
			return err
		}
		if err := tx.Delete(userKey(u.Username)); err != nil {
			return err
		}
		if err := tx.Delete(failKey(u.Username)); err != nil {
			return err
		}
		tx.AfterCommit(func() { s.idx.remove(u.Username) })
		return nil
	})
}

// List runs a query over the index.
func (s *Service) List(q Query) Page { return s.idx.query(q, s.clock()) }

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
func (s *Service) CreateOperator(actor *User, in OperatorInput) (*User, error) {
	var out *User
	err := s.change(actor, "create user", in.Username, func(tx *store.Txn, a access.Role) error {
		if err := mayManage(a, KindOperator); err != nil {
			return err
		}
		var f apperr.Form
		in.validate(&f, true)
		if err := f.Err(); err != nil {
			return err
		}
		if err := usernameFree(tx, in.Username); err != nil {
			return err
		}
		if err := s.checkGrant(tx, actor, a, nil, in.Role, in.Scope); err != nil {
			return err
		}
		hash, err := s.hasher.Hash(in.Password)
		if err != nil {
			return err
		}
		now := s.clock().UTC()
		out = &User{Username: in.Username, Kind: KindOperator, FullName: in.FullName, Email: in.Email,
			Role: in.Role, Scope: in.Scope, PasswordHash: hash, Department: in.Department, Location: in.Location,
			CreatedAt: now, UpdatedAt: now, CreatedBy: actor.Username}
		return s.put(tx, out)
	})
	return out, err
}

// UpdateOperator edits an operator; the username is fixed, the password
// changes only when given.
func (s *Service) UpdateOperator(actor *User, username string, in OperatorInput) (*User, error) {
	var out *User
	err := s.change(actor, "edit user", username, func(tx *store.Txn, a access.Role) error {
		u, err := s.load(tx, username)
		if err != nil {
			return err
		}
		if u.Kind != KindOperator {
			return apperr.New(apperr.Invalid, "%s is an API user", username)
		}
		if err := mayManage(a, KindOperator); err != nil {
			return err
		}
		var f apperr.Form
		in.validate(&f, false)
		if err := f.Err(); err != nil {
			return err
		}
		if err := s.checkGrant(tx, actor, a, u, in.Role, in.Scope); err != nil {
			return err
		}
		if err := s.keepsAPrivilegedAdmin(u, in.Role, u.Disabled, false); err != nil {
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
