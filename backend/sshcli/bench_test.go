package sshcli_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"hostbound/backend/access"
	"hostbound/backend/internal/testdomain"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/sshcli"
	"hostbound/backend/users"
	"hostbound/backend/vault"
)

// BenchmarkSSHRetrieve makes one RETRIEVE per new SSH connection — dial,
// handshake with an ed25519 key, a session, the command, the password read,
// close — with Go's SSH client at 1 and 4 concurrent clients, and the
// handshake alone (dial, key exchange, public-key login, close) beside it.
// Reported: retrievals/s (handshakes/s for the handshake alone), p50 and
// p99 latency (ms); every retrieval must return the password. Compare
// ratios within one run; absolute figures move with the machine.
func BenchmarkSSHRetrieve(b *testing.B) {
	const pw, login = "bench s3cr3t 'pw'", "bench@web01"
	w := testdomain.New(b, testdomain.Options{})
	srv := sshcli.NewServer(sshcli.Config{Users: w.Users, Vault: w.Vault, HostKey: w.Settings.SSHHostKey, Clock: w.Clock.Now, Log: testenv.Log()})
	if err := srv.Start("127.0.0.1:0"); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Stop(ctx)
	})
	addr := srv.Status().Address
	hostKey, _, err := w.Settings.SSHHostKey()
	if err != nil {
		b.Fatal(err)
	}
	res, err := w.Vault.CreateResource(w.AdminActor, vault.ResourceInput{Name: "db01"})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := w.Vault.CreateAccount(w.AdminActor, res.ID, vault.AccountInput{Name: "postgres", Password: pw}); err != nil {
		b.Fatal(err)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		b.Fatal(err)
	}
	line := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(signer.PublicKey())))
	if _, err := w.Users.CreateAPIUser(w.AdminActor, users.APIUserInput{Username: login, Host: "127.0.0.1", FullName: "Bench",
		Role: access.PasswordUser, Scope: access.ScopeOwnedShared, SSHPublicKey: line, NeverExpires: true}, nil); err != nil {
		b.Fatal(err)
	}
	if err := w.Vault.Share(w.AdminActor, vault.ShareInput{ResourceID: res.ID, Grantee: login, Permission: vault.View}); err != nil {
		b.Fatal(err)
	}
	cfg := &gossh.ClientConfig{User: login, Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.FixedHostKey(hostKey.PublicKey()), Timeout: 5 * time.Second}

	// connect dials and logs in, the whole exchange bounded by a deadline.
	connect := func() (*gossh.Client, error) {
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			return nil, err
		}
		_ = c.SetDeadline(time.Now().Add(10 * time.Second))
		cc, chans, reqs, err := gossh.NewClientConn(c, addr, cfg)
		if err != nil {
			c.Close()
			return nil, err
		}
		return gossh.NewClient(cc, chans, reqs), nil
	}
	retrieve := func() error {
		client, err := connect()
		if err != nil {
			return err
		}
		defer client.Close()
		s, err := client.NewSession()
		if err != nil {
			return err
		}
		defer s.Close()
		var out, errb bytes.Buffer
		s.Stdout, s.Stderr = &out, &errb
		if err := s.Run(`RETRIEVE --resource=db01 --account=postgres --reason=benchmark`); err != nil {
			return fmt.Errorf("RETRIEVE: %w (stderr %q)", err, errb.String())
		}
		if out.String() != pw+"\r\n" {
			return fmt.Errorf("RETRIEVE printed %q, stderr %q", out.String(), errb.String())
		}
		return nil
	}
	handshake := func() error {
		client, err := connect()
		if err != nil {
			return err
		}
		return client.Close()
	}
	for _, conc := range []int{1, 4} {
		b.Run(fmt.Sprintf("clients=%d/retrieve", conc), func(b *testing.B) { testenv.Load(b, conc, "retrievals/s", retrieve) })
		b.Run(fmt.Sprintf("clients=%d/handshake-only", conc), func(b *testing.B) { testenv.Load(b, conc, "handshakes/s", handshake) })
	}
}
