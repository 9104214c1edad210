// Package desktop holds the structs bound to the Wails frontend: thin, typed
// facades over the domain. Each bound method checks the session (login,
// idle timer), calls one domain use case with the operator as the actor,
// and turns errors into the JSON the frontend reads; this is the one place
// where the desktop's errors are logged. The data directory's lifecycle is
// core's; the REST API server comes in as a small interface.
package desktop

import (
	"runtime"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/apperr"
	"hostbound/backend/core"
	"hostbound/backend/sample"
	"hostbound/backend/services"
	"hostbound/backend/settings"
	"hostbound/backend/users"
)

// IdleTimeout ends a session after this long without activity.
const IdleTimeout = 15 * time.Minute

// APIServer is the REST API server as the desktop drives it (app.go hands
// in core's): restarted when the vault opens or Settings change, stopped
// on close.
type APIServer interface {
	Restart() error
	Stop()
	Status() settings.APIStatus
}

// Config wires a Session.
type Config struct {
	Life    *core.Lifecycle
	API     APIServer
	SSH     SSHServer // nil: a build without the SSH CLI
	LogFile string
	Log     logrus.FieldLogger
	Clock   func() time.Time
	// Emit sends an event to the frontend (progress); nil in tests.
	Emit func(event string, data any)
	// ExportDir overrides where exports go (tests).
	ExportDir string
	// Version is the app's version (main.version), shown in Settings.
	Version string
	// SampleHasher hashes the sample administrator's password (tests);
	// zero: users.DefaultHasher.
	SampleHasher users.Hasher
}

// Session is the app's login state, bound to the frontend: who is logged
// in, the idle timer, and the API key a form generated but did not save.
type Session struct {
	cfg  Config
	life *core.Lifecycle
	log  logrus.FieldLogger

	mu         sync.Mutex
	actor      *access.Actor // the logged-in operator
	lastActive time.Time
	// pendingKey is the API key Generate showed in the form, until Save
	// stores its HMAC or Cancel discards it. It is never written anywhere.
	pendingKey *apikey.Key
	// integrity is the last audit chain verification.
	integrity IntegrityResult
	// opened is the services the API server and the verification ran for.
	opened *services.Services
	// verifying counts the audit chain verifications still reading a store:
	// a restore and Close wait for them before the store closes under them.
	verifying sync.WaitGroup
	// sample is the open sample data (sample.go), which life then is; nil
	// otherwise. life is swapped under mu.
	sample *core.Lifecycle
}

// NewSession returns a session over the lifecycle; the app starts and
// closes it through Lifecycle, which is kept off the bound struct.
func NewSession(cfg Config) *Session {
	return &Session{cfg: cfg, life: cfg.Life, log: cfg.Log.WithField("component", "desktop")}
}

// Lifecycle is the app's handle on a Session's start and close. It is not
// bound, so the frontend cannot call them.
type Lifecycle struct{ s *Session }

// LifecycleOf returns the lifecycle handle of s.
func LifecycleOf(s *Session) Lifecycle { return Lifecycle{s: s} }

// Start opens the data directory as far as it can without asking (OS
// keyring), and decides the first screen.
func (l Lifecycle) Start() {
	l.s.life.Start()
	l.s.mu.Lock()
	defer l.s.mu.Unlock()
	l.s.startOpen()
}

// Close stops the REST API and the SSH CLI and closes the store; the app
// calls it on shutdown.
func (l Lifecycle) Close() error {
	l.s.cfg.API.Stop()
	if l.s.cfg.SSH != nil {
		l.s.cfg.SSH.Stop()
	}
	l.s.verifying.Wait()
	l.s.mu.Lock()
	if l.s.sample != nil {
		_ = l.s.closeSample()
	}
	l.s.mu.Unlock()
	return l.s.cfg.Life.Close()
}

// startOpen starts what runs while the vault is open, once per opening: the
// REST API (unless Settings turned it off; a busy port shows in Settings
// and does not keep the app from working) and the audit chain's
// verification in the background (a long trail must not hold up the login
// screen; the banner shows a failure). Called with mu held.
func (s *Session) startOpen() {
	svc := s.life.Services()
	if svc == nil || svc == s.opened {
		return
	}
	s.opened = svc
	// Sample data never listens on a port: its keys are made up.
	if s.sample == nil {
		if err := s.cfg.API.Restart(); err != nil {
			s.log.WithError(err).Warn("REST API not started")
		}
		if s.cfg.SSH != nil {
			if err := s.cfg.SSH.Restart(); err != nil {
				s.log.WithError(err).Warn("SSH CLI not started")
			}
		}
	}
	s.verifying.Add(2)
	go func() {
		defer s.verifying.Done()
		if err := svc.Trail.Preload(); err != nil { // the Audit screen's first query then needs no load
			s.log.WithError(err).WithField("op", "load audit columns").Warn("audit trail not preloaded")
		}
	}()
	go func() {
		res := verifyChain(svc, s.cfg.Clock)
		s.verifying.Done()
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.opened == svc {
			s.integrity = res
			if !res.OK {
				s.log.WithField("op", "verify audit trail").Error(res.Message)
			}
		}
	}()
}

// services returns the open services, or a Locked error.
func (s *Session) services() (*services.Services, error) {
	if svc := s.life.Services(); svc != nil {
		return svc, nil
	}
	return nil, apperr.New(apperr.Locked, "The vault is locked")
}

// GetAppState tells the frontend which screen to show.
func (s *Session) GetAppState() AppState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state()
}

func (s *Session) state() AppState {
	ls := s.life.State()
	st := AppState{
		LockedReason:       ls.LockedReason,
		DataDir:            ls.DataDir,
		KeyringAvailable:   ls.KeyringProblem == "",
		KeyringProblem:     ls.KeyringProblem,
		OS:                 runtime.GOOS,
		KeyStorage:         ls.KeyStorage,
		IdleTimeoutSeconds: int(IdleTimeout / time.Second),
		Version:            s.cfg.Version,
		Sample:             s.sample != nil,
		SampleExists:       sample.Exists(s.cfg.Life.State().DataDir),
	}
	switch ls.Phase {
	case core.PhaseSetup:
		st.Phase = PhaseSetup
	case core.PhaseUnlock:
		st.Phase = PhaseUnlock
	case core.PhaseLocked:
		st.Phase = PhaseLocked
	default:
		st.Phase = s.openPhase()
	}
	if st.Phase == PhaseReady {
		if v, err := s.operatorView(); err == nil {
			st.Operator, st.AuditIntegrity = v, s.integrity
		} else {
			st.Phase = PhaseLogin
		}
	}
	return st
}

// openPhase is the screen of an open vault: setup until the first
// administrator exists, then login, then ready.
func (s *Session) openPhase() Phase {
	svc := s.life.Services()
	if has, err := svc.Users.HasUsers(); err != nil || !has {
		return PhaseSetup
	}
	if s.actor == nil {
		return PhaseLogin
	}
	return PhaseReady
}

func (s *Session) operatorView() (*OperatorView, error) {
	svc, err := s.services()
	if err != nil {
		return nil, err
	}
	u, p, err := svc.Users.Me(*s.actor)
	if err != nil {
		return nil, err
	}
	return &OperatorView{Username: u.Username, FullName: u.FullName, Email: u.Email, Role: u.Role, RoleName: p.Role.Name,
		Scope: string(u.Scope), SuperAdmin: p.SeesAll(), Permissions: p.Role.Permissions}, nil
}

// CreateFirstAdministrator runs first-run setup: it creates the master key
// (in the OS keyring, or wrapped with the passphrase when no keyring is
// usable), opens the store and creates the first operator, logged in.
func (s *Session) CreateFirstAdministrator(req SetupRequest) (AppState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	const op = "create first administrator"
	if s.state().Phase != PhaseSetup {
		return s.state(), s.fail(op, apperr.New(apperr.Conflict, "Hostbound is already set up"))
	}
	n := users.NewOperator{Username: req.Username, FullName: req.FullName, Email: req.Email,
		Password: req.Password, ConfirmPassword: req.ConfirmPassword}
	// Check the whole form before a key is made, so a typo creates nothing.
	if err := n.Validate(); err != nil {
		return s.state(), s.fail(op, err)
	}
	if err := s.life.CreateKey(req.Passphrase, req.ConfirmPassphrase); err != nil {
		return s.state(), s.fail(op, err)
	}
	s.startOpen()
	svc, err := s.services()
	if err != nil {
		return s.state(), s.fail(op, err)
	}
	u, err := svc.Users.CreateFirstAdministrator(n, access.SourceDesktop)
	if err != nil {
		return s.state(), s.fail(op, err)
	}
	s.logIn(u)
	s.log.WithFields(logrus.Fields{"op": op, "user": u.Username}).Info("first administrator created")
	return s.state(), nil
}

// Unlock unwraps the master key with the passphrase and opens the store.
func (s *Session) Unlock(passphrase string) (AppState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.life.Unlock(passphrase); err != nil {
		return s.state(), s.fail("unlock", err)
	}
	s.startOpen()
	return s.state(), nil
}

// LogIn checks the operator's credentials and starts a session.
func (s *Session) LogIn(username, password string) (AppState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	const op = "login"
	if s.state().Phase != PhaseLogin {
		return s.state(), s.fail(op, apperr.New(apperr.Conflict, "Hostbound is not at the login screen"))
	}
	svc, err := s.services()
	if err != nil {
		return s.state(), s.fail(op, err)
	}
	u, err := svc.Users.Login(username, password, access.SourceDesktop)
	if err != nil {
		return s.state(), s.fail(op, err)
	}
	s.logIn(u)
	s.log.WithFields(logrus.Fields{"op": op, "user": u.Username}).Info("operator logged in")
	return s.state(), nil
}

func (s *Session) logIn(u *users.User) {
	a := users.ActorOf(u, access.SourceDesktop)
	s.actor = &a
	s.lastActive = s.cfg.Clock()
}

// LogOut ends the session.
func (s *Session) LogOut() (AppState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.actor != nil {
		s.logOut("logged out")
	}
	return s.state(), nil
}

func (s *Session) logOut(reason string) {
	if svc := s.life.Services(); svc != nil {
		name := ""
		if u, _, err := svc.Users.Me(*s.actor); err == nil {
			name = u.FullName
		}
		svc.Users.RecordLogout(*s.actor, name, reason)
	}
	s.log.WithFields(logrus.Fields{"op": "logout", "user": s.actor.Username}).Info(reason)
	s.actor = nil
	s.pendingKey = nil
	if s.sample != nil {
		// The sample's only session is the evaluator's: ending it leaves
		// the sample (kept), back to the first-run screen.
		if err := s.closeSample(); err != nil {
			s.log.WithError(err).WithField("op", "close sample data").Warn("close failed")
		}
	}
}

// KeepAlive tells the backend that the operator is active in the UI.
func (s *Session) KeepAlive() error {
	return s.run("keep alive", func(access.Actor, *services.Services) error { return nil })
}

// run holds the session lock, checks the login and the idle timer, and
// runs fn as the operator; errors are mapped for the frontend.
func (s *Session) run(op string, fn func(a access.Actor, svc *services.Services) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, svc, err := s.authorize(op)
	if err != nil {
		return err
	}
	if err := fn(a, svc); err != nil {
		return s.fail(op, err)
	}
	return nil
}

// authorize returns the logged-in operator and refreshes the idle timer, or
// fails with Unauthenticated or SessionExpired. Called with mu held.
func (s *Session) authorize(op string) (access.Actor, *services.Services, error) {
	if s.actor == nil {
		return access.Actor{}, nil, s.fail(op, apperr.New(apperr.Unauthenticated, "Please log in"))
	}
	now := s.cfg.Clock()
	if now.Sub(s.lastActive) > IdleTimeout {
		s.logOut("session ended after 15 idle minutes")
		return access.Actor{}, nil, s.fail(op, apperr.New(apperr.SessionExpired, "Your session ended after 15 minutes of inactivity."))
	}
	svc, err := s.services()
	if err != nil {
		return access.Actor{}, nil, s.fail(op, err)
	}
	s.lastActive = now
	return *s.actor, svc, nil
}

// GetSecurityInfo describes how the master key is kept, for Settings.
func (s *Session) GetSecurityInfo() (SecurityInfo, error) {
	var info SecurityInfo
	err := s.run("view security settings", func(a access.Actor, svc *services.Services) error {
		if err := svc.Settings.MayView(a); err != nil {
			return err
		}
		ls := s.life.State()
		info = SecurityInfo{DataDir: ls.DataDir, LogFile: s.cfg.LogFile, KeyStorage: ls.KeyStorage, StoreBytes: svc.Store.Size()}
		switch ls.KeyStorage {
		case "keyring":
			info.KeyStorageLabel = "OS keyring: the master key is kept in your operating system's keyring (service \"hostbound\")."
		case "passphrase":
			info.KeyStorageLabel = "Passphrase: the master key is wrapped with your passphrase (argon2id) and asked for at every start."
		}
		info.AuditRecords, _ = svc.Trail.Count()
		return nil
	})
	return info, err
}
