// Package core is what the desktop app and `hostbound serve` share: the
// lock/unlock lifecycle of a data directory — the master key from the OS
// keyring or a passphrase, the store, the domain services over it. The
// faces' servers (restapi.Runner) run over its open services.
package core

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"hostbound/backend/apperr"
	"hostbound/backend/backup"
	"hostbound/backend/hostcheck"
	"hostbound/backend/masterkey"
	"hostbound/backend/services"
	"hostbound/backend/store"
	"hostbound/backend/users"
)

// Config is what the services need besides the data directory and key.
type Config struct {
	Log      logrus.FieldLogger
	Clock    func() time.Time
	Hasher   users.Hasher
	Resolver hostcheck.Resolver
	// APIListen is the REST API's address until Settings store one.
	APIListen string
	// Backup tunes backup files (tests lower scrypt's work factor).
	Backup backup.Params
	// StoreURL, when set, is the PostgreSQL database that holds the data
	// (postgres://…) instead of the data directory's db/ (storekind.go).
	StoreURL string
}

// Keyring is the OS keyring as the lifecycle needs it: the masterkey
// interface plus a probe that says whether it can be used at all.
type Keyring interface {
	masterkey.Keyring
	Probe() error
}

// Phase is where a data directory stands.
type Phase string

const (
	PhaseSetup  Phase = "setup"  // no master key yet: first run
	PhaseUnlock Phase = "unlock" // passphrase mode: waiting for the passphrase
	PhaseLocked Phase = "locked" // the key cannot be had; LockedReason says why
	PhaseOpen   Phase = "open"   // unlocked: Services are there
)

// StoreDir is where the database lives inside the data directory.
func StoreDir(dataDir string) string { return filepath.Join(dataDir, "db") }

// Lifecycle opens and closes one data directory. Its methods are safe for
// concurrent use.
type Lifecycle struct {
	dir     string
	keyring Keyring
	mk      *masterkey.Manager
	cfg     Config
	log     logrus.FieldLogger

	mu           sync.Mutex
	phase        Phase
	lockedReason string
	keyringErr   error // nil when the OS keyring is usable
	svc          *services.Services
	key          []byte // the open vault's master key (to reopen it after a failed restore)
	restoring    bool   // a Restore is running
}

// NewLifecycle returns the lifecycle of dataDir; Start reads where it stands.
func NewLifecycle(dataDir string, kr Keyring, c Config) *Lifecycle {
	return &Lifecycle{dir: dataDir, keyring: kr, mk: masterkey.New(dataDir, kr), cfg: c,
		log: c.Log.WithField("component", "core"), phase: PhaseSetup}
}

// Start reads the master key header and, with the key in the OS keyring,
// opens the store right away.
func (l *Lifecycle) Start() Phase {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.start()
	return l.phase
}

// start is Start with mu held.
func (l *Lifecycle) start() {
	if m, err := readMarker(l.dir); err == nil {
		l.phase = PhaseLocked
		l.lockedReason = interruptedReason(l.dir, m)
		l.log.Warn("vault locked: a restore was interrupted")
		return
	}
	if err := l.checkStoreKind(); err != nil {
		l.lock(err)
		return
	}
	h, err := l.mk.Header()
	switch {
	case errors.Is(err, masterkey.ErrNotInitialized):
		l.keyringErr = l.keyring.Probe()
		if l.keyringErr != nil {
			l.log.WithError(l.keyringErr).Info("OS keyring not usable; setup will ask for a passphrase")
		}
		l.phase = PhaseSetup
	case err != nil:
		l.lock(err)
	case h.Mode == masterkey.ModePassphrase:
		l.phase = PhaseUnlock
	default:
		key, err := l.mk.Load()
		if err != nil {
			l.lock(err)
			break
		}
		l.open(key)
	}
}

// State is the lifecycle as screens show it.
type State struct {
	Phase        Phase
	LockedReason string
	// KeyringProblem says why the OS keyring cannot hold a new master key
	// ("" when it can); only meaningful in PhaseSetup.
	KeyringProblem string
	KeyStorage     string // "keyring", "passphrase", or "" before setup
	DataDir        string
}

// State reports where the data directory stands.
func (l *Lifecycle) State() State {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := State{Phase: l.phase, LockedReason: l.lockedReason, DataDir: l.dir}
	if l.keyringErr != nil {
		// Screens already say the keyring is unavailable; give the cause.
		st.KeyringProblem = strings.TrimPrefix(l.keyringErr.Error(), masterkey.ErrKeyringUnavailable.Error()+": ")
	}
	if h, err := l.mk.Header(); err == nil {
		st.KeyStorage = string(h.Mode)
	}
	return st
}

// Services are the domain over the open store; nil unless PhaseOpen.
func (l *Lifecycle) Services() *services.Services {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.svc
}

// CreateKey makes the master key of a fresh data directory — in the OS
// keyring, or wrapped with passphrase when no keyring is usable — and
// opens the store.
func (l *Lifecycle) CreateKey(passphrase, confirm string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.phase != PhaseSetup || l.svc != nil {
		return nil // already has its key (a retried first-run form)
	}
	if err := l.refuseSetUpDatabase(); err != nil {
		return err
	}
	var key []byte
	var err error
	if l.keyringErr == nil {
		key, err = l.mk.CreateInKeyring()
	} else {
		if len([]rune(passphrase)) < masterkey.MinPassphraseLen {
			return apperr.Field("passphrase", "Passphrase: at least %d characters", masterkey.MinPassphraseLen)
		}
		if passphrase != confirm {
			return apperr.Field("confirmPassphrase", "Confirm Passphrase: does not match the passphrase")
		}
		key, err = l.mk.CreateWithPassphrase(passphrase)
	}
	if err != nil {
		return fmt.Errorf("create master key: %w", err)
	}
	l.open(key)
	return l.lockedErr()
}

// Unlock unwraps the master key with the passphrase and opens the store.
func (l *Lifecycle) Unlock(passphrase string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.phase != PhaseUnlock {
		return apperr.New(apperr.Conflict, "Hostbound is not waiting for a passphrase")
	}
	if passphrase == "" {
		return apperr.Field("passphrase", "Passphrase: required")
	}
	key, err := l.mk.Unlock(passphrase)
	if errors.Is(err, masterkey.ErrWrongPassphrase) {
		return apperr.Wrap(apperr.Unauthenticated, err, "Wrong passphrase")
	}
	if err != nil {
		l.lock(err)
		return l.lockedErr()
	}
	l.open(key)
	return l.lockedErr()
}

func (l *Lifecycle) lockedErr() error {
	if l.phase == PhaseLocked {
		return apperr.New(apperr.Locked, "%s", l.lockedReason)
	}
	return nil
}

// open opens the store with key and builds the services. Called with mu held.
func (l *Lifecycle) open(key []byte) {
	st, err := l.openStore(key)
	if err != nil {
		l.lock(err)
		return
	}
	svc, err := services.New(st, key, services.Config{Clock: l.cfg.Clock, Hasher: l.cfg.Hasher, Resolver: l.cfg.Resolver,
		APIListen: l.cfg.APIListen, Backup: l.cfg.Backup})
	if err != nil {
		st.Close()
		l.lock(err)
		return
	}
	l.svc, l.key, l.phase = svc, key, PhaseOpen
	// Loading the indexes decoded every user once: at 100,000 users some
	// 65 MB of garbage the runtime would keep mapped for minutes. Hand it
	// back now, so that the idle process's RSS is what it holds (issue 14).
	debug.FreeOSMemory()
}

// Close closes the store (the app on shutdown, serve on SIGTERM).
func (l *Lifecycle) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.svc == nil {
		return nil
	}
	l.svc.Close()
	err := l.svc.Store.Close()
	l.svc, l.key = nil, nil
	return err
}

// lock moves to PhaseLocked with a reason an administrator can act on.
func (l *Lifecycle) lock(err error) {
	l.phase = PhaseLocked
	l.lockedReason = l.reasonFor(err)
	l.log.WithError(err).Warn("vault locked")
}

// openStore opens the data directory's store: PostgreSQL when the
// configuration names a database (and the directory then records that it
// uses one), else db/. Called with mu held.
func (l *Lifecycle) openStore(key []byte) (*store.Store, error) {
	if l.cfg.StoreURL == "" {
		return store.Open(StoreDir(l.dir), key, l.cfg.Log)
	}
	st, err := store.OpenPostgres(l.cfg.StoreURL, key, l.cfg.Log)
	if err != nil {
		return nil, err
	}
	if err := writeStoreKind(l.dir); err != nil {
		st.Close()
		return nil, fmt.Errorf("record the PostgreSQL store in %s: %w", storeKindFile, err)
	}
	return st, nil
}

func (l *Lifecycle) reasonFor(err error) string {
	r := lockedReason(err, l.dir)
	var kind errStoreKind
	if l.cfg.StoreURL != "" && !errors.As(err, &kind) && (errors.Is(err, masterkey.ErrKeyMissing) || errors.Is(err, masterkey.ErrKeyMismatch) || errors.Is(err, store.ErrWrongKey)) {
		r += usesPostgres
	}
	return r
}

func lockedReason(err error, dir string) string {
	const untouched = " Hostbound has not changed any data."
	var kind errStoreKind
	switch {
	case errors.As(err, &kind):
		return kind.Error() + untouched
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
