package desktop

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"hostbound/backend/apperr"
	"hostbound/backend/backup"
	"hostbound/backend/core"
	"hostbound/backend/internal/testdomain"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/masterkey"
	"hostbound/backend/restapi"
	"hostbound/backend/users"
)

const backupPassphrase = "a long backup passphrase"

type fakeBackupDialogs struct{ save, open string }

func (d fakeBackupDialogs) SaveBackupFile(string) (string, error) { return d.save, nil }
func (d fakeBackupDialogs) OpenBackupFile() (string, error)       { return d.open, nil }

// backupApp is one run of the app on r's data directory, as rig.start but
// with a cheap scrypt for the backup files, the Backup facade over it and
// its progress events recorded.
type backupApp struct {
	*app
	b      *Backup
	mu     sync.Mutex
	events map[string]int
}

func (r *rig) startWithBackup(t *testing.T, file string) *backupApp {
	t.Helper()
	log := testenv.Log()
	life := core.NewLifecycle(r.dir, r.keyring, core.Config{Log: log, Clock: r.clock.Now,
		Hasher: users.Hasher{Time: 1, Memory: 1024, Threads: 1}, Resolver: testdomain.LocalDNS, APIListen: "127.0.0.1:0",
		Backup: backup.Params{WorkFactor: 2}})
	ba := &backupApp{events: map[string]int{}}
	s := NewSession(Config{Life: life, API: restapi.NewRunner(life, r.clock.Now, log), Log: log, Clock: r.clock.Now,
		Emit: func(event string, data any) {
			if _, ok := data.(BackupProgress); ok {
				ba.mu.Lock()
				ba.events[event]++
				ba.mu.Unlock()
			}
		}})
	ba.app = &app{Session: s, life: LifecycleOf(s)}
	ba.b = NewBackup(s, fakeBackupDialogs{save: file, open: file})
	ba.life.Start()
	t.Cleanup(func() { ba.close() })
	return ba
}

func (ba *backupApp) eventCount(event string) int {
	ba.mu.Lock()
	defer ba.mu.Unlock()
	return ba.events[event]
}

func hasUser(t *testing.T, s *Session, username string) bool {
	t.Helper()
	page, err := NewUsers(s).ListUsers(users.Query{Search: username})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range page.Rows {
		if r.Username == username {
			return true
		}
	}
	return false
}

func TestABackupIsRestoredThroughTheFacadeAndEndsTheSession(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	file := filepath.Join(t.TempDir(), "vault"+BackupFileExtension)
	a := r.startWithBackup(t, file)
	if _, err := a.CreateFirstAdministrator(setup); err != nil {
		t.Fatal(err)
	}

	path, err := a.b.ChooseBackupFile()
	if err != nil || path != file {
		t.Fatalf("choose: %q, %v", path, err)
	}
	for name, tc := range map[string]struct {
		req   BackupRequest
		field string
	}{
		"a short passphrase is refused with the rule": {BackupRequest{Path: file, Passphrase: "too short", ConfirmPassphrase: "too short"}, "passphrase"},
		"a mismatched confirmation is refused":        {BackupRequest{Path: file, Passphrase: backupPassphrase, ConfirmPassphrase: backupPassphrase + "!"}, "confirmPassphrase"},
		"a missing file is refused":                   {BackupRequest{Passphrase: backupPassphrase, ConfirmPassphrase: backupPassphrase}, "path"},
	} {
		e := uiErr(t, second(a.b.CreateBackup(tc.req)))
		if e.Code != apperr.Invalid || e.Field != tc.field {
			t.Fatalf("%s: %+v", name, e)
		}
		if tc.field == "passphrase" && e.Message != "Backup passphrase: at least 12 characters" {
			t.Fatalf("%s: %q", name, e.Message)
		}
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatal("a refused backup wrote a file")
	}

	res, err := a.b.CreateBackup(BackupRequest{Path: file, Passphrase: backupPassphrase, ConfirmPassphrase: backupPassphrase})
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(file)
	if err != nil || res.Path != file || res.Records == 0 || res.Bytes != fi.Size() || res.AuditRecords == 0 || res.CreatedAt == "" {
		t.Fatalf("backup %+v, %v", res, err)
	}
	if a.eventCount(BackupProgressEvent) == 0 {
		t.Fatal("no backup progress events")
	}

	// Changes after the backup…
	u := NewUsers(a.Session)
	key, err := u.GenerateAPIKey()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := u.CreateAPIUser(apiRequest(key, r.clock.Now().AddDate(0, 3, 0))); err != nil {
		t.Fatal(err)
	}

	// …survive a wrong passphrase, named next to its field.
	e := uiErr(t, second(a.b.RestoreBackup(RestoreRequest{File: file, Passphrase: "not the passphrase"})))
	if e.Field != "passphrase" || e.Message != "Backup passphrase: wrong passphrase, or the file is not a Hostbound backup" {
		t.Fatalf("wrong passphrase: %+v", e)
	}
	// A file that is not a backup names the file.
	other := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(other, []byte("hello\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if e := uiErr(t, second(a.b.RestoreBackup(RestoreRequest{File: other, Passphrase: backupPassphrase}))); e.Field != "file" {
		t.Fatalf("not a backup: %+v", e)
	}
	if st := a.GetAppState(); st.Phase != PhaseReady || !hasUser(t, a.Session, "backup@web01.example.com") {
		t.Fatalf("a refused restore changed something: %+v", st)
	}

	info := a.b.GetRestoreInfo()
	if !info.HasData || info.NeedsNewPassphrase || info.DataDir != r.dir {
		t.Fatalf("restore info %+v", info)
	}
	out, err := a.b.RestoreBackup(RestoreRequest{File: file, Passphrase: backupPassphrase})
	if err != nil {
		t.Fatal(err)
	}
	if out.State.Phase != PhaseLogin || out.State.Operator != nil || out.Records != res.Records || out.Aside == "" {
		t.Fatalf("restore %+v", out)
	}
	if _, err := os.Stat(filepath.Join(out.Aside, "db")); err != nil {
		t.Fatalf("the data before the restore is not kept aside: %v", err)
	}
	if a.eventCount(RestoreProgressEvent) == 0 {
		t.Fatal("no restore progress events")
	}
	if e := uiErr(t, a.KeepAlive()); e.Code != apperr.Unauthenticated {
		t.Fatalf("the session did not end: %+v", e)
	}
	if _, err := a.LogIn("admin", setup.Password); err != nil {
		t.Fatal(err)
	}
	if hasUser(t, a.Session, "backup@web01.example.com") {
		t.Fatal("the user created after the backup is still there")
	}
}

func TestTheFirstRunScreenRestoresWithANewPassphraseWithoutAKeyring(t *testing.T) {
	t.Parallel()
	src := newRig(t)
	file := filepath.Join(t.TempDir(), "vault"+BackupFileExtension)
	a := src.startWithBackup(t, file)
	if _, err := a.CreateFirstAdministrator(setup); err != nil {
		t.Fatal(err)
	}
	if _, err := a.b.CreateBackup(BackupRequest{Path: file, Passphrase: backupPassphrase, ConfirmPassphrase: backupPassphrase}); err != nil {
		t.Fatal(err)
	}

	// Another machine, no keyring: first run.
	r := newRig(t)
	r.keyring.Err = masterkey.ErrKeyringUnavailable
	b := r.startWithBackup(t, file)
	if st := b.GetAppState(); st.Phase != PhaseSetup {
		t.Fatalf("phase %s", st.Phase)
	}
	info := b.b.GetRestoreInfo()
	if info.HasData || !info.NeedsNewPassphrase || info.MinPassphrase != backup.MinPassphraseLen {
		t.Fatalf("restore info %+v", info)
	}
	path, err := b.b.ChooseRestoreFile()
	if err != nil || path != file {
		t.Fatalf("choose: %q, %v", path, err)
	}
	if e := uiErr(t, second(b.b.RestoreBackup(RestoreRequest{File: file, Passphrase: backupPassphrase}))); e.Field != "newPassphrase" {
		t.Fatalf("without a new passphrase: %+v", e)
	}
	if e := uiErr(t, second(b.b.RestoreBackup(RestoreRequest{File: file, Passphrase: "wrong passphrase!", NewPassphrase: "a new machine passphrase"}))); e.Field != "passphrase" {
		t.Fatalf("wrong passphrase: %+v", e)
	}
	if st := b.GetAppState(); st.Phase != PhaseSetup {
		t.Fatalf("a refused restore left phase %s", st.Phase)
	}
	out, err := b.b.RestoreBackup(RestoreRequest{File: file, Passphrase: backupPassphrase, NewPassphrase: "a new machine passphrase"})
	if err != nil {
		t.Fatal(err)
	}
	if out.State.Phase != PhaseLogin || out.State.KeyStorage != "passphrase" || out.Aside != "" {
		t.Fatalf("restore %+v", out)
	}
	if _, err := b.LogIn("admin", setup.Password); err != nil {
		t.Fatal(err)
	}
	b.close()

	// The next start asks for the new passphrase.
	c := r.startWithBackup(t, file)
	if st := c.GetAppState(); st.Phase != PhaseUnlock {
		t.Fatalf("restart: %s", st.Phase)
	}
	if st, err := c.Unlock("a new machine passphrase"); err != nil || st.Phase != PhaseLogin {
		t.Fatalf("unlock: %+v, %v", st, err)
	}
}

func TestOnlyAnOperatorWithRunBackupsBacksUp(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	a := r.startWithBackup(t, filepath.Join(t.TempDir(), "x"+BackupFileExtension))
	if _, err := a.b.ChooseBackupFile(); uiErr(t, err).Code != apperr.Unauthenticated {
		t.Fatalf("before login: %v", err)
	}
	if _, err := a.CreateFirstAdministrator(setup); err != nil {
		t.Fatal(err)
	}
	if _, err := a.LogOut(); err != nil {
		t.Fatal(err)
	}
	// At the login screen nobody may replace the vault.
	if e := uiErr(t, second(a.b.RestoreBackup(RestoreRequest{File: "x", Passphrase: backupPassphrase}))); e.Code != apperr.Unauthenticated {
		t.Fatalf("restore at login: %+v", e)
	}
}
