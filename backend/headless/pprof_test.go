package headless

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/core"
)

func TestServeRefusesAProfilerAddressThatIsNotLoopback(t *testing.T) {
	t.Parallel()
	for _, addr := range []string{"0.0.0.0:6060", ":6060", "[::]:6060", "192.168.1.10:6060", "localhost:6060", "127.0.0.1", "127.0.0.1:"} {
		// Refused before the data directory is even looked at.
		err := Serve(context.Background(), Options{DataDir: t.TempDir(), Pprof: addr, Keyring: unavailable(), Core: config()})
		if err == nil || !strings.Contains(err.Error(), PprofEnv) || !strings.Contains(err.Error(), "127.0.0.1") {
			t.Errorf("%s=%q: got %v, want a refusal naming the variable and the loopback rule", PprofEnv, addr, err)
		}
	}
}

func TestServeServesTheProfilerOnLoopbackOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	dir := dataDir(t, unavailable(), func(*core.Lifecycle, access.Actor) {})
	passFile := filepath.Join(t.TempDir(), "pass")
	if err := os.WriteFile(passFile, []byte(passphrase+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Timeout: 5 * time.Second}
	get := func(u string) (int, string, error) {
		resp, err := c.Get(u)
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), err
	}

	pp := freeAddr(t)
	_, stop := serving(t, Options{DataDir: dir, Listen: freeAddr(t), PassphraseFile: passFile, Keyring: unavailable(), Core: config(), Pprof: pp})
	if st, body, err := get("http://" + pp + "/debug/pprof/"); err != nil || st != 200 || !strings.Contains(body, "goroutine") {
		t.Fatalf("the profiler's index: %d %v %.200q", st, err, body)
	}
	if st, body, err := get("http://" + pp + "/debug/vars"); err != nil || st != 200 || !strings.Contains(body, `"Mallocs"`) {
		t.Fatalf("/debug/vars: %d %v %.200q", st, err, body)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if conn, err := net.DialTimeout("tcp", pp, time.Second); err == nil {
		conn.Close()
		t.Fatalf("the profiler still listens on %s after Serve returned", pp)
	}

	// Without Pprof nothing listens there.
	_, stop = serving(t, Options{DataDir: dir, Listen: freeAddr(t), PassphraseFile: passFile, Keyring: unavailable(), Core: config()})
	if conn, err := net.DialTimeout("tcp", pp, time.Second); err == nil {
		conn.Close()
		t.Fatalf("a profiler listens on %s without %s", pp, PprofEnv)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}
