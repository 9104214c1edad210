package cli

import (
	"context"
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/datadir"
	"hostbound/backend/services"
	"hostbound/backend/users"
	"hostbound/backend/vault"
)

const backupPassphrase = "a backup passphrase kept apart"

// The whole round trip in passphrase mode: what a backup holds comes back
// with restore (passwords, an API user's key, a verifying audit chain);
// every bad file is refused and leaves the data as it was.
func TestBackupAndRestoreInPassphraseMode(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true).initialised()
	f.env[BackupPassphraseFileEnv] = f.file("backup-passphrase", backupPassphrase+"\n")
	k := key(t, f.must("apiuser", "add", "deploy@web01", "--host", "10.0.0.5", "--full-name", "Deploy on web01",
		"--never-expires", "--operator", "admin"))
	var rid, aid uint64
	f.domain(func(svc *services.Services, admin access.Actor) {
		r, a, err := svc.Vault.CreateResourceWithAccount(admin, vault.ResourceInput{Name: "db01", Type: "Linux"},
			vault.AccountInput{Name: "root", Password: "the old root password"})
		if err != nil {
			t.Fatal(err)
		}
		rid, aid = r.ID, a.ID
		if _, err := svc.Users.CreateOperator(admin, users.OperatorInput{Username: "audrey", FullName: "Audrey Auditor",
			Password: "auditor password", ConfirmPassword: "auditor password", Role: access.PasswordAuditor, Scope: access.ScopeOwnedShared}); err != nil {
			t.Fatal(err)
		}
	})
	password := func() string {
		t.Helper()
		var pw string
		f.domain(func(svc *services.Services, admin access.Actor) {
			var err error
			if pw, err = svc.Vault.RevealPassword(admin, rid, aid, vault.Purpose{}); err != nil {
				t.Fatal(err)
			}
		})
		return pw
	}
	authenticates := func() error {
		var err error
		f.domain(func(svc *services.Services, _ access.Actor) {
			_, err = svc.Users.AuthenticateKey(context.Background(), users.KeyRequest{Key: k.String(),
				Source: netip.MustParseAddr("10.0.0.5"), Operation: "GET RESOURCES"}, time.Now())
		})
		return err
	}
	// Nothing of a refused restore is left beside the data directory.
	untouched := func(t *testing.T, want string) {
		t.Helper()
		if got := password(); got != want {
			t.Fatalf("the password is %q, want %q", got, want)
		}
		left, _ := filepath.Glob(f.dir + ".*")
		if len(left) != 0 {
			t.Fatalf("left beside the data directory: %q", left)
		}
	}

	file := filepath.Join(t.TempDir(), "vault.hbk")
	start := time.Now()
	r := f.must("backup", file, "--operator", "admin")
	t.Logf("backup took %s", time.Since(start).Round(time.Millisecond))
	st, err := os.Stat(file)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v %v", st, err)
	}
	if !strings.Contains(r.stderr, "Wrote "+file+":") || !strings.Contains(r.stderr, " records (audit trail to record ") ||
		!strings.Contains(r.stderr, byteSize(st.Size())) {
		t.Fatalf("backup says: %s", r)
	}
	if _, err := os.Stat(file + ".partial"); err == nil {
		t.Fatal("the partial file is left")
	}

	t.Run("a Password Auditor may neither back up nor restore", func(t *testing.T) {
		f.env[OperatorPasswordFileEnv] = f.file("audrey", "auditor password")
		defer func() { f.env[OperatorPasswordFileEnv] = f.file("admin-password", adminPassword) }()
		other := filepath.Join(t.TempDir(), "auditor.hbk")
		f.refused(1, "You are not allowed to run backups", "backup", other, "--operator", "audrey")
		if _, err := os.Stat(other); err == nil {
			t.Fatal("a refused backup wrote the file")
		}
		f.refused(1, "You are not allowed to restore backups", "restore", file, "--operator", "audrey")
		untouched(t, "the old root password")
	})

	// After the backup: a new password, the API user gone.
	f.domain(func(svc *services.Services, admin access.Actor) {
		if err := svc.Vault.ChangePassword(admin, rid, aid, "the new root password", vault.Purpose{}); err != nil {
			t.Fatal(err)
		}
	})
	f.must("apiuser", "delete", "deploy@web01", "--operator", "admin")
	if err := authenticates(); err == nil {
		t.Fatal("the deleted API user's key still authenticates")
	}

	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, want string
		content    []byte // the file to restore; nil: the backup itself
		passphrase string
	}{
		{"a wrong passphrase", "Backup passphrase: wrong passphrase, or the file is not a Hostbound backup; nothing was restored", nil, "not the backup passphrase"},
		{"a truncated copy", "The backup file is incomplete (truncated); nothing was restored", data[:len(data)/2], ""},
		{"a flipped byte", "The backup file is damaged or has been changed; nothing was restored", flip(data, len(data)/2), ""},
		{"not a backup", "The file is not a Hostbound backup", []byte("hostname,password\nweb01,secret\n"), ""},
	} {
		t.Run(c.name+" is refused and changes nothing", func(t *testing.T) {
			path := file
			if c.content != nil {
				path = filepath.Join(t.TempDir(), "bad.hbk")
				if err := os.WriteFile(path, c.content, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if c.passphrase != "" {
				f.env[BackupPassphraseFileEnv] = f.file("wrong-backup-passphrase", c.passphrase)
				defer func() { f.env[BackupPassphraseFileEnv] = f.file("backup-passphrase", backupPassphrase) }()
			}
			start := time.Now()
			r := f.refused(1, c.want, "restore", path, "--operator", "admin")
			t.Logf("refused in %s", time.Since(start).Round(time.Millisecond))
			if r.stdout != "" {
				t.Fatalf("stdout %q", r.stdout)
			}
			untouched(t, "the new root password")
		})
	}

	t.Run("refused while the app or serve holds the directory", func(t *testing.T) {
		lock, err := datadir.Acquire(f.dir)
		if err != nil {
			t.Fatal(err)
		}
		defer lock.Release()
		f.refused(1, "is in use by another Hostbound", "restore", file, "--operator", "admin")
	})

	start = time.Now()
	r = f.must("restore", file, "--json", "--operator", "admin")
	t.Logf("restore took %s", time.Since(start).Round(time.Millisecond))
	var out struct {
		File, DataDir, MovedAside string
		Records                   int
		AuditRecords              uint64
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("%v: %s", err, r)
	}
	if out.File != file || out.DataDir != f.dir || out.Records == 0 || out.AuditRecords == 0 ||
		!strings.HasPrefix(out.MovedAside, f.dir+".before-restore-") {
		t.Fatalf("restore --json: %+v", out)
	}
	if !strings.Contains(r.stderr, "moved to "+out.MovedAside) || !strings.Contains(r.stderr, "Delete it once the restored vault is known good") {
		t.Fatalf("restore says: %s", r.stderr)
	}
	if _, err := os.Stat(filepath.Join(out.MovedAside, "db")); err != nil {
		t.Fatalf("the old data is not aside: %v", err)
	}
	if got := password(); got != "the old root password" {
		t.Fatalf("after restore the password is %q", got)
	}
	if err := authenticates(); err != nil {
		t.Fatalf("the API key does not authenticate after restore: %v", err)
	}
	f.must("apiuser", "show", "deploy@web01", "--operator", "admin")
	if r := f.must("audit", "verify", "--operator", "admin"); !strings.Contains(r.stdout, "the chain is intact") {
		t.Fatalf("audit verify: %s", r)
	}

	t.Run("into a new data directory on another box, without an operator", func(t *testing.T) {
		other := newFixture(t, true) // its own keyring, nothing set up
		other.env[BackupPassphraseFileEnv] = other.file("backup-passphrase", backupPassphrase)
		r := other.must("restore", file)
		if strings.Contains(r.stderr, "moved to") || !strings.Contains(r.stderr, "Restored "+file+" into "+other.dir) {
			t.Fatalf("restore says: %s", r.stderr)
		}
		other.domain(func(svc *services.Services, admin access.Actor) {
			if pw, err := svc.Vault.RevealPassword(admin, rid, aid, vault.Purpose{}); err != nil || pw != "the old root password" {
				t.Fatalf("%q %v", pw, err)
			}
		})
		other.must("audit", "verify", "--operator", "admin")
	})
}

func flip(b []byte, i int) []byte {
	c := append([]byte(nil), b...)
	c[i] ^= 0x01
	return c
}

func TestBackupPassphraseFromTheTerminalAndUsage(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true).initialised()
	t.Run("two different entries are refused", func(t *testing.T) {
		term := &fakeTerminal{answers: []string{backupPassphrase, "something else entirely"}}
		f.terminal = term
		defer func() { f.terminal = nil }()
		file := filepath.Join(t.TempDir(), "vault.hbk")
		f.refused(1, "the two entries of the backup passphrase differ", "backup", file, "--operator", "admin")
		if len(term.prompts) != 2 || term.prompts[0] != "The backup passphrase: " || !strings.HasPrefix(term.prompts[1], "Again") {
			t.Fatalf("prompts %q", term.prompts)
		}
		if _, err := os.Stat(file); err == nil {
			t.Fatal("wrote the file")
		}
	})
	t.Run("a short passphrase is refused", func(t *testing.T) {
		f.env[BackupPassphraseFileEnv] = f.file("short", "short")
		defer delete(f.env, BackupPassphraseFileEnv)
		f.refused(1, "Backup passphrase: at least 12 characters", "backup", filepath.Join(t.TempDir(), "x.hbk"), "--operator", "admin")
	})
	t.Run("no terminal and no file says what to set", func(t *testing.T) {
		f.refused(1, BackupPassphraseFileEnv, "backup", filepath.Join(t.TempDir(), "x.hbk"), "--operator", "admin")
		f.refused(1, BackupPassphraseFileEnv, "restore", f.file("some.hbk", "x"), "--operator", "admin")
	})
	t.Run("a missing backup file or directory", func(t *testing.T) {
		f.refused(1, "cannot read the backup file", "restore", filepath.Join(t.TempDir(), "none.hbk"), "--operator", "admin")
		f.refused(1, "there is no directory", "backup", filepath.Join(t.TempDir(), "no", "x.hbk"), "--operator", "admin")
	})
	t.Run("usage", func(t *testing.T) {
		f.refused(2, "missing FILE", "backup")
		f.refused(2, `unexpected argument "b"`, "restore", "a", "b")
		if r := f.must("restore", "--help"); !strings.Contains(r.stdout, "--backup-passphrase-file") || !strings.Contains(r.stdout, "Examples:") {
			t.Fatalf("help: %s", r.stdout)
		}
	})
}
