package users

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/hostcheck"
	"hostbound/backend/keys"
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
	pepper []byte    // for API key HMACs
	keyMAC *keys.MAC // HMAC-SHA256 under pepper, for the API keys' hashes
	idx    *index
	// guard throttles and records failed authentications of every face.
	guard   Guard
	matcher *hostcheck.Matcher
	// onDelete removes what belongs to a deleted user (the vault's shares).
	onDelete []DeleteHook
	// dummyHash keeps the time of a login with an unknown username equal to
	// one with a known username and a wrong password.
	dummyHash string
	// gen and cache: the retrieval path's shortcut (snapshot.go).
	gen   generation
	cache authCache
	// written: the records the use writes left (written.go).
	written writtenUsers
	// remote follows other nodes on a shared store (cluster.go).
	remote remoteGens
}

// Config wires a Service.
type Config struct {
	Store  *store.Store
	Audit  *audit.Log
	Hasher Hasher
	Clock  func() time.Time
	Pepper []byte // keys.Derive(master, keys.APIKeyPepper)
	Guard  Guard  // authguard.Guard
	// Matcher decides host binding (DNS, cached).
	Matcher *hostcheck.Matcher
}

// NewService returns a user service; its index is read on first use.
func NewService(c Config) (*Service, error) {
	dummy, err := c.Hasher.Hash("hostbound-dummy-password")
	if err != nil {
		return nil, err
	}
	s := &Service{st: c.Store, audit: c.Audit, hasher: c.Hasher, clock: c.Clock, pepper: c.Pepper, keyMAC: keys.NewMAC(c.Pepper), dummyHash: dummy,
		guard: c.Guard, matcher: c.Matcher, remote: watchRemote(c.Store)}
	s.idx = newIndex(c.Store)
	if err := assignIDs(c.Store); err != nil {
		return nil, fmt.Errorf("assign user ids: %w", err)
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
func (s *Service) CreateFirstAdministrator(n NewOperator, source string) (*User, error) {
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
		ID:           newID(),
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
			Actor: u.Username, ActorName: u.FullName, ActorKind: audit.ActorOperator, Source: source,
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

// failKey is where the failures of a typed username are counted: by its
// HMAC, since what was typed as a username may be a password.
func failKey(pepper []byte, username string) string {
	return "loginfail/" + typedName(pepper, username)
}

// typedName is a username as typed at login, keyed: the same typed text
// always gives the same name (repeated attempts can be told apart and
// counted), and the text itself is never stored.
func typedName(pepper []byte, username string) string {
	mac := hmac.New(sha256.New, pepper)
	mac.Write([]byte("login username\x00" + strings.ToLower(username)))
	return hex.EncodeToString(mac.Sum(nil))[:16]
}

// auditName is how a login attempt names its actor: the username when such
// a user exists, or "unknown user #<keyed hash>" — a password typed into
// the Username field must not reach the audit trail.
func (s *Service) auditName(username string, found bool) string {
	if found {
		return username
	}
	return "unknown user #" + typedName(s.pepper, username)
}

// Login checks username and password at the desktop (source). Five wrong
// passwords in a row lock the username for five minutes; the lock and
// every attempt are audited.
func (s *Service) Login(username, password, source string) (*User, error) {
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
		if err := tx.Get(failKey(s.pepper, username), &fails); err != nil && !errors.Is(err, store.ErrNotFound) {
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
		return nil, fmt.Errorf("login: %w", err)
	}
	name := s.auditName(username, found)
	if now.Before(fails.LockedUntil) {
		s.recordLogin(name, u.FullName, source, "login", audit.Failure, "locked out")
		return nil, lockedError(fails.LockedUntil.Sub(now))
	}
	hash := s.dummyHash
	if found && u.Kind == KindOperator {
		hash = u.PasswordHash
	}
	ok := s.hasher.Verify(hash, password) && found && u.Kind == KindOperator
	if !ok {
		return nil, s.loginFailed(username, name, u.FullName, source, now)
	}
	if u.Disabled {
		s.recordLogin(u.Username, u.FullName, source, "login", audit.Failure, "account disabled")
		return nil, apperr.New(apperr.Unauthenticated, MsgDisabled)
	}
	err = s.st.Update(func(tx *store.Txn) error {
		if err := tx.Delete(failKey(s.pepper, username)); err != nil {
			return err
		}
		_, err := s.audit.Append(tx, audit.Record{
			Actor: u.Username, ActorName: u.FullName, ActorKind: audit.ActorOperator, Source: source,
			Operation: "login", Target: u.Username, Result: audit.Success,
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("login %q: %w", u.Username, err)
	}
	return &u, nil
}

// loginFailed counts a wrong password and locks the username at the limit.
func (s *Service) loginFailed(username, name, fullName, source string, now time.Time) error {
	var locked bool
	err := s.st.Update(func(tx *store.Txn) error {
		var f loginFailures
		if err := tx.Get(failKey(s.pepper, username), &f); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		f.Count++
		reason := fmt.Sprintf("wrong password (%d of %d)", f.Count, MaxFailedLogins)
		if f.Count >= MaxFailedLogins {
			f = loginFailures{LockedUntil: now.Add(LockoutDuration)}
			locked = true
			reason = fmt.Sprintf("wrong password; locked for %s", LockoutDuration)
		}
		if err := tx.Put(failKey(s.pepper, username), f); err != nil {
			return err
		}
		_, err := s.audit.Append(tx, audit.Record{
			Actor: name, ActorName: fullName, ActorKind: audit.ActorOperator, Source: source,
			Operation: "login", Target: name, Result: audit.Failure, Reason: reason,
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("login: %w", err)
	}
	if locked {
		return lockedError(LockoutDuration)
	}
	return apperr.New(apperr.Unauthenticated, MsgWrongCredentials)
}

func lockedError(left time.Duration) error {
	mins := int((left + time.Minute - 1) / time.Minute)
	unit := "minutes"
	if mins == 1 {
		unit = "minute"
	}
	return apperr.New(apperr.RateLimited, "Too many failed logins for this username. Try again in %d %s.", mins, unit)
}

// RecordLogout audits a logout (by the operator or by the idle timeout).
func (s *Service) RecordLogout(a access.Actor, fullName, reason string) {
	s.recordLogin(a.Username, fullName, a.Source, "logout", audit.Success, reason)
}

// recordLogin audits a login-time event that changes nothing else. A
// failure here is returned nowhere: the caller's outcome stands, and a store
// error surfaces on the next write.
func (s *Service) recordLogin(actor, fullName, source, op, result, reason string) {
	s.audit.Record(s.st, audit.Record{
		Actor: actor, ActorName: fullName, ActorKind: audit.ActorOperator, Source: source,
		Operation: op, Target: actor, Result: result, Reason: reason,
	})
}
