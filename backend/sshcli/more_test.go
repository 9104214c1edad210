package sshcli_test

import (
	"bufio"
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"hostbound/backend/audit"
	"hostbound/backend/internal/testdomain"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/services"
	"hostbound/backend/settings"
	"hostbound/backend/sshcli"
	"hostbound/backend/users"
	"hostbound/backend/vault"
)

func TestResetLocal(t *testing.T) {
	t.Parallel()
	r := start(t, testdomain.Options{}, sshcli.Config{})
	key, line := r.key(t, "mod", "ed25519")
	r.user(t, "mod@web01", line, vault.Modify)
	viewKey, viewLine := r.key(t, "view", "ed25519")
	r.user(t, "view@web01", viewLine, vault.View)

	got := r.ssh(t, viewKey, "view@web01", nil, "RESET_LOCAL", "--resource=db01", "--account=postgres", "--newpassword=taken over")
	if got.code != 1 || got.stdout != "" || got.stderr == "" {
		t.Fatalf("a view-only share: %+v", got)
	}
	if pw := r.reveal(t); pw != password {
		t.Fatalf("the refused change changed the password to %q", pw)
	}

	got = r.ssh(t, key, "mod@web01", nil, "RESET_LOCAL", "--resource=db01", "--account=postgres", `--newpassword="n3w 'pass' word"`, "--reason=rotation")
	if got.code != 0 || got.stdout != "Password changed for account postgres of resource db01\r\n" {
		t.Fatalf("RESET_LOCAL: %+v", got)
	}
	const changed = "n3w 'pass' word"
	if got := r.ssh(t, key, "mod@web01", nil, retrieve()...); got.code != 0 || got.stdout != changed+"\r\n" {
		t.Fatalf("RETRIEVE after RESET_LOCAL: %+v", got)
	}
	if pw := r.reveal(t); pw != changed {
		t.Fatalf("vault.RevealPassword after RESET_LOCAL: %q", pw)
	}
	p, err := r.Trail.Query(r.AdminActor, audit.Filter{Actor: "mod@web01", Operation: "change password"}, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Records) != 1 || p.Records[0].Result != audit.Success || strings.Contains(p.Records[0].Reason+p.Records[0].Target, "n3w") {
		t.Fatalf("audit: %+v", p.Records)
	}
}

func TestOneLoginIsOneFailure(t *testing.T) {
	t.Parallel()
	r := start(t, testdomain.Options{FailBurst: 2}, sshcli.Config{})
	_, line := r.key(t, "ok", "ed25519")
	r.user(t, "ok@web01", line, vault.View)
	stranger, _ := r.key(t, "stranger", "ed25519")
	for i, want := range []string{users.MsgUnknownSSHKey, users.MsgUnknownSSHKey, users.MsgTooMany} {
		if got := r.ssh(t, stranger, "ok@web01", nil, retrieve()...); got.code != 255 || !strings.Contains(got.stderr, want) {
			t.Fatalf("login %d: %+v, want %q", i+1, got, want)
		}
	}
	p, err := r.Trail.Query(r.AdminActor, audit.Filter{Result: audit.Failure, Operation: "SSH LOGIN"}, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Records) == 0 || p.Records[0].Target != "ok@web01" || p.Records[0].Source != "127.0.0.1" {
		t.Fatalf("audit: %+v", p.Records)
	}
}

// banner dials the server and reads its version line (or EOF).
func banner(t *testing.T, addr string) (net.Conn, string) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	line, _ := bufio.NewReader(c).ReadString('\n')
	return c, line
}

func TestConnectionsAreCappedAndHandshakesBounded(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	srv := sshcli.NewServer(sshcli.Config{Users: w.Users, Vault: w.Vault, HostKey: w.Settings.SSHHostKey, Clock: w.Clock.Now,
		Log: testenv.Log(), MaxConns: 2, HandshakeTimeout: 300 * time.Millisecond})
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Stop(context.Background()) })
	addr := srv.Status().Address

	var held []net.Conn
	for range 2 {
		c, line := banner(t, addr)
		if !strings.HasPrefix(line, "SSH-2.0-Hostbound") {
			t.Fatalf("banner %q", line)
		}
		held = append(held, c)
	}
	if _, line := banner(t, addr); line != "" {
		t.Fatalf("a third connection was served: %q", line)
	}
	// Neither held connection finishes its handshake: both are closed,
	// which frees their slots.
	for _, c := range held {
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := c.Read(make([]byte, 4096)); err == nil {
			_, err = c.Read(make([]byte, 4096))
			if err == nil {
				t.Fatal("a silent client kept its connection past the handshake timeout")
			}
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, line := banner(t, addr)
		if strings.HasPrefix(line, "SSH-2.0-") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the slots of closed connections were not given back")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type opened struct{ svc *services.Services }

func (o opened) Services() *services.Services { return o.svc }

func TestRunner(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	_, fp, err := w.Settings.SSHHostKey()
	if err != nil {
		t.Fatal(err)
	}

	t.Run("the desktop's runner is off until Settings enable it", func(t *testing.T) {
		r := sshcli.NewRunner(opened{w.Services}, w.Clock.Now, testenv.Log())
		defer r.Stop()
		if err := r.Restart(); err != nil {
			t.Fatal(err)
		}
		if st := r.Status(); st.Running || st.Fingerprint != fp {
			t.Fatalf("off: %+v", st)
		}
		// Settings take a real port: take a free one, and another if it
		// was taken meanwhile.
		for try := 0; ; try++ {
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr := l.Addr().String()
			l.Close()
			if err := w.Settings.SaveSSH(w.AdminActor, settings.SSH{Listen: addr, Enabled: true}); err != nil {
				t.Fatal(err)
			}
			if err = r.Restart(); err == nil {
				break
			} else if try == 3 {
				t.Fatal(err)
			}
		}
		st := r.Status()
		if !st.Running || st.Fingerprint != fp || strings.HasSuffix(st.Address, ":0") {
			t.Fatalf("on: %+v", st)
		}
		if _, line := banner(t, st.Address); !strings.HasPrefix(line, "SSH-2.0-") {
			t.Fatalf("banner %q", line)
		}
		r.Stop()
		if st := r.Status(); st.Running {
			t.Fatalf("stopped: %+v", st)
		}
		if err := w.Settings.SaveSSH(w.AdminActor, settings.SSH{Listen: settings.DefaultSSHListen}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("serve's runner listens where --ssh-listen says, whatever Settings say", func(t *testing.T) {
		r := sshcli.NewHeadlessRunner(opened{w.Services}, "127.0.0.1:0", w.Clock.Now, testenv.Log())
		defer r.Stop()
		if err := r.Restart(); err != nil {
			t.Fatal(err)
		}
		if st := r.Status(); !st.Running || st.Fingerprint != fp {
			t.Fatalf("%+v", st)
		}
	})
	t.Run("a locked vault is an error in the status", func(t *testing.T) {
		r := sshcli.NewRunner(opened{}, w.Clock.Now, testenv.Log())
		if err := r.Restart(); err == nil || r.Status().Error == "" {
			t.Fatalf("%v %+v", err, r.Status())
		}
	})
}
