package onboard_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"hostbound/backend/onboard"
)

const key1 = "hbk_5tLwQ3m2ZrXc8VnB0kPqYs7DfGh1JaUe4WiOy6TlRxC9v2Nz"

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

func TestTheKeyFileIsACSVOfUsernameHostKeyWithMode0600(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "keys.csv")
	// A file that existed with a wider mode is narrowed and emptied.
	if err := os.WriteFile(path, []byte("old content\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	kf, err := onboard.CreateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := kf.Write([]onboard.Issued{{Username: "backup@web01", Host: "web01.example.com", Key: key1}}); err != nil {
		t.Fatal(err)
	}
	// A second batch appends.
	if err := kf.Write([]onboard.Issued{{Username: "backup@10.0.0.7", Host: "10.0.0.7", Key: "hbk_second"}}); err != nil {
		t.Fatal(err)
	}
	if kf.Rows() != 2 {
		t.Fatalf("rows = %d", kf.Rows())
	}
	if err := kf.Close(); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		if m := mode(t, path); m != 0o600 {
			t.Fatalf("mode = %o, want 600", m)
		}
	}
	b, _ := os.ReadFile(path)
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"username", "host", "key"}, {"backup@web01", "web01.example.com", key1}, {"backup@10.0.0.7", "10.0.0.7", "hbk_second"}}
	if len(recs) != len(want) {
		t.Fatalf("got %q", recs)
	}
	for i := range want {
		if !slices.Equal(recs[i], want[i]) {
			t.Fatalf("row %d = %q, want %q", i, recs[i], want[i])
		}
	}
}

func TestAKeyFileThatCannotBeCreatedIsAnError(t *testing.T) {
	t.Parallel()
	if _, err := onboard.CreateKeyFile(filepath.Join(t.TempDir(), "no", "such", "dir", "keys.csv")); err == nil {
		t.Fatal("no error")
	}
}

// sshKeygen makes a key pair of type typ with ssh-keygen in dir and returns
// the private key's path and the public key's line.
func sshKeygen(t *testing.T, dir, typ string) (priv, pub string) {
	t.Helper()
	if _, err := exec.LookPath("ssh-keygen"); err != nil {
		t.Fatal("ssh-keygen is missing (tools/install-deps.sh installs openssh-client)")
	}
	priv = filepath.Join(dir, "id_"+typ)
	args := []string{"-q", "-t", typ, "-N", "", "-C", "host@example", "-f", priv}
	if typ == "rsa" {
		args = append(args, "-b", "2048")
	}
	if out, err := exec.Command("ssh-keygen", args...).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	b, err := os.ReadFile(priv + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	return priv, strings.TrimSpace(string(b))
}

// ageDecrypt opens file with Debian's age binary and the SSH private key.
func ageDecrypt(t *testing.T, identity, file string) (string, error) {
	t.Helper()
	if _, err := exec.LookPath("age"); err != nil {
		t.Fatal("the age binary is missing: apt-get install -y age (tools/install-deps.sh installs it)")
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command("age", "-d", "-i", identity, file)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", errors.New(err.Error() + ": " + stderr.String())
	}
	return stdout.String(), nil
}

func TestASealedKeyOpensWithAgeAndTheHostsSSHKeyOnly(t *testing.T) {
	t.Parallel()
	for _, typ := range []string{"ed25519", "rsa"} {
		t.Run("for an "+typ+" key", func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			priv, pub := sshKeygen(t, dir, typ)
			if !onboard.Sealable(pub) {
				t.Fatalf("%s is not sealable", typ)
			}
			out := t.TempDir()
			path, err := onboard.WriteSealed(out, onboard.Issued{Username: "backup@web01", Host: "web01", Key: key1, SSHPublicKey: pub})
			if err != nil {
				t.Fatal(err)
			}
			if path != filepath.Join(out, "backup@web01.key.age") {
				t.Fatalf("path = %s", path)
			}
			if runtime.GOOS != "windows" {
				if m := mode(t, path); m != 0o600 {
					t.Fatalf("mode = %o, want 600", m)
				}
			}
			b, _ := os.ReadFile(path)
			if bytes.Contains(b, []byte(key1)) {
				t.Fatal("the sealed file holds the key in the clear")
			}
			got, err := ageDecrypt(t, priv, path)
			if err != nil {
				t.Fatal(err)
			}
			if got != key1+"\n" {
				t.Fatalf("age -d printed %q", got)
			}
			// Another host's key does not open it.
			other, _ := sshKeygen(t, t.TempDir(), typ)
			if _, err := ageDecrypt(t, other, path); err == nil {
				t.Fatal("another key opened the file")
			}
		})
	}
}

func TestOnlyEd25519AndRSAKeysAreSealable(t *testing.T) {
	t.Parallel()
	_, ecdsa := sshKeygen(t, t.TempDir(), "ecdsa")
	cases := map[string]string{"ecdsa": ecdsa, "garbage": "ssh-ed25519 AAAA", "empty": ""}
	for name, pub := range cases {
		if onboard.Sealable(pub) {
			t.Errorf("%s is sealable", name)
		}
		var buf bytes.Buffer
		if err := onboard.Seal(&buf, key1, pub); !errors.Is(err, onboard.ErrNotSealable) {
			t.Errorf("%s: Seal = %v, want ErrNotSealable", name, err)
		}
	}
}
