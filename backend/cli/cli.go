package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"hostbound/backend/apperr"
	"hostbound/backend/core"
	"hostbound/backend/datadir"
	"hostbound/backend/hostcheck"
	"hostbound/backend/settings"
	"hostbound/backend/users"
)

// Exit codes (the package doc says when).
const (
	ExitOK                  = 0
	ExitFailed              = 1
	ExitUsage               = 2
	PassphraseFileEnv       = "HOSTBOUND_PASSPHRASE_FILE"
	OperatorEnv             = "HOSTBOUND_OPERATOR"
	OperatorPasswordFileEnv = "HOSTBOUND_OPERATOR_PASSWORD_FILE"
	StoreEnv                = "HOSTBOUND_STORE"
)

// WindowOptions are the root command's flags, for the desktop window.
type WindowOptions struct {
	DataDir   string
	StoreURL  string // a PostgreSQL store (--store), "" for the data directory's own
	LogLevel  string
	APIListen string
}

// ServeOptions are what `hostbound serve` hands to the server.
type ServeOptions struct {
	DataDir        string
	Listen         string
	SSHListen      string
	PassphraseFile string
	Keyring        core.Keyring
	Core           core.Config
	// Started, when set, is told the server's address once it listens.
	Started func(url, fingerprint string)
}

// Terminal is the user's terminal: what they type, echoed or not. The
// prompt goes to the terminal (stderr), never to stdout.
type Terminal interface {
	ReadLine(prompt string) (string, error)
	ReadPassword(prompt string) (string, error)
}

// Env is everything the commands take from outside: the streams, the
// environment, the OS keyring, the domain's configuration, and the two
// things only main can do (the window; the server, which wires the other
// faces). Tests build one over buffers and a temporary directory.
type Env struct {
	Version string
	Stdout  io.Writer
	Stderr  io.Writer
	// Terminal is nil when stdin is not a terminal: secrets must then come
	// from the files the environment names.
	Terminal Terminal
	// StderrTTY draws progress bars; otherwise progress is plain lines.
	StderrTTY bool
	Getenv    func(string) string
	Keyring   func() core.Keyring
	Hasher    users.Hasher
	Resolver  hostcheck.Resolver
	Clock     func() time.Time
	// Prepare runs before a command touches the file system (main's umask).
	Prepare func()
	// CheckDataDir refuses a data directory before anything opens it (a
	// development build and the user's real data); nil accepts any.
	CheckDataDir func(dir string) error
	// Window runs the desktop app (no sub-command); its result is the exit code.
	Window func(WindowOptions) int
	// Serve runs the REST API (and SSH CLI) until ctx ends.
	Serve func(ctx context.Context, o ServeOptions) error
	// Log is the logger of the commands; nil: a JSON log in the data
	// directory's hostbound.log, at --log-level.
	Log     *logrus.Logger
	logFile *os.File // the log Run closes
}

// usageError is a mistake in the command line: exit 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// usagef returns a usage error (exit 2).
func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// shownError is an error whose text is meant for the user as it is (exit 1).
type shownError struct{ err error }

func (e shownError) Error() string { return e.err.Error() }
func (e shownError) Unwrap() error { return e.err }

// failf returns an error shown as it is (exit 1); %w keeps a cause.
func failf(format string, args ...any) error { return shownError{fmt.Errorf(format, args...)} }

// exactArgs is cobra.ExactArgs as a usage error; names are the arguments' names.
func exactArgs(names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		switch {
		case len(args) < len(names):
			return usagef("%s: missing %s", cmd.CommandPath(), strings.Join(names[len(args):], " "))
		case len(args) > len(names):
			return usagef("%s: unexpected argument %q", cmd.CommandPath(), args[len(names)])
		}
		return nil
	}
}

// group makes cmd a command that only holds sub-commands: alone it prints
// its help and exits 2, with an unknown sub-command it says so.
func group(cmd *cobra.Command) *cobra.Command {
	cmd.Args = cobra.ArbitraryArgs
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) > 0 {
			return usagef("unknown command %q for %q", args[0], cmd.CommandPath())
		}
		cmd.SetOut(cmd.ErrOrStderr())
		_ = cmd.Help()
		return usagef("%s: which command?", cmd.CommandPath())
	}
	return cmd
}

const rootLong = `Hostbound keeps the passwords of servers and services in an encrypted vault
and gives each host's scripts an API user bound to that host. Without a
command it opens the desktop app; the commands administer a data directory
without a window (on a headless box, or from scripts).

Every command except version opens the data directory (--data-dir, else
$HOSTBOUND_DATA_DIR, else <user config dir>/hostbound) and refuses while the
desktop app or serve holds it. The data is in the directory, or, for a team
running several serve nodes, in the PostgreSQL database that --store (else
$HOSTBOUND_STORE) names; each node keeps its own data directory for the
master key header and the log. The master key comes from the OS keyring, or,
in passphrase mode, from the file $HOSTBOUND_PASSPHRASE_FILE names. Commands
act as an operator (--operator, else $HOSTBOUND_OPERATOR), whose password is
asked on the terminal without echo or read from the file
$HOSTBOUND_OPERATOR_PASSWORD_FILE names; what they do is audited with
source "cli". Secrets are never taken from the command line.

Exit codes:
  0  done
  1  refused or failed (the reason is printed, with every field error)
  2  usage: unknown command or flag, missing or extra argument`

// NewRoot returns the `hostbound` command with every sub-command.
func NewRoot(env *Env) *cobra.Command {
	var w WindowOptions
	var showVersion bool
	root := &cobra.Command{
		Use:   "hostbound",
		Short: "Application-to-application password management (desktop app and headless server)",
		Long:  rootLong,
		Example: `  hostbound                                   # the desktop app
  hostbound init --operator admin --full-name "Ada Admin"
  hostbound apiuser add deploy@web01 --host web01.example.com --full-name "Deploy on web01" \
      --role "Password User" --never-expires --operator admin
  hostbound serve --listen 0.0.0.0:7272`,
		Args:              noArgs,
		SilenceErrors:     true,
		SilenceUsage:      true,
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: true},
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			if showVersion {
				env.Printf("hostbound %s\n", env.Version)
				return nil
			}
			if w.StoreURL, err = env.storeURL(cmd); err != nil {
				return err
			}
			if env.Window == nil {
				return failf("this build has no desktop window: use a command (hostbound --help)")
			}
			if code := env.Window(w); code != ExitOK {
				return exitCode(code)
			}
			return nil
		},
	}
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error { return usageError{err.Error()} })
	pf := root.PersistentFlags()
	pf.StringVar(&w.DataDir, "data-dir", "", "data directory (default: $"+datadir.EnvVar+" or <user config dir>/hostbound)")
	pf.StringVar(&w.LogLevel, "log-level", "info", "log level: debug, info, warn, error")
	pf.String("store", "", "PostgreSQL database holding the data, postgres://… (default: $"+StoreEnv+"; else the data directory's own store)")
	root.Flags().StringVar(&w.APIListen, "api-listen", settings.DefaultListen, "REST API address of the desktop app until Settings change it")
	root.Flags().BoolVar(&showVersion, "version", false, "print the version and exit")
	register(root, env)
	return root
}

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("unknown command %q for %q", args[0], cmd.CommandPath())
	}
	return nil
}

// exitCode is the window's non-zero exit code, passed through.
type exitCode int

func (c exitCode) Error() string { return fmt.Sprintf("exit %d", int(c)) }

// allowExplorer turns off cobra's refusal to run when Windows Explorer
// starts the program (double-click): that is how the desktop app starts.
var allowExplorer sync.Once

// Run runs the command line args (without the program name) and returns
// the exit code. ctx ends serve (main gives it SIGTERM and Ctrl-C).
func Run(ctx context.Context, env *Env, args []string) int {
	allowExplorer.Do(func() { cobra.MousetrapHelpText = "" })
	root := NewRoot(env)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	code := ExitOK
	if err != nil {
		code = env.report(cmd, err)
	}
	if env.logFile != nil {
		env.logFile.Close()
		env.Log, env.logFile = nil, nil
	}
	return code
}

// report prints err and returns its exit code.
func (e *Env) report(cmd *cobra.Command, err error) int {
	var code exitCode
	if errors.As(err, &code) {
		return int(code)
	}
	var ue usageError
	// cobra's own argument errors (unknown command) are usage too.
	if errors.As(err, &ue) || strings.HasPrefix(err.Error(), "unknown command") {
		e.Errorf("hostbound: %s\n", err)
		path := "hostbound"
		if cmd != nil {
			path = cmd.CommandPath()
		}
		e.Errorf("Run '%s --help' for usage.\n", path)
		return ExitUsage
	}
	var shown shownError
	if pub := apperr.As(err); pub != nil && pub.Code != apperr.Internal {
		if len(pub.Fields) > 1 {
			e.Errorf("hostbound: refused, %d fields are not valid:\n", len(pub.Fields))
			for _, f := range pub.Fields {
				e.Errorf("  - %s\n", f.Message)
			}
		} else {
			e.Errorf("hostbound: %s\n", pub.Message)
		}
		return ExitFailed
	} else if errors.As(err, &shown) {
		e.Errorf("hostbound: %s\n", err)
		return ExitFailed
	}
	if e.Log != nil {
		e.Log.WithField("component", "cli").WithError(err).Error("command failed")
	}
	e.Errorf("hostbound: internal error (the log in the data directory has the details)\n")
	return ExitFailed
}

// Printf writes to stdout (what a script reads).
func (e *Env) Printf(format string, args ...any) { fmt.Fprintf(e.Stdout, format, args...) }

// Errorf writes to stderr (messages for the person).
func (e *Env) Errorf(format string, args ...any) { fmt.Fprintf(e.Stderr, format, args...) }

func (e *Env) getenv(k string) string {
	if e.Getenv == nil {
		return os.Getenv(k)
	}
	return e.Getenv(k)
}

func (e *Env) clock() func() time.Time {
	if e.Clock == nil {
		return time.Now
	}
	return e.Clock
}
