// Package desktop holds the structs bound to the Wails frontend: thin, typed
// facades over the domain packages. Each bound method checks the session,
// calls the domain, and turns errors into the JSON the frontend reads; this
// is the one place where errors are logged.
package desktop

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"hostbound/backend/apikey"
	"hostbound/backend/apiserver"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/core"
	"hostbound/backend/hostcheck"
	"hostbound/backend/masterkey"
	"hostbound/backend/store"
	"hostbound/backend/users"
	"hostbound/backend/vault"
)

// IdleTimeout ends a session after this long without activity.
const IdleTimeout = 15 * time.Minute

// Keyring is the OS keyring as the session needs it: the masterkey
// interface plus a probe that says whether it can be used at all.
type Keyring interface {
	masterkey.Keyring
	Probe() error
}

// Config wires a Session.
type Config struct {
	DataDir string
	LogFile string
	Keyring Keyring
	Log     logrus.FieldLogger
	Clock   func() time.Time
	Hasher  users.Hasher
	// Resolver serves host binding by hostname (net.DefaultResolver).
	Resolver hostcheck.Resolver
	// APIListen is the REST API's address until Settings change it
	// (apiserver.DefaultListen; tests use 127.0.0.1:0).
	APIListen string
	// Emit sends an event to the frontend (progress); nil in tests.
	Emit func(event string, data any)
	// ExportDir overrides where exports go (tests).
	ExportDir string
}

// Session is the app's unlock-and-login state, bound to the frontend.
type Session struct {
	cfg Config
	mk  *masterkey.Manager
	log logrus.FieldLogger

	mu           sync.Mutex
	phase        Phase
	lockedReason string
	keyringErr   error // nil when the OS keyring is usable
	st           *store.Store
	audit        *audit.Log
	users        *users.Service
	vault        *vault.Service
	server       *apiserver.Server
	core         *core.Services
	operator     *users.User
	lastActive   time.Time
	// pendingKey is the API key Generate showed in the form, until Save
	// stores its HMAC or Cancel discards it. It is never written anywhere.
	pendingKey *apikey.Key
	// integrity is the last audit chain verification.
	integrity IntegrityResult
}

// NewSession returns a session for the data directory; the app starts and
// closes it through Lifecycle, which is kept off the bound struct.
func NewSession(cfg Config) *Session {
	return &Session{
		cfg: cfg,
		mk:  masterkey.New(cfg.DataDir, cfg.Keyring),
		log: cfg.Log.WithField("component", "desktop"),
	}
}

// Lifecycle is the app's handle on a Session's start and close. It is not
// bound, so the frontend cannot call them.
type Lifecycle struct{ s *Session }

// LifecycleOf returns the lifecycle handle of s.
func LifecycleOf(s *Session) Lifecycle { return Lifecycle{s: s} }

// Start reads the master key header and decides the first screen. With the
// key in the OS keyring it opens the store right away.
func (l Lifecycle) Start() { l.s.start() }

// Close closes the store; the app calls it on shutdown.
func (l Lifecycle) Close() error { return l.s.close() }

func (s *Session) start() {
	s.mu.Lock()
	defer s.mu.Unlock()
	h, err := s.mk.Header()
	switch {
	case errors.Is(err, masterkey.ErrNotInitialized):
		s.keyringErr = s.cfg.Keyring.Probe()
		if s.keyringErr != nil {
			s.log.WithError(s.keyringErr).Info("OS keyring not usable; setup will ask for a passphrase")
		}
		s.phase = PhaseSetup
	case err != nil:
		s.lock(err)
	case h.Mode == masterkey.ModePassphrase:
		s.phase = PhaseUnlock
	default:
		key, err := s.mk.Load()
		if err != nil {
			s.lock(err)
			return
		}
		s.open(key)
	}
}

func (s *Session) close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st == nil {
		return nil
	}
	if s.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = s.server.Stop(ctx)
		cancel()
	}
	err := s.st.Close()
	s.st = nil
	return err
}

// open opens the store with key and moves to setup (no operator yet) or
// login. Called with mu held.
func (s *Session) open(key []byte) {
	svc, err := core.Open(s.cfg.DataDir, key, core.Config{Log: s.cfg.Log, Clock: s.cfg.Clock, Hasher: s.cfg.Hasher, Resolver: s.cfg.Resolver})
	if err != nil {
		s.lock(err)
		return
	}
	s.core = svc
	s.st, s.users, s.audit, s.vault = svc.Store, svc.Users, svc.Audit, svc.Vault
	s.startAPIServer()
	// Verify the audit chain in the background: a long trail must not hold
	// up the login screen. The banner shows the result when it fails.
	go func() {
		res := verifyChain(svc.Store, svc.Audit, s.cfg.Clock)
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.st == svc.Store {
			s.integrity = res
			if !res.OK {
				s.log.WithField("op", "verify audit trail").Error(res.Message)
			}
		}
	}()
	has, err := svc.Users.HasUsers()
	switch {
	case err != nil:
		s.lock(err)
	case has:
		s.phase = PhaseLogin
	default:
		s.phase = PhaseSetup
	}
}

// startAPIServer serves the REST API while the vault is unlocked, unless
// Settings turned it off. A failure (port in use) is shown in Settings and
// does not keep the app from working. Called with mu held.
func (s *Session) startAPIServer() {
	srv, set, err := s.core.APIServer(s.cfg.APIListen)
	if err != nil {
		s.log.WithError(err).Error("REST API settings")
		return
	}
	s.server = srv
	if set.Enabled {
		if err := srv.Start(set.Listen); err != nil {
			s.log.WithError(err).Warn("REST API not started")
		}
	}
}

// lock moves to PhaseLocked with a reason an administrator can act on.
func (s *Session) lock(err error) {
	s.phase = PhaseLocked
	s.lockedReason = lockedReason(err, s.cfg.DataDir)
	s.log.WithError(err).Warn("vault locked")
}

func lockedReason(err error, dir string) string {
	const untouched = " Hostbound has not changed any data."
	switch {
	case errors.Is(err, masterkey.ErrKeyMissing):
		return "The master key of this data directory is not in the OS keyring (service \"hostbound\")." + untouched +
			" Restore the keyring entry (for example from a keyring backup) or start Hostbound with another --data-dir."
	case errors.Is(err, masterkey.ErrKeyMismatch), errors.Is(err, store.ErrWrongKey):
		return "The master key found does not match this data directory." + untouched +
			" Restore the right keyring entry, or start Hostbound with another --data-dir."
	case errors.Is(err, masterkey.ErrKeyringUnavailable):
		return "The OS keyring, which holds this data directory's master key, is not available: " + err.Error() + "." + untouched +
			" Unlock or start your keyring and try again."
	case errors.Is(err, masterkey.ErrHeaderMissing), errors.Is(err, masterkey.ErrBadHeader):
		return err.Error() + "." + untouched + " Restore masterkey.json from a backup of " + dir + "."
	case errors.Is(err, store.ErrAlreadyRunning):
		return store.ErrAlreadyRunning.Error() + "."
	default:
		return "The data directory cannot be opened (" + err.Error() + ")." + untouched
	}
}

// GetAppState tells the frontend which screen to show.
func (s *Session) GetAppState() AppState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state()
}

func (s *Session) state() AppState {
	st := AppState{
		Phase:              s.phase,
		LockedReason:       s.lockedReason,
		DataDir:            s.cfg.DataDir,
		KeyringAvailable:   s.keyringErr == nil,
		IdleTimeoutSeconds: int(IdleTimeout / time.Second),
	}
	if s.keyringErr != nil {
		// The screen already says the keyring is unavailable; give the cause.
		st.KeyringProblem = strings.TrimPrefix(s.keyringErr.Error(), masterkey.ErrKeyringUnavailable.Error()+": ")
	}
	if h, err := s.mk.Header(); err == nil {
		st.KeyStorage = string(h.Mode)
	}
	if s.operator != nil {
		st.Operator = s.operatorView(s.operator)
		st.AuditIntegrity = s.integrity
	}
	return st
}

func (s *Session) operatorView(u *users.User) *OperatorView {
	r, super := s.users.RoleOf(u)
	return &OperatorView{
		Username:    u.Username,
		FullName:    u.FullName,
		Email:       u.Email,
		Role:        u.Role,
		RoleName:    r.Name,
		Scope:       string(u.Scope),
		SuperAdmin:  super,
		Permissions: r.Permissions,
	}
}

// CreateFirstAdministrator runs first-run setup: it creates the master key
// (in the OS keyring, or wrapped with the passphrase when no keyring is
// usable), opens the store and creates the first operator, logged in.
func (s *Session) CreateFirstAdministrator(req SetupRequest) (AppState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	const op = "create first administrator"
	if s.phase != PhaseSetup {
		return s.state(), s.fail(op, apperr.New(apperr.Conflict, "Hostbound is already set up"))
	}
	n := users.NewOperator{Username: req.Username, FullName: req.FullName, Email: req.Email,
		Password: req.Password, ConfirmPassword: req.ConfirmPassword}
	// Check the whole form before a key is made, so a typo creates nothing.
	if err := n.Validate(); err != nil {
		return s.state(), s.fail(op, err)
	}
	if s.st == nil {
		if err := s.createKey(req); err != nil {
			return s.state(), s.fail(op, err)
		}
		if s.phase == PhaseLocked {
			return s.state(), s.fail(op, apperr.New(apperr.Locked, "%s", s.lockedReason))
		}
	}
	u, err := s.users.CreateFirstAdministrator(n)
	if err != nil {
		return s.state(), s.fail(op, err)
	}
	s.logIn(u)
	s.log.WithFields(logrus.Fields{"op": op, "user": u.Username}).Info("first administrator created")
	return s.state(), nil
}

func (s *Session) createKey(req SetupRequest) error {
	var key []byte
	var err error
	if s.keyringErr == nil {
		key, err = s.mk.CreateInKeyring()
	} else {
		if len([]rune(req.Passphrase)) < masterkey.MinPassphraseLen {
			return apperr.Field("passphrase", "Passphrase: at least %d characters", masterkey.MinPassphraseLen)
		}
		if req.Passphrase != req.ConfirmPassphrase {
			return apperr.Field("confirmPassphrase", "Confirm Passphrase: does not match the passphrase")
		}
		key, err = s.mk.CreateWithPassphrase(req.Passphrase)
	}
	if err != nil {
		return fmt.Errorf("create master key: %w", err)
	}
	s.open(key)
	return nil
}

// Unlock unwraps the master key with the passphrase and opens the store.
func (s *Session) Unlock(passphrase string) (AppState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	const op = "unlock"
	if s.phase != PhaseUnlock {
		return s.state(), s.fail(op, apperr.New(apperr.Conflict, "Hostbound is not waiting for a passphrase"))
	}
	if passphrase == "" {
		return s.state(), s.fail(op, apperr.Field("passphrase", "Passphrase: required"))
	}
	key, err := s.mk.Unlock(passphrase)
	if errors.Is(err, masterkey.ErrWrongPassphrase) {
		return s.state(), s.fail(op, apperr.Wrap(apperr.Unauthenticated, err, "Wrong passphrase"))
	}
	if err != nil {
		s.lock(err)
		return s.state(), s.fail(op, apperr.Wrap(apperr.Locked, err, "%s", s.lockedReason))
	}
	s.open(key)
	if s.phase == PhaseLocked {
		return s.state(), s.fail(op, apperr.New(apperr.Locked, "%s", s.lockedReason))
	}
	return s.state(), nil
}

// LogIn checks the operator's credentials and starts a session.
func (s *Session) LogIn(username, password string) (AppState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	const op = "login"
	if s.phase != PhaseLogin {
		return s.state(), s.fail(op, apperr.New(apperr.Conflict, "Hostbound is not at the login screen"))
	}
	u, err := s.users.Login(username, password)
	if err != nil {
		return s.state(), s.fail(op, err)
	}
	s.logIn(u)
	s.log.WithFields(logrus.Fields{"op": op, "user": u.Username}).Info("operator logged in")
	return s.state(), nil
}

func (s *Session) logIn(u *users.User) {
	s.operator = u
	s.lastActive = s.cfg.Clock()
	s.phase = PhaseReady
}

// LogOut ends the session.
func (s *Session) LogOut() (AppState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.operator != nil {
		s.logOut("logged out")
	}
	return s.state(), nil
}

func (s *Session) logOut(reason string) {
	s.users.RecordLogout(s.operator, reason)
	s.log.WithFields(logrus.Fields{"op": "logout", "user": s.operator.Username}).Info(reason)
	s.operator = nil
	s.pendingKey = nil
	s.phase = PhaseLogin
}

// KeepAlive tells the backend that the operator is active in the UI.
func (s *Session) KeepAlive() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.authorize("keep alive")
	return err
}

// authorize returns the logged-in operator and refreshes the idle timer, or
// fails with Unauthenticated or SessionExpired. Called with mu held.
func (s *Session) authorize(op string) (*users.User, error) {
	if s.operator == nil {
		return nil, s.fail(op, apperr.New(apperr.Unauthenticated, "Please log in"))
	}
	now := s.cfg.Clock()
	if now.Sub(s.lastActive) > IdleTimeout {
		s.logOut("session ended after 15 idle minutes")
		return nil, s.fail(op, apperr.New(apperr.SessionExpired, "Your session ended after 15 minutes of inactivity."))
	}
	s.lastActive = now
	return s.operator, nil
}

// GetSecurityInfo describes how the master key is kept, for Settings.
func (s *Session) GetSecurityInfo() (SecurityInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.authorize("view security settings"); err != nil {
		return SecurityInfo{}, err
	}
	info := SecurityInfo{DataDir: s.cfg.DataDir, LogFile: s.cfg.LogFile}
	if h, err := s.mk.Header(); err == nil {
		info.KeyStorage = string(h.Mode)
	}
	switch info.KeyStorage {
	case string(masterkey.ModeKeyring):
		info.KeyStorageLabel = "OS keyring: the master key is kept in your operating system's keyring (service \"hostbound\")."
	case string(masterkey.ModePassphrase):
		info.KeyStorageLabel = "Passphrase: the master key is wrapped with your passphrase (argon2id) and asked for at every start."
	}
	if s.st != nil {
		info.StoreBytes = s.st.Size()
		_ = s.st.View(func(tx *store.Txn) error {
			info.AuditRecords, _ = s.audit.Count(tx)
			return nil
		})
	}
	return info, nil
}
