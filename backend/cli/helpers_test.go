package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/core"
	"hostbound/backend/headless"
	"hostbound/backend/internal/testdomain"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/masterkey"
	"hostbound/backend/services"
	"hostbound/backend/users"
)

const (
	passphrase    = "a long unlock passphrase"
	adminPassword = "correct horse battery"
)

// fixture is a data directory in t.TempDir() and the environment the
// commands see: its own variables (none of the process's), a memory
// keyring, the files holding the passphrase and the operator's password.
type fixture struct {
	t        *testing.T
	dir      string
	env      map[string]string
	keyring  *masterkey.MemoryKeyring
	terminal Terminal
}

// newFixture returns a fresh (not yet set up) data directory; with
// passphraseMode the commands get HOSTBOUND_PASSPHRASE_FILE.
func newFixture(t *testing.T, passphraseMode bool) *fixture {
	t.Helper()
	tmp := t.TempDir()
	f := &fixture{t: t, dir: filepath.Join(tmp, "data"), keyring: masterkey.NewMemoryKeyring(), env: map[string]string{}}
	f.env["HOSTBOUND_DATA_DIR"] = f.dir
	f.env[OperatorPasswordFileEnv] = f.file("admin-password", adminPassword+"\n")
	if passphraseMode {
		f.env[PassphraseFileEnv] = f.file("passphrase", passphrase+"\n")
	}
	return f
}

// file writes a file next to the data directory and returns its path.
func (f *fixture) file(name, content string) string {
	f.t.Helper()
	p := filepath.Join(filepath.Dir(f.dir), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		f.t.Fatal(err)
	}
	return p
}

// result is one command's outcome.
type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader at once
// (serve logs while the test reads).
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (f *fixture) newEnv(stdout, stderr *syncBuffer) *Env {
	return &Env{
		Version: "1.2.3-test", Stdout: stdout, Stderr: stderr, Terminal: f.terminal,
		Getenv:  func(k string) string { return f.env[k] },
		Keyring: func() core.Keyring { return f.keyring },
		Hasher:  testdomain.FastHasher, Resolver: testdomain.LocalDNS,
		Window: func(WindowOptions) int { return 0 },
		Serve: func(ctx context.Context, o ServeOptions) error {
			return headless.Serve(ctx, headless.Options{DataDir: o.DataDir, Listen: o.Listen, SSHListen: o.SSHListen,
				PassphraseFile: o.PassphraseFile, Keyring: o.Keyring, Core: o.Core, Started: o.Started})
		},
	}
}

// run runs one command line as main would.
func (f *fixture) run(args ...string) result {
	f.t.Helper()
	return f.runCtx(context.Background(), nil, args...)
}

// runCtx runs args with ctx; stdout, when given, receives stdout as it is
// written.
func (f *fixture) runCtx(ctx context.Context, stdout *syncBuffer, args ...string) result {
	if stdout == nil {
		stdout = &syncBuffer{}
	}
	var stderr syncBuffer
	code := Run(ctx, f.newEnv(stdout, &stderr), args)
	return result{stdout: stdout.String(), stderr: stderr.String(), code: code}
}

// must runs args and fails the test unless they exit 0.
func (f *fixture) must(args ...string) result {
	f.t.Helper()
	r := f.run(args...)
	if r.code != 0 {
		f.t.Fatalf("hostbound %s: %s", strings.Join(args, " "), r)
	}
	return r
}

// refused runs args and fails the test unless they exit code with want
// in stderr.
func (f *fixture) refused(code int, want string, args ...string) result {
	f.t.Helper()
	r := f.run(args...)
	if r.code != code || !strings.Contains(r.stderr, want) {
		f.t.Fatalf("hostbound %s: want exit %d with %q, got %s", strings.Join(args, " "), code, want, r)
	}
	return r
}

// initialised sets the directory up with `hostbound init` as "admin".
func (f *fixture) initialised() *fixture {
	f.t.Helper()
	f.must("init", "--operator", "admin", "--full-name", "Ada Admin")
	return f
}

// domain opens the data directory as the app does (not through the CLI)
// and runs fn as admin at the desktop.
func (f *fixture) domain(fn func(svc *services.Services, admin access.Actor)) {
	f.t.Helper()
	kr := core.Keyring(f.keyring)
	life := core.NewLifecycle(f.dir, kr, core.Config{Log: testenv.Log(), Clock: f.clock(), Hasher: testdomain.FastHasher, Resolver: testdomain.LocalDNS})
	switch ph := life.Start(); ph {
	case core.PhaseUnlock:
		if err := life.Unlock(passphrase); err != nil {
			f.t.Fatal(err)
		}
	case core.PhaseOpen:
	default:
		f.t.Fatalf("phase %s: %s", ph, life.State().LockedReason)
	}
	defer life.Close()
	svc := life.Services()
	u, err := svc.Users.Login("admin", adminPassword, access.SourceDesktop)
	if err != nil {
		f.t.Fatal(err)
	}
	fn(svc, users.ActorOf(u, access.SourceDesktop))
}

// keyStorage is where the master key is kept: "keyring" or "passphrase".
func (f *fixture) keyStorage() string {
	return core.NewLifecycle(f.dir, f.keyring, core.Config{Log: testenv.Log()}).State().KeyStorage
}

func (f *fixture) clock() func() time.Time { return time.Now }

// fakeTerminal answers prompts from a script, in order.
type fakeTerminal struct {
	mu      sync.Mutex
	answers []string
	prompts []string
}

func (t *fakeTerminal) next(prompt string) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.prompts = append(t.prompts, prompt)
	if len(t.answers) == 0 {
		return "", errors.New("EOF")
	}
	a := t.answers[0]
	t.answers = t.answers[1:]
	return a, nil
}

func (t *fakeTerminal) ReadLine(prompt string) (string, error)     { return t.next(prompt) }
func (t *fakeTerminal) ReadPassword(prompt string) (string, error) { return t.next(prompt) }
