package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"hostbound/backend/access"
	"hostbound/backend/applog"
	"hostbound/backend/core"
	"hostbound/backend/datadir"
	"hostbound/backend/masterkey"
	"hostbound/backend/services"
	"hostbound/backend/users"
)

// Session is an open, unlocked data directory and, after Open, the
// operator acting in it. Close it when done: it closes the store and
// releases the data directory.
type Session struct {
	Dir      string
	Life     *core.Lifecycle
	Services *services.Services
	Log      logrus.FieldLogger
	// User and Actor are the logged-in operator (Open only); Actor's
	// source is "cli".
	User  *users.User
	Actor access.Actor
	lock  *datadir.Lock
}

// Close closes the store and releases the data directory.
func (s *Session) Close() error {
	err := s.Life.Close()
	if s.lock != nil {
		err = errors.Join(err, s.lock.Release())
	}
	return err
}

// operatorFlags adds --operator and --passphrase-file to cmd and its
// sub-commands.
func operatorFlags(cmd *cobra.Command) {
	cmd.PersistentFlags().String("operator", "", "operator to act as (default: $"+OperatorEnv+"); the password is asked on the terminal or read from $"+OperatorPasswordFileEnv)
	passphraseFlag(cmd)
}

// passphraseFlag adds --passphrase-file to cmd and its sub-commands.
func passphraseFlag(cmd *cobra.Command) {
	cmd.PersistentFlags().String("passphrase-file", "", "file holding the data directory's passphrase, in passphrase mode (default: $"+PassphraseFileEnv+")")
}

// flag returns a string flag of cmd, "" when cmd has no such flag.
func flag(cmd *cobra.Command, name string) string {
	v, _ := cmd.Flags().GetString(name)
	return v
}

// passphraseFile is --passphrase-file, else $HOSTBOUND_PASSPHRASE_FILE.
func (e *Env) passphraseFile(cmd *cobra.Command) string {
	if f := flag(cmd, "passphrase-file"); f != "" {
		return f
	}
	return e.getenv(PassphraseFileEnv)
}

// lockDir resolves the data directory of cmd and takes its lock. With
// create it makes the directory (init, serve); otherwise a missing one is
// refused.
func (e *Env) lockDir(cmd *cobra.Command, create bool) (string, *datadir.Lock, error) {
	if e.Prepare != nil {
		e.Prepare()
	}
	dir := flag(cmd, "data-dir")
	if dir == "" {
		dir = e.getenv(datadir.EnvVar)
	}
	dir, err := datadir.Resolve(dir)
	if err != nil {
		return "", nil, failf("%w", err)
	}
	if e.CheckDataDir != nil {
		if err := e.CheckDataDir(dir); err != nil {
			return "", nil, usageError{err.Error()}
		}
	}
	if create {
		if err := datadir.Ensure(dir); err != nil {
			return "", nil, failf("%w", err)
		}
	} else if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return "", nil, failf("there is no data directory at %s: set one up with `hostbound init` (or give --data-dir)", dir)
	}
	lock, err := datadir.Acquire(dir)
	if errors.Is(err, datadir.ErrInUse) {
		return "", nil, failf("the data directory %s is in use by another Hostbound (the desktop app or serve)", dir)
	}
	if err != nil {
		return "", nil, failf("%w", err)
	}
	return dir, lock, nil
}

// logger is the commands' logger: Env.Log, or JSON lines appended to the
// data directory's hostbound.log (as the desktop app writes it).
func (e *Env) logger(cmd *cobra.Command, dir string) (*logrus.Logger, error) {
	if e.Log != nil {
		return e.Log, nil
	}
	f, err := applog.OpenFile(filepath.Join(dir, "hostbound.log"))
	if err != nil {
		return nil, failf("%w", err)
	}
	log, err := applog.New(f, flag(cmd, "log-level"))
	if err != nil {
		f.Close()
		return nil, usageError{err.Error()}
	}
	e.Log, e.logFile = log, f
	return log, nil
}

// storeURL is --store, else $HOSTBOUND_STORE: a PostgreSQL connection
// string, or "" for the data directory's own store.
func (e *Env) storeURL(cmd *cobra.Command) (string, error) {
	if cmd.Annotations[localSource] != "" {
		return "", nil
	}
	u := flag(cmd, "store")
	from := "--store"
	if u == "" {
		u, from = e.getenv(StoreEnv), "$"+StoreEnv
	}
	u = strings.TrimSpace(u)
	if u != "" && !core.IsPostgresURL(u) {
		// The value is not echoed: it may hold a password.
		return "", usagef("%s: not a PostgreSQL connection string (postgres://user@host/database); leave it unset for the data directory's own store", from)
	}
	return u, nil
}

func (e *Env) coreConfig(cmd *cobra.Command, log logrus.FieldLogger) (core.Config, error) {
	url, err := e.storeURL(cmd)
	if err != nil {
		return core.Config{}, err
	}
	c := core.Config{Log: log, Clock: e.clock(), Hasher: e.Hasher, Resolver: e.Resolver, StoreURL: url}
	if c.Hasher == (users.Hasher{}) {
		c.Hasher = users.DefaultHasher
	}
	if c.Resolver == nil {
		c.Resolver = net.DefaultResolver
	}
	return c, nil
}

// keyring is the OS keyring (Env.Keyring).
func (e *Env) keyring() core.Keyring {
	if e.Keyring == nil {
		return masterkey.NewOSKeyring()
	}
	return e.Keyring()
}

// OpenDir locks and unlocks the data directory of cmd without logging in
// (for commands that run before there is an operator). The directory must
// be set up.
func (e *Env) OpenDir(cmd *cobra.Command) (*Session, error) {
	dir, lock, err := e.lockDir(cmd, false)
	if err != nil {
		return nil, err
	}
	s, err := e.openLocked(cmd, dir, lock, e.keyring())
	if err != nil {
		lock.Release()
		return nil, err
	}
	has, err := s.Services.Users.HasUsers()
	if err == nil && !has {
		err = failf("the data directory %s has no administrator yet: set it up with `hostbound init`", dir)
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// openLocked opens the locked directory dir with kr.
func (e *Env) openLocked(cmd *cobra.Command, dir string, lock *datadir.Lock, kr core.Keyring) (*Session, error) {
	log, err := e.logger(cmd, dir)
	if err != nil {
		return nil, err
	}
	cfg, err := e.coreConfig(cmd, log)
	if err != nil {
		return nil, err
	}
	life := core.NewLifecycle(dir, kr, cfg)
	s := &Session{Dir: dir, Life: life, Log: log.WithFields(logrus.Fields{"component": "cli", "op": cmd.CommandPath()}), lock: lock}
	switch life.Start() {
	case core.PhaseOpen:
	case core.PhaseSetup:
		return nil, failf("the data directory %s has not been set up: set it up with `hostbound init`", dir)
	case core.PhaseLocked:
		return nil, failf("%s", life.State().LockedReason)
	case core.PhaseUnlock:
		if err := e.unlock(cmd, life); err != nil {
			return nil, err
		}
	}
	s.Services = life.Services()
	return s, nil
}

// unlock unwraps the master key with the passphrase file's passphrase.
func (e *Env) unlock(cmd *cobra.Command, life *core.Lifecycle) error {
	path := e.passphraseFile(cmd)
	if path == "" {
		return failf("this data directory is protected with a passphrase: put it in a file readable only by you and set %s (or give --passphrase-file)", PassphraseFileEnv)
	}
	pass, err := readSecretFile(path, "passphrase file")
	if err != nil {
		return err
	}
	return life.Unlock(pass)
}

// Open opens the data directory of cmd (OpenDir) and logs in as the
// operator: --operator or $HOSTBOUND_OPERATOR (asked on a terminal when
// neither is set), with the password from $HOSTBOUND_OPERATOR_PASSWORD_FILE
// or the terminal.
func (e *Env) Open(cmd *cobra.Command) (*Session, error) {
	name := flag(cmd, "operator")
	if name == "" {
		name = e.getenv(OperatorEnv)
	}
	if name == "" && e.Terminal != nil {
		var err error
		if name, err = e.Terminal.ReadLine("Operator: "); err != nil {
			return nil, failf("read the operator's name: %w", err)
		}
	}
	if strings.TrimSpace(name) == "" {
		return nil, usagef("%s: say who acts: --operator NAME (or set %s)", cmd.CommandPath(), OperatorEnv)
	}
	s, err := e.OpenDir(cmd)
	if err != nil {
		return nil, err
	}
	password, err := e.Secret("the password of "+name, OperatorPasswordFileEnv, "", false)
	if err == nil {
		s.User, err = s.Services.Users.Login(name, password, access.SourceCLI)
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	s.Actor = users.ActorOf(s.User, access.SourceCLI)
	s.Log = s.Log.WithField("user", s.User.Username)
	return s, nil
}

// Secret reads a secret: from the file path names (or, when path is "",
// the file the environment variable fileEnv names), else from the
// terminal without echo (asked twice when confirm). what names it in
// prompts and messages ("the password of admin").
func (e *Env) Secret(what, fileEnv, path string, confirm bool) (string, error) {
	if path == "" && fileEnv != "" {
		path = e.getenv(fileEnv)
	}
	if path != "" {
		return readSecretFile(path, fileEnv)
	}
	if e.Terminal == nil {
		return "", failf("no terminal to ask for %s: put it in a file readable only by you and set %s", what, fileEnv)
	}
	first, err := e.Terminal.ReadPassword(upperFirst(what) + ": ")
	if err != nil {
		return "", failf("read %s: %w", what, err)
	}
	if !confirm {
		return first, nil
	}
	again, err := e.Terminal.ReadPassword("Again, " + what + ": ")
	if err != nil {
		return "", failf("read %s: %w", what, err)
	}
	if first != again {
		return "", failf("the two entries of %s differ", what)
	}
	return first, nil
}

// readSecretFile reads a secret from a file, without its line end. what
// names the file in messages; the content never appears in one.
func readSecretFile(path, what string) (string, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", failf("%s %s does not exist", what, path)
	}
	if err != nil {
		return "", failf("read %s %s: %w", what, path, err)
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// passphraseOnly is a keyring that setup must not use: the operator asked
// for passphrase mode by giving a passphrase file.
type passphraseOnly struct{ core.Keyring }

func (passphraseOnly) Probe() error {
	return fmt.Errorf("%w: a passphrase file was given", masterkey.ErrKeyringUnavailable)
}
