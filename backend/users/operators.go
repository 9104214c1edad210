package users

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/store"
)

// Login lockout: this many wrong passwords in a row lock the username for
// LockoutDuration.
const (
	MaxFailedLogins = 5
	LockoutDuration = 5 * time.Minute
)

// Messages a person sees at login; the wrong-password one never says which
// of the two was wrong.
const (
	MsgWrongCredentials = "Wrong username or password"
	MsgDisabled         = "This account is disabled"
)

// Service reads and changes users. Every change appends its audit record in
// the same transaction.
type Service struct {
	st     *store.Store
	audit  *audit.Log
	hasher Hasher
	clock  func() time.Time
	pepper []byte // for API key HMACs
	idx    *index
	// dummyHash keeps the time of a login with an unknown username equal to
	// one with a known username and a wrong password.
	dummyHash string
}

// Config wires a Service.
type Config struct {
	Store  *store.Store
	Audit  *audit.Log
	Hasher Hasher
	Clock  func() time.Time
	Pepper []byte // keys.Derive(master, keys.APIKeyPepper)
}

// NewService returns a user service and loads the search index.
func NewService(c Config) (*Service, error) {
	dummy, err := c.Hasher.Hash("hostbound-dummy-password")
	if err != nil {
		return nil, err
	}
	s := &Service{st: c.Store, audit: c.Audit, hasher: c.Hasher, clock: c.Clock, pepper: c.Pepper, dummyHash: dummy}
	if s.idx, err = loadIndex(c.Store); err != nil {
		return nil, err
	}
	return s, nil
}

// NewOperator is the first-run form.
type NewOperator struct {
	Username, FullName, Email, Password, ConfirmPassword string
}

// Validate checks every field and returns the first failure.
func (n NewOperator) Validate() error {
	for _, err := range []error{
		ValidateUsername(n.Username),
		ValidateFullName(n.FullName),
		ValidateEmail(n.Email),
		ValidatePassword(n.Password, n.ConfirmPassword),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

// HasUsers reports whether any user exists (setup has been done).
func (s *Service) HasUsers() (bool, error) {
	var found bool
	err := s.st.View(func(tx *store.Txn) error {
		var err error
		found, err = anyUser(tx)
		return err
	})
	return found, err
}

func anyUser(tx *store.Txn) (bool, error) { return tx.Any(userPrefix), nil }

// CreateFirstAdministrator creates the first operator: a Privileged
// Administrator with the All Passwords scope. It fails once any user exists.
func (s *Service) CreateFirstAdministrator(n NewOperator) (*User, error) {
	n.Username = strings.TrimSpace(n.Username)
	n.FullName = strings.TrimSpace(n.FullName)
	n.Email = strings.TrimSpace(n.Email)
	if err := n.Validate(); err != nil {
		return nil, err
	}
	hash, err := s.hasher.Hash(n.Password)
	if err != nil {
		return nil, err
	}
	u := &User{
		Username:     n.Username,
		Kind:         KindOperator,
		FullName:     n.FullName,
		Email:        n.Email,
		Role:         access.PrivilegedAdmin,
		Scope:        access.ScopeAll,
		PasswordHash: hash,
		CreatedAt:    s.clock().UTC(),
		CreatedBy:    n.Username,
	}
	err = s.st.Update(func(tx *store.Txn) error {
		exists, err := anyUser(tx)
		if err != nil {
			return err
		}
		if exists {
			return ErrAlreadySetUp
		}
		if err := s.put(tx, u); err != nil {
			return err
		}
		_, err = s.audit.Append(tx, audit.Record{
			Actor: u.Username, ActorName: u.FullName, ActorKind: audit.ActorOperator, Source: "desktop",
			Operation: "create first administrator", Target: u.Username, Result: audit.Success,
		})
		return err
	})
	if errors.Is(err, ErrAlreadySetUp) {
		return nil, apperr.Wrap(apperr.Conflict, err, "The first administrator has already been created; log in instead")
	}
	if err != nil {
		return nil, fmt.Errorf("create first administrator %q: %w", u.Username, err)
	}
	return u, nil
}

// loginFailures counts consecutive wrong passwords for one username.
type loginFailures struct {
	Count       int       `json:"count"`
	LockedUntil time.Time `json:"lockedUntil"`
}

func failKey(username string) string { return "loginfail/" + strings.ToLower(username) }

// Login checks username and password. Five wrong passwords in a row lock the
// username for five minutes; the lock and every attempt are audited.
func (s *Service) Login(username, password string) (*User, error) {
	username = strings.TrimSpace(username)
	if username == "" {
		return nil, apperr.Field("username", "Username: required")
	}
	if password == "" {
		return nil, apperr.Field("password", "Password: required")
	}
	now := s.clock()

	var fails loginFailures
	var u User
	found := true
	err := s.st.View(func(tx *store.Txn) error {
		if err := tx.Get(failKey(username), &fails); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		err := tx.Get(userKey(username), &u)
		if errors.Is(err, store.ErrNotFound) {
			found = false
			return nil
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("login %q: %w", username, err)
	}
	if now.Before(fails.LockedUntil) {
		s.recordLogin(username, u.FullName, "login", audit.Failure, "locked out")
		return nil, lockedError(username, fails.LockedUntil.Sub(now))
	}

	hash := s.dummyHash
	if found && u.Kind == KindOperator {
		hash = u.PasswordHash
	}
	ok := s.hasher.Verify(hash, password) && found && u.Kind == KindOperator
	if !ok {
		return nil, s.loginFailed(username, u.FullName, now)
	}
	if u.Disabled {
		s.recordLogin(u.Username, u.FullName, "login", audit.Failure, "account disabled")
		return nil, apperr.New(apperr.Unauthenticated, MsgDisabled)
	}
	err = s.st.Update(func(tx *store.Txn) error {
		if err := tx.Delete(failKey(username)); err != nil {
			return err
		}
		_, err := s.audit.Append(tx, audit.Record{
			Actor: u.Username, ActorName: u.FullName, ActorKind: audit.ActorOperator, Source: "desktop",
			Operation: "login", Target: u.Username, Result: audit.Success,
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("login %q: %w", username, err)
	}
	return &u, nil
}

// loginFailed counts a wrong password and locks the username at the limit.
func (s *Service) loginFailed(username, fullName string, now time.Time) error {
	var locked bool
	err := s.st.Update(func(tx *store.Txn) error {
		var f loginFailures
		if err := tx.Get(failKey(username), &f); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		f.Count++
		reason := fmt.Sprintf("wrong password (%d of %d)", f.Count, MaxFailedLogins)
		if f.Count >= MaxFailedLogins {
			f = loginFailures{LockedUntil: now.Add(LockoutDuration)}
			locked = true
			reason = fmt.Sprintf("wrong password; locked for %s", LockoutDuration)
		}
		if err := tx.Put(failKey(username), f); err != nil {
			return err
		}
		_, err := s.audit.Append(tx, audit.Record{
			Actor: username, ActorName: fullName, ActorKind: audit.ActorOperator, Source: "desktop",
			Operation: "login", Target: username, Result: audit.Failure, Reason: reason,
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("login %q: %w", username, err)
	}
	if locked {
		return lockedError(username, LockoutDuration)
	}
	return apperr.New(apperr.Unauthenticated, MsgWrongCredentials)
}

func lockedError(username string, left time.Duration) error {
	mins := int((left + time.Minute - 1) / time.Minute)
	unit := "minutes"
	if mins == 1 {
		unit = "minute"
	}
	return apperr.New(apperr.RateLimited, "Too many failed logins for %s. Try again in %d %s.", username, mins, unit)
}

// RecordLogout audits a logout (by the operator or by the idle timeout).
func (s *Service) RecordLogout(u *User, reason string) {
	s.recordLogin(u.Username, u.FullName, "logout", audit.Success, reason)
}

// recordLogin audits a login-time event that changes nothing else. A
// failure here is returned nowhere: the caller's outcome stands, and a store
// error surfaces on the next write.
func (s *Service) recordLogin(actor, fullName, op, result, reason string) {
	s.audit.Record(s.st, audit.Record{
		Actor: actor, ActorName: fullName, ActorKind: audit.ActorOperator, Source: "desktop",
		Operation: op, Target: actor, Result: result, Reason: reason,
	})
}

// Get returns the user with this username.
func (s *Service) Get(username string) (*User, error) {
	var u User
	err := s.st.View(func(tx *store.Txn) error { return tx.Get(userKey(username), &u) })
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get user %q: %w", username, err)
	}
	return &u, nil
}
