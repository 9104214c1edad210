package core_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/backup"
	"hostbound/backend/core"
	"hostbound/backend/datadir"
	"hostbound/backend/internal/testdomain"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/masterkey"
	"hostbound/backend/services"
	"hostbound/backend/store"
	"hostbound/backend/users"
	"hostbound/backend/vault"
)

const (
	backupPass = "a long backup passphrase"
	adminPass  = "correct horse battery"
)

var local = netip.MustParseAddr("127.0.0.1")

func config(clock *testenv.Clock) core.Config {
	return core.Config{Log: testenv.Log(), Clock: clock.Now, Hasher: testdomain.FastHasher, Resolver: testdomain.LocalDNS,
		APIListen: "127.0.0.1:0", Backup: backup.Params{WorkFactor: 2}}
}

// vaultWorld is an open data directory with users, API users with keys,
// resources, shares and audit records.
type vaultWorld struct {
	dir      string
	keyring  *masterkey.MemoryKeyring
	clock    *testenv.Clock
	life     *core.Lifecycle
	admin    access.Actor
	apiKey   apikey.Key
	rid, aid uint64
	password string
}

func newVault(t *testing.T) *vaultWorld {
	t.Helper()
	w := &vaultWorld{dir: filepath.Join(t.TempDir(), "data"), keyring: masterkey.NewMemoryKeyring(), clock: testenv.NewClock()}
	w.life = core.NewLifecycle(w.dir, w.keyring, config(w.clock))
	t.Cleanup(func() { w.life.Close() })
	if p := w.life.Start(); p != core.PhaseSetup {
		t.Fatalf("phase %s", p)
	}
	if err := w.life.CreateKey("", ""); err != nil {
		t.Fatal(err)
	}
	svc := w.life.Services()
	admin, err := svc.Users.CreateFirstAdministrator(users.NewOperator{Username: "admin", FullName: "Ada Admin",
		Password: adminPass, ConfirmPassword: adminPass}, access.SourceDesktop)
	if err != nil {
		t.Fatal(err)
	}
	w.admin = users.ActorOf(admin, access.SourceDesktop)
	if _, err := svc.Users.CreateOperator(w.admin, users.OperatorInput{Username: "pam", FullName: "Pam Admin",
		Password: adminPass, ConfirmPassword: adminPass, Role: access.PasswordAdmin, Scope: access.ScopeAll}); err != nil {
		t.Fatal(err)
	}
	var ins []users.APIUserInput
	var keys []apikey.Key
	for i := range 20 {
		k, _ := apikey.Generate()
		keys = append(keys, k)
		ins = append(ins, users.APIUserInput{Username: fmt.Sprintf("app%02d@localhost", i), Host: "localhost", FullName: "App",
			Role: access.PasswordUser, Scope: access.ScopeOwnedShared, RESTEnabled: true, NeverExpires: true})
	}
	if n, err := svc.Users.CreateAPIUsers(w.admin, ins, keys); err != nil || n != 20 {
		t.Fatal(n, err)
	}
	w.apiKey = keys[7]
	for i := range 5 {
		r, a, err := svc.Vault.CreateResourceWithAccount(w.admin, vault.ResourceInput{Name: fmt.Sprintf("db%02d", i), Type: "Linux"},
			vault.AccountInput{Name: "root", Password: fmt.Sprintf("s3cret-%d-<&>", i)})
		if err != nil {
			t.Fatal(err)
		}
		w.rid, w.aid, w.password = r.ID, a.ID, fmt.Sprintf("s3cret-%d-<&>", i)
	}
	if err := svc.Vault.Share(w.admin, vault.ShareInput{ResourceID: w.rid, AccountID: w.aid, Grantee: "app07@localhost",
		Permission: vault.View}); err != nil {
		t.Fatal(err)
	}
	// The API user reads its shared password: audited.
	a := w.authenticate(t, svc)
	if got, err := svc.Vault.RevealPassword(a, w.rid, w.aid, vault.Purpose{}); err != nil || got != w.password {
		t.Fatalf("%q %v", got, err)
	}
	return w
}

func (w *vaultWorld) authenticate(t *testing.T, svc *services.Services) access.Actor {
	t.Helper()
	a, err := svc.Users.AuthenticateKey(context.Background(), users.KeyRequest{Key: w.apiKey.String(), Source: local,
		Operation: "GET PASSWORD"}, w.clock.Now())
	if err != nil {
		t.Fatalf("the API key does not authenticate: %v", err)
	}
	return a
}

// backupFile writes a backup of w as the administrator.
func (w *vaultWorld) backupFile(t *testing.T) (string, backup.Header) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "vault.hbk")
	h, err := w.life.Services().Backup.Backup(w.admin, path, backupPass, nil)
	if err != nil {
		t.Fatal(err)
	}
	return path, h
}

// checkOpen asserts that svc is w's vault: the password, the API key and a
// verifying audit chain.
func (w *vaultWorld) checkOpen(t *testing.T, svc *services.Services) uint64 {
	t.Helper()
	if got, err := svc.Vault.RevealPassword(w.admin, w.rid, w.aid, vault.Purpose{}); err != nil || got != w.password {
		t.Fatalf("password %q, %v", got, err)
	}
	a := w.authenticate(t, svc)
	if got, err := svc.Vault.RevealPassword(a, w.rid, w.aid, vault.Purpose{}); err != nil || got != w.password {
		t.Fatalf("API user's password %q, %v", got, err)
	}
	n, err := svc.Trail.VerifyAll()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func lastRecord(t *testing.T, svc *services.Services) audit.Record {
	t.Helper()
	var recs []audit.Record
	if err := svc.Store.View(func(tx *store.Txn) (err error) { recs, err = svc.Audit.List(tx); return }); err != nil {
		t.Fatal(err)
	}
	return recs[len(recs)-1]
}

func siblings(t *testing.T, dir string) []string {
	t.Helper()
	m, _ := filepath.Glob(dir + ".*")
	return m
}

func TestRestoreOnAnotherMachine(t *testing.T) {
	w := newVault(t)
	file, h := w.backupFile(t)
	if h.Counts["user/"] != 22 || h.Counts["vault/res/"] != 5 || h.AuditCount == 0 || h.Records == 0 {
		t.Fatalf("header counts %v, audit %d", h.Counts, h.AuditCount)
	}

	t.Run("into a new data directory with the OS keyring", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "other")
		kr := masterkey.NewMemoryKeyring() // another machine's keyring
		var last [2]int
		res, err := core.Restore(dir, kr, config(w.clock), core.RestoreRequest{File: file, Passphrase: backupPass,
			Actor: access.Actor{Source: access.SourceCLI}, Progress: func(d, n int) { last = [2]int{d, n} }})
		if err != nil {
			t.Fatal(err)
		}
		if res.Aside != "" || res.Header.Records != h.Records || res.Header.MasterKey != nil || last != [2]int{h.Records, h.Records} {
			t.Errorf("result %+v, progress %v", res, last)
		}
		if s := siblings(t, dir); len(s) != 0 {
			t.Errorf("left behind: %v", s)
		}
		life := core.NewLifecycle(dir, kr, config(w.clock))
		defer life.Close()
		if p := life.Start(); p != core.PhaseOpen {
			t.Fatalf("phase %s: %s", p, life.State().LockedReason)
		}
		if life.State().KeyStorage != "keyring" {
			t.Errorf("key storage %q", life.State().KeyStorage)
		}
		svc := life.Services()
		if n := w.checkOpen(t, svc); n < h.AuditCount+1 {
			t.Errorf("%d records verified, the backup had %d", n, h.AuditCount)
		}
		var recs []audit.Record
		svc.Store.View(func(tx *store.Txn) (err error) { recs, err = svc.Audit.List(tx); return })
		r := recs[h.AuditCount] // the first record after the backup's
		if r.Operation != "restore" || r.Result != audit.Success || r.Actor != audit.ActorSystem || r.Source != access.SourceCLI ||
			!strings.Contains(r.Reason, fmt.Sprintf("all %d audit records verified", h.AuditCount)) {
			t.Errorf("restore record %+v", r)
		}
	})

	t.Run("into a new data directory without a keyring, under a new passphrase", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "headless")
		kr := masterkey.NewMemoryKeyring()
		kr.Err = masterkey.ErrKeyringUnavailable
		req := core.RestoreRequest{File: file, Passphrase: backupPass, NewPassphrase: "short"}
		_, err := core.Restore(dir, kr, config(w.clock), req)
		if e := apperr.As(err); e == nil || e.Field != "newPassphrase" {
			t.Fatalf("a short new passphrase: %v", err)
		}
		req.NewPassphrase = "the new unlock passphrase"
		if _, err := core.Restore(dir, kr, config(w.clock), req); err != nil {
			t.Fatal(err)
		}
		life := core.NewLifecycle(dir, kr, config(w.clock))
		defer life.Close()
		if p := life.Start(); p != core.PhaseUnlock {
			t.Fatalf("phase %s", p)
		}
		if err := life.Unlock(req.NewPassphrase); err != nil {
			t.Fatal(err)
		}
		w.checkOpen(t, life.Services())
	})
}

func TestRestoreOverTheOpenVault(t *testing.T) {
	w := newVault(t)
	file, h := w.backupFile(t)
	svc := w.life.Services()
	// A change after the backup: the restore takes it back.
	if err := svc.Vault.ChangePassword(w.admin, w.rid, w.aid, "changed later", vault.Purpose{}); err != nil {
		t.Fatal(err)
	}

	t.Run("an operator without Run backups is refused", func(t *testing.T) {
		pam := w.admin
		pam.Username, pam.UserID = "pam", ""
		id, _, _ := svc.Users.IDByName("pam")
		pam.UserID = id
		_, err := w.life.Restore(core.RestoreRequest{File: file, Passphrase: backupPass, Actor: pam})
		if e := apperr.As(err); e == nil || e.Code != apperr.Forbidden {
			t.Fatalf("%v", err)
		}
		if r := lastRecord(t, w.life.Services()); r.Operation != "restore" || r.Result != audit.Failure || r.Actor != "pam" {
			t.Errorf("record %+v", r)
		}
		if got, _ := w.life.Services().Vault.RevealPassword(w.admin, w.rid, w.aid, vault.Purpose{}); got != "changed later" {
			t.Errorf("password %q", got)
		}
	})

	t.Run("the administrator restores; the old data is kept aside", func(t *testing.T) {
		res, err := w.life.Restore(core.RestoreRequest{File: file, Passphrase: backupPass, Actor: w.admin})
		if err != nil {
			t.Fatal(err)
		}
		if w.life.State().Phase != core.PhaseOpen {
			t.Fatalf("state %+v", w.life.State())
		}
		w.checkOpen(t, w.life.Services()) // the password from before the change
		if r := lastRecord(t, w.life.Services()); r.Operation == "restore" && r.Actor != "admin" {
			t.Errorf("record %+v", r)
		}
		if !strings.HasPrefix(res.Aside, w.dir+".before-restore-") {
			t.Fatalf("aside %q", res.Aside)
		}
		if s := siblings(t, w.dir); len(s) != 1 || s[0] != res.Aside {
			t.Errorf("siblings %v", s)
		}
		// The old data opens where it was moved, with its keyring entry.
		old := core.NewLifecycle(res.Aside, w.keyring, config(w.clock))
		defer old.Close()
		if p := old.Start(); p != core.PhaseOpen {
			t.Fatalf("aside: %s %s", p, old.State().LockedReason)
		}
		if got, _ := old.Services().Vault.RevealPassword(w.admin, w.rid, w.aid, vault.Purpose{}); got != "changed later" {
			t.Errorf("aside password %q", got)
		}
		_ = h
	})
}

// cut and flip make bad copies of a backup file.
func badFiles(t *testing.T, file string) map[string][]byte {
	good, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	hdrEnd := bytes.Index(good, []byte("\n--- ")) + 20
	flip := func(i int) []byte { b := bytes.Clone(good); b[i] ^= 0x04; return b }
	return map[string][]byte{
		"truncated in the header":          good[:hdrEnd-10],
		"truncated in the middle":          good[:len(good)/2],
		"truncated in the trailer":         good[:len(good)-30],
		"a byte flipped in the preamble":   flip(len(backup.Magic) + 3),
		"a byte flipped in the age header": flip(hdrEnd - 30),
		"a byte flipped in the data":       flip(len(good) / 3),
		"a byte flipped at the end":        flip(len(good) - 1),
		"not a backup":                     []byte("id,username\n1,admin\n"),
	}
}

func wantSentinel(name string) error {
	switch {
	case strings.HasPrefix(name, "truncated"):
		return backup.ErrTruncated
	case strings.HasPrefix(name, "a byte"):
		return backup.ErrTampered
	default:
		return backup.ErrNotBackup
	}
}

func TestRestoreRefusals(t *testing.T) {
	w := newVault(t)
	file, _ := w.backupFile(t)
	cases := badFiles(t, file)
	dir := t.TempDir()

	check := func(t *testing.T, err error, want error) {
		t.Helper()
		if !errors.Is(err, want) || apperr.As(err) == nil {
			t.Fatalf("%v, want %v as a refusal", err, want)
		}
		if s := siblings(t, w.dir); len(s) != 0 {
			t.Errorf("left behind: %v", s)
		}
	}
	t.Run("over the open vault, which stays open and unchanged", func(t *testing.T) {
		_, err := w.life.Restore(core.RestoreRequest{File: file, Passphrase: "not the passphrase", Actor: w.admin})
		check(t, err, backup.ErrWrongPassphrase)
		for name, b := range cases {
			path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-"))
			os.WriteFile(path, b, 0o600)
			_, err := w.life.Restore(core.RestoreRequest{File: path, Passphrase: backupPass, Actor: w.admin})
			check(t, err, wantSentinel(name))
			if w.life.State().Phase != core.PhaseOpen {
				t.Fatalf("%s: %+v", name, w.life.State())
			}
		}
		w.checkOpen(t, w.life.Services())
	})

	w.life.Close()
	t.Run("into a closed data directory, which still opens", func(t *testing.T) {
		for name, b := range cases {
			path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-"))
			os.WriteFile(path, b, 0o600)
			_, err := core.Restore(w.dir, w.keyring, config(w.clock), core.RestoreRequest{File: path, Passphrase: backupPass, Actor: w.admin})
			check(t, err, wantSentinel(name))
		}
		life := core.NewLifecycle(w.dir, w.keyring, config(w.clock))
		defer life.Close()
		if p := life.Start(); p != core.PhaseOpen {
			t.Fatalf("phase %s", p)
		}
		w.checkOpen(t, life.Services())
	})

	t.Run("into a data directory in use by another process", func(t *testing.T) {
		lock, err := datadir.Acquire(w.dir)
		if err != nil {
			t.Fatal(err)
		}
		defer lock.Release()
		_, err = core.Restore(w.dir, w.keyring, config(w.clock), core.RestoreRequest{File: file, Passphrase: backupPass})
		if e := apperr.As(err); e == nil || e.Code != apperr.Conflict || !errors.Is(err, datadir.ErrInUse) {
			t.Fatalf("%v", err)
		}
		if s := siblings(t, w.dir); len(s) != 0 {
			t.Errorf("left behind: %v", s)
		}
	})
}

func TestInterruptedRestoreLocks(t *testing.T) {
	w := newVault(t)
	w.life.Close()
	os.WriteFile(filepath.Join(w.dir, "restore-in-progress.json"), []byte(`{"aside":"/x/data.before-restore-1","restoring":"/x/data.restoring-1"}`), 0o600)
	life := core.NewLifecycle(w.dir, w.keyring, config(w.clock))
	defer life.Close()
	if p := life.Start(); p != core.PhaseLocked || !strings.Contains(life.State().LockedReason, "/x/data.before-restore-1") {
		t.Fatalf("%s: %s", p, life.State().LockedReason)
	}
}
