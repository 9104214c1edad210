package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"hostbound/backend/access"
	"hostbound/backend/core"
	"hostbound/backend/masterkey"
	"hostbound/backend/users"
)

func addInit(root *cobra.Command, env *Env) {
	var operator, fullName, email string
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Set up a fresh data directory: master key and first administrator",
		Long: `Set up a fresh data directory without a window, as the desktop app's first-run
screen does: a new master key, kept in the OS keyring, or, when a passphrase
file is given (--passphrase-file or $HOSTBOUND_PASSPHRASE_FILE), wrapped with
that passphrase (passphrase mode, for boxes without a keyring); then the first
operator, a Privileged Administrator with the All Passwords scope.

The operator's password is asked twice on the terminal without echo, or read
from the file $HOSTBOUND_OPERATOR_PASSWORD_FILE names. A data directory that
already has an administrator is refused (exit 1); nothing in it changes.`,
		Example: `  # keyring mode, asking for what is missing
  hostbound init --data-dir /srv/hostbound

  # passphrase mode, for a service account without a keyring, unattended
  HOSTBOUND_PASSPHRASE_FILE=/etc/hostbound/passphrase \
  HOSTBOUND_OPERATOR_PASSWORD_FILE=/root/admin-password \
    hostbound init --data-dir /srv/hostbound --operator admin --full-name "Ada Admin"`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return env.runInit(cmd, users.NewOperator{Username: operator, FullName: fullName, Email: email})
		},
	}
	cmd.Flags().StringVar(&operator, "operator", "", "username of the first administrator (asked on a terminal when missing)")
	cmd.Flags().StringVar(&fullName, "full-name", "", "full name of the first administrator (asked on a terminal when missing)")
	cmd.Flags().StringVar(&email, "email", "", "email of the first administrator (optional)")
	passphraseFlag(cmd)
	root.AddCommand(cmd)
}

func (e *Env) runInit(cmd *cobra.Command, op users.NewOperator) error {
	dir, lock, err := e.lockDir(cmd, true)
	if err != nil {
		return err
	}
	passFile := e.passphraseFile(cmd)
	kr := e.keyring()
	if passFile != "" {
		kr = passphraseOnly{kr}
	}
	log, err := e.logger(cmd, dir)
	if err != nil {
		lock.Release()
		return err
	}
	cfg, err := e.coreConfig(cmd, log)
	if err != nil {
		lock.Release()
		return err
	}
	life := core.NewLifecycle(dir, kr, cfg)
	s := &Session{Dir: dir, Life: life, lock: lock}
	defer s.Close()
	phase := life.Start()
	switch phase {
	case core.PhaseLocked:
		return failf("%s", life.State().LockedReason)
	case core.PhaseUnlock:
		if err := e.unlock(cmd, life); err != nil {
			return err
		}
	}
	if phase != core.PhaseSetup {
		// A master key exists: set up already, or stopped before its
		// first administrator.
		has, err := life.Services().Users.HasUsers()
		if err != nil {
			return err
		}
		if has {
			return failf("the data directory %s is already set up (it has an administrator); nothing was changed", dir)
		}
	}
	if err := e.askOperator(&op); err != nil {
		return err
	}
	if phase == core.PhaseSetup {
		var pass string
		if passFile != "" {
			if pass, err = readSecretFile(passFile, "passphrase file"); err != nil {
				return err
			}
		} else if problem := life.State().KeyringProblem; problem != "" {
			return failf("the OS keyring cannot hold the master key (%s): for passphrase mode put a passphrase of at least %d characters in a file readable only by you and set %s (or give --passphrase-file)",
				problem, masterkey.MinPassphraseLen, PassphraseFileEnv)
		}
		if err := life.CreateKey(pass, pass); err != nil {
			return err
		}
	}
	u, err := life.Services().Users.CreateFirstAdministrator(op, access.SourceCLI)
	if err != nil {
		return err
	}
	mode := "in the OS keyring"
	if life.State().KeyStorage == string(masterkey.ModePassphrase) {
		mode = "wrapped with the passphrase (passphrase mode: serve and the commands read it from " + PassphraseFileEnv + ")"
	}
	e.Errorf("Set up %s: master key %s; first administrator %s (Privileged Administrator, All Passwords).\n", dir, mode, u.Username)
	e.Errorf("Add API users with `hostbound apiuser add`, serve the REST API with `hostbound serve --data-dir %s`.\n", dir)
	return nil
}

// askOperator fills what the flags left out of the first administrator
// from the terminal, and checks it all before anything is written.
func (e *Env) askOperator(op *users.NewOperator) error {
	for _, f := range []struct {
		v      *string
		prompt string
		flag   string
	}{{&op.Username, "Username of the first administrator: ", "--operator"}, {&op.FullName, "Full name: ", "--full-name"}} {
		if strings.TrimSpace(*f.v) != "" {
			continue
		}
		if e.Terminal == nil {
			return usagef("hostbound init: %s is required (no terminal to ask)", f.flag)
		}
		v, err := e.Terminal.ReadLine(f.prompt)
		if err != nil {
			return failf("read the first administrator: %w", err)
		}
		*f.v = v
	}
	// Name and full name are checked before the password is asked for.
	if err := (users.NewOperator{Username: op.Username, FullName: op.FullName, Email: op.Email,
		Password: strings.Repeat("x", users.MinPasswordLen), ConfirmPassword: strings.Repeat("x", users.MinPasswordLen)}).Validate(); err != nil {
		return err
	}
	pw, err := e.Secret("the password of "+op.Username, OperatorPasswordFileEnv, "", true)
	if err != nil {
		return err
	}
	op.Password, op.ConfirmPassword = pw, pw
	return op.Validate()
}
