package cli

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hostbound/backend/core"
	"hostbound/backend/internal/testdomain"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/masterkey"
	"hostbound/backend/users"
)

// importEnv is a passphrase-mode data directory with an administrator, and
// a way to run commands on it.
func importEnv(t *testing.T) (run func(args ...string) (code int, stdout, stderr string), dir string) {
	t.Helper()
	dir = t.TempDir()
	secrets := t.TempDir()
	pass, opPass := filepath.Join(secrets, "passphrase"), filepath.Join(secrets, "operator")
	os.WriteFile(pass, []byte("a long data directory passphrase\n"), 0o600)
	os.WriteFile(opPass, []byte("correct horse battery\n"), 0o600)
	vars := map[string]string{PassphraseFileEnv: pass, OperatorPasswordFileEnv: opPass, OperatorEnv: "admin"}
	kr := masterkey.NewMemoryKeyring()
	run = func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		env := &Env{Version: "test", Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return vars[k] },
			Keyring: func() core.Keyring { return kr }, Hasher: users.Hasher{Time: 1, Memory: 1024, Threads: 1},
			Resolver: testdomain.LocalDNS, Clock: time.Now, Log: testenv.Log()}
		code := Run(t.Context(), env, append(args, "--data-dir", dir))
		return code, out.String(), errb.String()
	}
	if code, _, stderr := run("init", "--operator", "admin", "--full-name", "Ada Admin"); code != 0 {
		t.Fatalf("init: %d %s", code, stderr)
	}
	return run, dir
}

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportRefusesABadFileWholeAndNamesEveryBadRow(t *testing.T) {
	t.Parallel()
	run, _ := importEnv(t)
	hosts := writeFile(t, "hosts.csv", "Host Name,Department\nweb01.example.com,Ops\nbad host,Ops\nweb03.example.com,"+strings.Repeat("d", 129)+"\n")
	code, stdout, stderr := run("apiuser", "import", hosts, "--prefix", "backup", "--never-expires")
	if code != ExitFailed || stdout != "" {
		t.Fatalf("exit %d, stdout %q", code, stdout)
	}
	for _, want := range []string{
		"line 3 (backup@bad host): Host Name: not a valid hostname, IP address or CIDR",
		"line 4 (backup@web03.example.com): Department: at most 128 characters",
		"2 of 3 rows have errors: fix them, or leave them out with --skip-bad; nothing was created",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if code, out, _ := run("apiuser", "list", "--json"); code != 0 || strings.Contains(out, "web01") {
		t.Fatalf("a refused import created users: %s", out)
	}
	if code, _, stderr := run("apiuser", "import", writeFile(t, "x.csv", "Host Name,Hostname\nweb01,x\n"), "--never-expires"); code != ExitFailed ||
		!strings.Contains(stderr, `unknown column "Hostname"`) {
		t.Fatalf("unknown column: %d %s", code, stderr)
	}
}

func TestImportWritesTheKeysOnceAndSealsThemToTheHostsSSHKeys(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("age"); err != nil {
		t.Fatal("the age binary is missing: apt-get install -y age (tools/install-deps.sh installs it)")
	}
	run, _ := importEnv(t)
	priv := filepath.Join(t.TempDir(), "id_ed25519")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", priv).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v %s", err, out)
	}
	pub, _ := os.ReadFile(priv + ".pub")
	hosts := writeFile(t, "hosts.csv", "Host Name,SSH Public Key,Username\nweb01.example.com,"+strings.TrimSpace(string(pub))+",\n10.0.0.7,,job@db\nbad host,,\n")
	out, keys := t.TempDir(), filepath.Join(t.TempDir(), "keys.csv")
	code, stdout, stderr := run("apiuser", "import", hosts, "--prefix", "backup", "--never-expires", "--skip-bad",
		"--keys", keys, "--seal-to-ssh-keys", "--out", out)
	if code != 0 || stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "Created 2 of 2 API users (1 bad rows skipped); 1 keys sealed in "+out+"; 1 keys in "+keys+".") {
		t.Fatalf("stderr %s", stderr)
	}
	plain, err := exec.Command("age", "-d", "-i", priv, filepath.Join(out, "backup@web01.example.com.key.age")).Output()
	if err != nil || !strings.HasPrefix(string(plain), "hbk_") {
		t.Fatalf("age -d: %q %v", plain, err)
	}
	if fi, _ := os.Stat(keys); fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %o", fi.Mode().Perm())
	}
	b, _ := os.ReadFile(keys)
	recs, _ := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if len(recs) != 2 || recs[1][0] != "job@db" || recs[1][1] != "10.0.0.7" || !strings.HasPrefix(recs[1][2], "hbk_") {
		t.Fatalf("key file %q", recs)
	}
	// Without --keys the CSV goes to stdout.
	code, stdout, _ = run("apiuser", "import", writeFile(t, "more.csv", "Host Name\nweb09.example.com\n"), "--never-expires")
	if code != 0 || !strings.HasPrefix(stdout, "username,host,key\nweb09.example.com,web09.example.com,hbk_") {
		t.Fatalf("exit %d, stdout %q", code, stdout)
	}
}
