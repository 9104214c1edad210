package headless

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/core"
	"hostbound/backend/internal/testdomain"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/masterkey"
	"hostbound/backend/settings"
	"hostbound/backend/users"
	"hostbound/backend/vault"
)

const (
	passphrase    = "a long unlock passphrase"
	adminPassword = "correct horse battery"
)

// config is what serve's main passes, with fast hashing and a static DNS;
// no APIListen, as in `hostbound serve`.
func config() core.Config {
	return core.Config{Log: testenv.Log(), Clock: time.Now, Hasher: testdomain.FastHasher, Resolver: testdomain.LocalDNS}
}

// dataDir is a data directory set up as the desktop app sets it up: a
// master key (in kr, or wrapped with the passphrase when kr is
// unavailable) and, unless fn is nil, what fn adds with the open services
// as the first administrator. The store is closed again when it returns.
func dataDir(t *testing.T, kr core.Keyring, fn func(life *core.Lifecycle, admin access.Actor)) string {
	t.Helper()
	dir := t.TempDir()
	life := core.NewLifecycle(dir, kr, config())
	if ph := life.Start(); ph != core.PhaseSetup {
		t.Fatalf("a fresh data directory is in phase %s", ph)
	}
	if err := life.CreateKey(passphrase, passphrase); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := life.Close(); err != nil {
			t.Fatal(err)
		}
	}()
	if fn == nil {
		return dir
	}
	admin, err := life.Services().Users.CreateFirstAdministrator(users.NewOperator{Username: "admin", FullName: "Ada",
		Password: adminPassword, ConfirmPassword: adminPassword}, access.SourceDesktop)
	if err != nil {
		t.Fatal(err)
	}
	fn(life, users.ActorOf(admin, access.SourceDesktop))
	return dir
}

// unavailable is a keyring that cannot be used: setup wraps the key with
// the passphrase.
func unavailable() *masterkey.MemoryKeyring {
	kr := masterkey.NewMemoryKeyring()
	kr.Err = masterkey.ErrKeyringUnavailable
	return kr
}

// serving runs Serve in the background until the returned stop is called;
// it waits for Started and returns the URL it was told. stop (also run
// when the test ends) returns Serve's error, failing the test if Serve
// does not return.
func serving(t *testing.T, o Options) (string, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan string, 1)
	o.Started = func(u, fp string) {
		if len(fp) != 95 {
			t.Errorf("fingerprint %q", fp)
		}
		started <- u
	}
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, o) }()
	var once sync.Once
	var stopErr error
	stop := func() error {
		once.Do(func() {
			cancel()
			select {
			case stopErr = <-done:
			case <-time.After(15 * time.Second):
				t.Error("Serve did not stop")
			}
		})
		return stopErr
	}
	select {
	case u := <-started:
		t.Cleanup(func() { _ = stop() })
		return u, stop
	case err := <-done:
		cancel()
		t.Fatalf("Serve returned before it started: %v", err)
	case <-time.After(15 * time.Second):
		cancel()
		t.Fatal("Serve did not start")
	}
	return "", nil
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestServeUnlocksWithAPassphraseFileAndStopsCleanly(t *testing.T) {
	t.Parallel()
	k, _ := apikey.Generate()
	var rid, aid uint64
	dir := dataDir(t, unavailable(), func(life *core.Lifecycle, admin access.Actor) {
		svc := life.Services()
		if _, err := svc.Users.CreateAPIUser(admin, users.APIUserInput{Username: "job@localhost", Host: "127.0.0.1", FullName: "Job",
			Role: access.PasswordUser, Scope: access.ScopeOwnedShared, RESTEnabled: true, NeverExpires: true}, &k); err != nil {
			t.Fatal(err)
		}
		res, err := svc.Vault.CreateResource(admin, vault.ResourceInput{Name: "db01"})
		if err != nil {
			t.Fatal(err)
		}
		acct, err := svc.Vault.CreateAccount(admin, res.ID, vault.AccountInput{Name: "postgres", Password: "pg-secret"})
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.Vault.Share(admin, vault.ShareInput{ResourceID: res.ID, Grantee: "job@localhost", Permission: vault.View}); err != nil {
			t.Fatal(err)
		}
		rid, aid = res.ID, acct.ID
	})

	passFile := filepath.Join(t.TempDir(), "pass")
	if err := os.WriteFile(passFile, []byte(passphrase+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)

	t.Run("a wrong passphrase file is refused", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "bad")
		os.WriteFile(bad, []byte("not the passphrase"), 0o600)
		err := Serve(context.Background(), Options{DataDir: dir, Listen: addr, PassphraseFile: bad, Keyring: unavailable(), Core: config()})
		if err == nil || !strings.Contains(err.Error(), "wrong passphrase") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("without a passphrase file it says which variable to set", func(t *testing.T) {
		err := Serve(context.Background(), Options{DataDir: dir, Listen: addr, Keyring: unavailable(), Core: config()})
		if err == nil || !strings.Contains(err.Error(), PassphraseFileEnv) {
			t.Fatalf("got %v", err)
		}
	})

	base, stop := serving(t, Options{DataDir: dir, Listen: addr, PassphraseFile: passFile, Keyring: unavailable(), Core: config()})
	if want := "https://" + addr + "/restapi/json/v1"; base != want {
		t.Fatalf("serving on %q, want %q (--listen)", base, want)
	}
	c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	req, _ := http.NewRequest("GET", fmt.Sprintf("%s/resources/%d/accounts/%d/password", base, rid, aid), nil)
	req.Header.Set("AUTHTOKEN", k.String())
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"PASSWORD":"pg-secret"`) {
		t.Fatalf("%d %q", resp.StatusCode, b)
	}

	// SIGTERM: the context ends; Serve returns nil once the server stopped
	// and the store closed.
	if err := stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if conn, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		conn.Close()
		t.Fatalf("%s still accepts connections after Serve returned", addr)
	}
	life := core.NewLifecycle(dir, unavailable(), config())
	if ph := life.Start(); ph != core.PhaseUnlock {
		t.Fatalf("after serve: phase %s", ph)
	}
	if err := life.Unlock(passphrase); err != nil {
		t.Fatalf("the store was not released: %v", err)
	}
	life.Close()
}

func TestServeRefusesADataDirectoryThatIsNotSetUp(t *testing.T) {
	t.Parallel()
	t.Run("no master key", func(t *testing.T) {
		dir := t.TempDir()
		err := Serve(context.Background(), Options{DataDir: dir, Listen: freeAddr(t), Keyring: masterkey.NewMemoryKeyring(), Core: config()})
		if err == nil || !strings.Contains(err.Error(), "has not been set up: set it up with `hostbound init`") {
			t.Fatalf("got %v", err)
		}
		if _, err := os.Stat(filepath.Join(dir, masterkey.HeaderFile)); !os.IsNotExist(err) {
			t.Fatal("serve created a master key")
		}
	})
	t.Run("a master key but no administrator", func(t *testing.T) {
		kr := masterkey.NewMemoryKeyring()
		dir := dataDir(t, kr, nil)
		err := Serve(context.Background(), Options{DataDir: dir, Listen: freeAddr(t), Keyring: kr, Core: config()})
		if err == nil || !strings.Contains(err.Error(), "has no administrator yet") {
			t.Fatalf("got %v", err)
		}
	})
}

// Without --listen and without saved settings, serve listens on this
// machine only, on PMP's port (since 8e93380; it listened on every
// interface on a random port before). Not parallel: the port is the
// machine's.
func TestServeListensOnLoopbackPort7272ByDefault(t *testing.T) {
	const want = "127.0.0.1:7272"
	ln, err := net.Listen("tcp", want)
	if err != nil {
		t.Fatalf("port 7272 is in use on this machine, so the default address cannot be tested: %v", err)
	}
	ln.Close()

	kr := masterkey.NewMemoryKeyring()
	dir := dataDir(t, kr, func(*core.Lifecycle, access.Actor) {})
	base, stop := serving(t, Options{DataDir: dir, Keyring: kr, Core: config()})
	u, err := url.Parse(base)
	if err != nil || u.Host != want {
		t.Fatalf("serving on %q, want host %s", base, want)
	}
	conn, err := net.DialTimeout("tcp", want, 2*time.Second)
	if err != nil {
		t.Fatalf("dial %s: %v", want, err)
	}
	conn.Close()
	if ip := nonLoopback(t); ip != nil {
		other := net.JoinHostPort(ip.String(), "7272")
		if conn, err := net.DialTimeout("tcp", other, 2*time.Second); err == nil {
			conn.Close()
			t.Fatalf("%s accepts connections: serve listens beyond loopback", other)
		}
	} else {
		t.Log("no non-loopback address on this machine: only loopback was checked")
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

// Saved settings give serve its address; it serves even when they turned
// the desktop's API off.
func TestServeUsesTheSavedAddressEvenWhenTheDesktopsAPIIsOff(t *testing.T) {
	t.Parallel()
	kr := masterkey.NewMemoryKeyring()
	addr := freeAddr(t)
	dir := dataDir(t, kr, func(life *core.Lifecycle, admin access.Actor) {
		if err := life.Services().Settings.SaveREST(admin, settings.REST{Listen: addr, Enabled: false}); err != nil {
			t.Fatal(err)
		}
	})
	base, stop := serving(t, Options{DataDir: dir, Keyring: kr, Core: config()})
	if u, err := url.Parse(base); err != nil || u.Host != addr {
		t.Fatalf("serving on %q, want host %s", base, addr)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

// nonLoopback returns an address of this machine that is not loopback
// (nil when there is none).
func nonLoopback(t *testing.T) net.IP {
	t.Helper()
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatal(err)
	}
	var v6 net.IP
	for _, a := range addrs {
		n, ok := a.(*net.IPNet)
		if !ok || n.IP.IsLoopback() || n.IP.IsLinkLocalUnicast() || n.IP.IsUnspecified() {
			continue
		}
		if n.IP.To4() != nil {
			return n.IP
		}
		if v6 == nil {
			v6 = n.IP
		}
	}
	return v6
}
