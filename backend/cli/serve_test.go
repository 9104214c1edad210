package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// servingURL waits for serve's "serving the REST API" log line on stdout
// and returns its url.
func servingURL(t *testing.T, stdout *syncBuffer, done <-chan result) string {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		sc := bufio.NewScanner(strings.NewReader(stdout.String()))
		for sc.Scan() {
			var line struct{ Msg, URL string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "serving the REST API" && line.URL != "" {
				return line.URL
			}
		}
		select {
		case r := <-done:
			t.Fatalf("serve ended before it served: %s\nstdout: %s", r, stdout.String())
		case <-deadline:
			t.Fatalf("serve did not start within 20 s:\n%s", stdout.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// A headless box from nothing: init, an API user, serve, and a PMP call
// with real curl.
func TestInitAddServeAndCurlFromTheCommandLineAlone(t *testing.T) {
	t.Parallel()
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Fatalf("curl is needed for this test (apt-get install curl): %v", err)
	}
	f := newFixture(t, true).initialised()
	k := key(t, f.must("apiuser", "add", "job@localhost", "--host", "127.0.0.1", "--full-name", "Job on this box",
		"--never-expires", "--operator", "admin"))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout := &syncBuffer{}
	done := make(chan result, 1)
	go func() { done <- f.runCtx(ctx, stdout, "serve", "--listen", "127.0.0.1:0") }()
	base := servingURL(t, stdout, done)
	if !strings.HasPrefix(base, "https://127.0.0.1:") || strings.HasSuffix(base, ":0/restapi/json/v1") {
		t.Fatalf("serving on %q", base)
	}

	t.Run("while serve holds the directory the commands say so", func(t *testing.T) {
		f.refused(1, "is in use by another Hostbound", "apiuser", "list", "--operator", "admin")
	})

	out, err := exec.Command(curl, "-sk", "--max-time", "10", "-H", "AUTHTOKEN: "+k.String(), base+"/resources").CombinedOutput()
	if err != nil {
		t.Fatalf("curl: %v: %s", err, out)
	}
	var env struct {
		Operation struct {
			Name   string
			Result struct{ Status, Message string }
		}
	}
	if err := json.Unmarshal(out, &env); err != nil || env.Operation.Result.Status != "Success" || env.Operation.Name != "GET RESOURCES" {
		t.Fatalf("answer %q (%v)", out, err)
	}
	wrong, _ := exec.Command(curl, "-sk", "--max-time", "10", "-H", "AUTHTOKEN: hbk_wrong", base+"/resources").CombinedOutput()
	if !strings.Contains(string(wrong), `"status":"Failed"`) {
		t.Fatalf("a wrong key: %s", wrong)
	}

	cancel() // SIGTERM
	select {
	case r := <-done:
		if r.code != 0 {
			t.Fatalf("serve: %s", r)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
	// The key's use is recorded, and the directory is free again.
	show := f.must("apiuser", "show", "job@localhost", "--json", "--operator", "admin")
	if !strings.Contains(show.stdout, `"useCount": 1`) || !strings.Contains(show.stdout, `"lastUsedFrom": "127.0.0.1"`) {
		t.Fatalf("after the call: %s", show.stdout)
	}
}
