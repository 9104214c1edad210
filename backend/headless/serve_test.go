package headless

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/audit"
	"hostbound/backend/core"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/masterkey"
	"hostbound/backend/users"
	"hostbound/backend/vault"
)

func TestServeUnlocksWithAPassphraseFileAndStopsCleanly(t *testing.T) {
	dir := t.TempDir()
	const pass = "a long unlock passphrase"
	key, err := masterkey.New(dir, masterkey.NewMemoryKeyring()).CreateWithPassphrase(pass)
	if err != nil {
		t.Fatal(err)
	}
	cfg := core.Config{Log: testenv.Log(), Clock: time.Now, Hasher: users.Hasher{Time: 1, Memory: 1024, Threads: 1}, Resolver: net.DefaultResolver}
	svc, err := core.Open(dir, key, cfg)
	if err != nil {
		t.Fatal(err)
	}
	admin, err := svc.Users.CreateFirstAdministrator(users.NewOperator{Username: "admin", FullName: "Ada",
		Password: "correct horse battery", ConfirmPassword: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	k, _ := apikey.Generate()
	if _, err := svc.Users.CreateAPIUser(admin, users.APIUserInput{Username: "job@localhost", Host: "127.0.0.1", FullName: "Job",
		Role: access.PasswordUser, Scope: access.ScopeOwnedShared, RESTEnabled: true, NeverExpires: true}, &k); err != nil {
		t.Fatal(err)
	}
	a := vault.Actor{Principal: vault.Principal{Username: "admin", Role: access.BuiltInRoles[0], Scope: access.ScopeAll}, Kind: audit.ActorOperator}
	res, _ := svc.Vault.CreateResource(a, vault.ResourceInput{Name: "db01"})
	acct, _ := svc.Vault.CreateAccount(a, res.ID, vault.AccountInput{Name: "postgres", Password: "pg-secret"})
	if err := svc.Vault.Share(a, vault.ShareInput{ResourceID: res.ID, Grantee: "job@localhost", Permission: vault.View}); err != nil {
		t.Fatal(err)
	}
	svc.Store.Close()

	passFile := filepath.Join(t.TempDir(), "pass")
	os.WriteFile(passFile, []byte(pass+"\n"), 0o600)
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()

	t.Run("a wrong passphrase file is refused", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "bad")
		os.WriteFile(bad, []byte("not the passphrase"), 0o600)
		err := Serve(context.Background(), Options{DataDir: dir, Listen: addr, PassphraseFile: bad, Core: cfg})
		if err == nil || !strings.Contains(err.Error(), "wrong passphrase") {
			t.Fatalf("got %v", err)
		}
	})

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, Options{DataDir: dir, Listen: addr, PassphraseFile: passFile, Core: cfg}) }()
	c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	url := fmt.Sprintf("https://%s/restapi/json/v1/resources/%d/accounts/%d/password", addr, res.ID, acct.ID)
	var body string
	for i := 0; i < 100; i++ {
		req, _ := http.NewRequest("GET", url, nil)
		req.Header.Set("AUTHTOKEN", k.String())
		resp, err := c.Do(req)
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			body = string(b)
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(body, `"PASSWORD":"pg-secret"`) {
		t.Fatalf("got %q", body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("stop: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Serve did not stop")
	}
}
