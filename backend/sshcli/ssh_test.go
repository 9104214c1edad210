package sshcli_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"encoding/pem"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"hostbound/backend/access"
	"hostbound/backend/audit"
	"hostbound/backend/internal/testdomain"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/sshcli"
	"hostbound/backend/users"
	"hostbound/backend/vault"
)

// Real OpenSSH clients against the server on a loopback port.

const password = "pg s3cret 'pw'"

type rig struct {
	*testdomain.World
	srv  *sshcli.Server
	port string
	dir  string
	res  vault.Resource
	acct vault.Account
}

func start(t *testing.T, o testdomain.Options, cfg sshcli.Config) *rig {
	t.Helper()
	if _, err := exec.LookPath("ssh"); err != nil {
		t.Fatal("the OpenSSH client (ssh) is not installed: run tools/install-deps.sh (package openssh-client)")
	}
	w := testdomain.New(t, o)
	cfg.Users, cfg.Vault, cfg.HostKey, cfg.Clock, cfg.Log = w.Users, w.Vault, w.Settings.SSHHostKey, w.Clock.Now, testenv.Log()
	cfg.Trail = w.Trail
	srv := sshcli.NewServer(cfg)
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Stop(ctx)
	})
	_, port, _ := net.SplitHostPort(srv.Status().Address)
	r := &rig{World: w, srv: srv, port: port, dir: t.TempDir()}
	var err error
	if r.res, err = w.Vault.CreateResource(w.AdminActor, vault.ResourceInput{Name: "db01"}); err != nil {
		t.Fatal(err)
	}
	if r.acct, err = w.Vault.CreateAccount(w.AdminActor, r.res.ID, vault.AccountInput{Name: "postgres", Password: password}); err != nil {
		t.Fatal(err)
	}
	other, err := w.Vault.CreateResource(w.AdminActor, vault.ResourceInput{Name: "unshared"})
	if err == nil {
		_, err = w.Vault.CreateAccount(w.AdminActor, other.ID, vault.AccountInput{Name: "root", Password: "not yours"})
	}
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// key writes a new private key (ed25519 or rsa) to a 0600 file and
// returns its path and authorized_keys line.
func (r *rig) key(t *testing.T, name, kind string) (string, string) {
	t.Helper()
	var priv crypto.Signer
	var err error
	if kind == "rsa" {
		priv, err = rsa.GenerateKey(rand.Reader, 3072)
	} else {
		_, priv, err = ed25519.GenerateKey(rand.Reader)
	}
	if err != nil {
		t.Fatal(err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(r.dir, name)
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	pub, err := gossh.NewPublicKey(priv.Public())
	if err != nil {
		t.Fatal(err)
	}
	return path, strings.TrimSpace(string(gossh.MarshalAuthorizedKey(pub)))
}

// user creates an API user bound to 127.0.0.1 with the SSH key line
// (none when ""), shared db01 with perm (none when "").
func (r *rig) user(t *testing.T, name, authorized string, perm vault.Permission) {
	t.Helper()
	if _, err := r.Users.CreateAPIUser(r.AdminActor, users.APIUserInput{Username: name, Host: "127.0.0.1", FullName: "Svc " + name,
		Role: access.PasswordUser, Scope: access.ScopeOwnedShared, SSHPublicKey: authorized, NeverExpires: true}, nil); err != nil {
		t.Fatal(err)
	}
	if perm != "" {
		if err := r.Vault.Share(r.AdminActor, vault.ShareInput{ResourceID: r.res.ID, Grantee: name, Permission: perm}); err != nil {
			t.Fatal(err)
		}
	}
}

type result struct {
	stdout, stderr string
	code           int
}

// sshArgs are the options every run uses: no configuration, no known
// hosts, no agent, this key only, never a prompt.
func (r *rig) sshArgs(key, login string, extra ...string) []string {
	args := []string{"-F", "/dev/null", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
		"-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-o", "BatchMode=yes", "-o", "ConnectTimeout=5",
		"-p", r.port, "-i", key}
	args = append(args, extra...)
	return append(args, login+"@127.0.0.1")
}

// ssh runs the OpenSSH client: options, then the remote command words.
func (r *rig) ssh(t *testing.T, key, login string, opts []string, command ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 15*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ssh", append(r.sshArgs(key, login, opts...), command...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	res := result{stdout: out.String(), stderr: errb.String()}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		res.code = exit.ExitCode()
	case err != nil:
		t.Fatalf("ssh: %v", err)
	}
	if ctx.Err() != nil {
		t.Fatalf("ssh timed out: %+v", res)
	}
	return res
}

func (r *rig) reveal(t *testing.T) string {
	t.Helper()
	pw, err := r.Vault.RevealPassword(r.AdminActor, r.res.ID, r.acct.ID, vault.Purpose{})
	if err != nil {
		t.Fatal(err)
	}
	return pw
}

func retrieve(extra ...string) []string {
	return append([]string{"RETRIEVE", "--resource=db01", "--account=postgres"}, extra...)
}

func TestRetrieveWithOpenSSH(t *testing.T) {
	t.Parallel()
	r := start(t, testdomain.Options{}, sshcli.Config{})
	edKey, edLine := r.key(t, "ed", "ed25519")
	r.user(t, "backup@web01", edLine, vault.View)
	rsaKey, rsaLine := r.key(t, "rsa", "rsa")
	r.user(t, "rsa@web01", rsaLine, vault.View)

	t.Run("an ed25519 key gets the bare password and CRLF, and the reveal is audited with its reason", func(t *testing.T) {
		got := r.ssh(t, edKey, "backup@web01", nil, retrieve(`--reason="nightly backup"`, "--ticketid=T-42")...)
		if got.code != 0 || got.stdout != password+"\r\n" {
			t.Fatalf("got %+v", got)
		}
		p, err := r.Trail.Query(r.AdminActor, audit.Filter{Actor: "backup@web01", Operation: "reveal password"}, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Records) != 1 || p.Records[0].Result != audit.Success || p.Records[0].Source != "127.0.0.1" ||
			!strings.Contains(p.Records[0].Reason, "reason: nightly backup") || !strings.Contains(p.Records[0].Reason, "ticket: T-42") {
			t.Fatalf("audit: %+v", p.Records)
		}
	})
	t.Run("an RSA 3072 key works too", func(t *testing.T) {
		t.Parallel()
		if got := r.ssh(t, rsaKey, "rsa@web01", nil, retrieve()...); got.code != 0 || got.stdout != password+"\r\n" {
			t.Fatalf("got %+v", got)
		}
	})
	t.Run("a reason the client's shell unquoted still reads as one value", func(t *testing.T) {
		t.Parallel()
		got := r.ssh(t, edKey, "backup@web01", nil, retrieve("--reason=shell", "split")...)
		if got.code != 0 || got.stdout != password+"\r\n" {
			t.Fatalf("got %+v", got)
		}
	})
	t.Run("HELP lists the commands", func(t *testing.T) {
		t.Parallel()
		got := r.ssh(t, edKey, "backup@web01", nil, "HELP")
		if got.code != 0 || !strings.Contains(got.stdout, "RETRIEVE --resource=NAME") || !strings.Contains(got.stdout, "RESET_LOCAL") {
			t.Fatalf("got %+v", got)
		}
	})
}

func TestRefusals(t *testing.T) {
	t.Parallel()
	r := start(t, testdomain.Options{}, sshcli.Config{})
	key, line := r.key(t, "ok", "ed25519")
	r.user(t, "ok@web01", line, vault.View)
	stranger, _ := r.key(t, "stranger", "ed25519")
	offKey, offLine := r.key(t, "off", "ed25519")
	r.user(t, "off@web01", offLine, vault.View)
	if _, err := r.Users.SetDisabled(r.AdminActor, "off@web01", true); err != nil {
		t.Fatal(err)
	}
	r.user(t, "keyless@web01", "", vault.View)
	sock := filepath.Join(r.dir, "fwd.sock")

	for _, tc := range []struct {
		name    string
		key     string
		login   string
		opts    []string
		command []string
		code    int    // 0: any non-zero
		stderr  string // what stderr must hold
	}{
		{"a key that is not the user's stored key", stranger, "ok@web01", nil, retrieve(), 255, users.MsgUnknownSSHKey},
		{"a disabled user", offKey, "off@web01", nil, retrieve(), 255, users.MsgAPIDisabled},
		{"a user with no stored key", key, "keyless@web01", nil, retrieve(), 255, users.MsgUnknownSSHKey},
		{"an unknown user", key, "nobody", nil, retrieve(), 255, users.MsgUnknownSSHKey},
		{"a source other than the user's host", key, "ok@web01", []string{"-b", "127.0.0.2"}, retrieve(), 255, users.MsgWrongHost},
		// OpenSSH gives up itself when a forced PTY is refused (exit 255);
		// a client that carries on gets the server's refusal (exit 2).
		{"a PTY, even with a command", key, "ok@web01", []string{"-tt"}, retrieve(), 0, "PTY allocation"},
		{"stdio forwarding (-W)", key, "ok@web01", []string{"-W", "127.0.0.1:22"}, nil, 255, "open failed"},
		{"remote port forwarding (-R)", key, "ok@web01", []string{"-N", "-o", "ExitOnForwardFailure=yes", "-R", "0:127.0.0.1:22"}, nil, 255, "remote port forwarding failed"},
		{"the sftp subsystem", key, "ok@web01", []string{"-s"}, []string{"sftp"}, 255, "subsystem request failed"},
		{"a shell (no command)", key, "ok@web01", nil, nil, 2, "There is no shell"},
		{"an unknown command", key, "ok@web01", nil, []string{"LIST"}, 2, `Invalid command: unknown command "LIST"`},
		{"a missing --account", key, "ok@web01", nil, []string{"RETRIEVE", "--resource=db01"}, 2, "missing option --account"},
		{"an unknown option", key, "ok@web01", nil, retrieve("--verbose=1"), 2, "unknown option --verbose"},
		{"an account not shared", key, "ok@web01", nil, []string{"RETRIEVE", "--resource=unshared", "--account=root"}, 1, vault.MsgNotFound},
		{"RESET_LOCAL on a view-only share", key, "ok@web01", nil, []string{"RESET_LOCAL", "--resource=db01", "--account=postgres", "--newpassword=x"}, 1, ""},
	} {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			t.Parallel()
			got := r.ssh(t, tc.key, tc.login, tc.opts, tc.command...)
			if got.code == 0 || (tc.code != 0 && got.code != tc.code) || got.stdout != "" || !strings.Contains(got.stderr, tc.stderr) {
				t.Fatalf("got exit %d, stdout %q, stderr %q; want exit %d and %q", got.code, got.stdout, got.stderr, tc.code, tc.stderr)
			}
		})
	}

	t.Run("local port forwarding (-L) opens no channel", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, "ssh", r.sshArgs(key, "ok@web01", "-N", "-L", sock+":127.0.0.1:22")...)
		var errb syncBuffer
		cmd.Stderr = &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() { cancel(); _ = cmd.Wait() }()
		var c net.Conn
		for ctx.Err() == nil {
			var err error
			if c, err = net.Dial("unix", sock); err == nil {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if c == nil {
			t.Fatalf("the forward never listened: %s", errb.String())
		}
		defer c.Close()
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, err := c.Read(make([]byte, 1))
		if n != 0 || err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("the forwarded connection was not closed at once: %d bytes, %v", n, err)
		}
		for ctx.Err() == nil && !strings.Contains(errb.String(), "open failed") {
			time.Sleep(20 * time.Millisecond)
		}
		if !strings.Contains(errb.String(), "open failed") {
			t.Fatalf("ssh did not report the refused channel: %s", errb.String())
		}
	})

}

// syncBuffer is a bytes.Buffer that a running command writes while the
// test reads it.
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

func TestARefusedCommandIsAudited(t *testing.T) {
	t.Parallel()
	r := start(t, testdomain.Options{}, sshcli.Config{})
	key, line := r.key(t, "ok", "ed25519")
	r.user(t, "ok@web01", line, vault.View)
	for _, cmd := range [][]string{{"LIST"}, nil, {"RETRIEVE", "--resource=db01"}} {
		if got := r.ssh(t, key, "ok@web01", nil, cmd...); got.code != 2 {
			t.Fatalf("%v: %+v", cmd, got)
		}
	}
	p, err := r.Trail.Query(r.AdminActor, audit.Filter{Actor: "ok@web01", Operation: "ssh command", Result: audit.Failure}, 0, 10)
	if err != nil || len(p.Records) != 3 {
		t.Fatalf("%d refusal records, %v", len(p.Records), err)
	}
	reasons := []string{p.Records[2].Reason, p.Records[1].Reason, p.Records[0].Reason} // oldest first
	if !strings.Contains(reasons[0], `unknown command "LIST"`) || !strings.Contains(reasons[1], "There is no shell") ||
		!strings.Contains(reasons[2], "missing option --account") || p.Records[0].ActorName == "" {
		t.Fatalf("records: %+v", p.Records)
	}
}
