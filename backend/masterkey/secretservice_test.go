package masterkey

import (
	"bytes"
	"encoding/base64"
	"os"
	"os/exec"
	"runtime"
	"testing"
)

// TestRealSecretServiceAcrossProcesses stores a master key through the real
// OS keyring (gnome-keyring's Secret Service on Linux, see tools/
// with-secret-service.sh) and reads it back in a second process. `make test`
// sets HOSTBOUND_REQUIRE_SECRET_SERVICE=1 so that a missing keyring fails the
// run instead of skipping it.
func TestRealSecretServiceAcrossProcesses(t *testing.T) {
	if os.Getenv("HOSTBOUND_SECRET_SERVICE_CHILD") != "" {
		t.Skip("runs as the parent only")
	}
	kr := NewOSKeyring()
	if err := kr.Probe(); err != nil {
		if os.Getenv("HOSTBOUND_REQUIRE_SECRET_SERVICE") != "" || runtime.GOOS != "linux" {
			t.Fatalf("the OS keyring is required here but not usable: %v", err)
		}
		t.Skipf("no Secret Service (run under tools/with-secret-service.sh): %v", err)
	}
	dir := t.TempDir()
	key, err := New(dir, kr).CreateInKeyring()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSecretServiceChild$", "-test.v")
	cmd.Env = append(os.Environ(), "HOSTBOUND_SECRET_SERVICE_CHILD="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child process: %v\n%s", err, out)
	}
	want := "KEY=" + base64.StdEncoding.EncodeToString(key)
	if !bytes.Contains(out, []byte(want)) {
		t.Fatalf("the child read another key:\n%s", out)
	}
}

// TestSecretServiceChild is the second process of the test above.
func TestSecretServiceChild(t *testing.T) {
	dir := os.Getenv("HOSTBOUND_SECRET_SERVICE_CHILD")
	if dir == "" {
		t.Skip("runs only as the child of TestRealSecretServiceAcrossProcesses")
	}
	key, err := New(dir, NewOSKeyring()).Load()
	if err != nil {
		t.Fatal(err)
	}
	// The parent compares; printing a test key of a throwaway directory.
	t.Log("KEY=" + base64.StdEncoding.EncodeToString(key))
}
