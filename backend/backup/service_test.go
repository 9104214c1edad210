package backup_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/backup"
	"hostbound/backend/internal/testdomain"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/store"
	"hostbound/backend/users"
)

func lastRecord(t *testing.T, w *testdomain.World) audit.Record {
	t.Helper()
	var recs []audit.Record
	if err := w.Store.View(func(tx *store.Txn) (err error) { recs, err = w.Audit.List(tx); return }); err != nil {
		t.Fatal(err)
	}
	return recs[len(recs)-1]
}

func TestBackupUseCase(t *testing.T) {
	t.Parallel()
	w := testdomain.New(t, testdomain.Options{})
	key := testenv.Key(t)
	svc := backup.NewService(w.Store, key, w.Audit, w.Users, w.Clock.Now, fast)
	dir := t.TempDir()

	t.Run("an administrator backs up and the backup is audited", func(t *testing.T) {
		path := filepath.Join(dir, "ok.hbk")
		h, err := svc.Backup(w.AdminActor, path, pass, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := backup.Verify(path, pass)
		if err != nil || got.Records != h.Records || got.AuditCount != h.AuditCount || got.AuditHead != h.AuditHead || h.AuditCount == 0 {
			t.Fatalf("verify %+v vs %+v: %v", got, h, err)
		}
		r := lastRecord(t, w)
		if r.Operation != "backup" || r.Result != audit.Success || r.Actor != "admin" || r.ActorName != "Ada Admin" ||
			r.Source != access.SourceDesktop || r.Target != path || r.Seq != h.AuditCount+1 {
			t.Errorf("record %+v", r)
		}
	})

	t.Run("an operator without Run backups is refused and nothing is written", func(t *testing.T) {
		op := w.Operator(t, "pam", access.PasswordAdmin, access.ScopeAll)
		op.Source = access.SourceCLI
		path := filepath.Join(dir, "refused.hbk")
		_, err := svc.Backup(op, path, pass, nil)
		if e := apperr.As(err); e == nil || e.Code != apperr.Forbidden {
			t.Fatalf("%v", err)
		}
		for _, p := range []string{path, path + ".partial"} {
			if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s exists", p)
			}
		}
		r := lastRecord(t, w)
		if r.Operation != "backup" || r.Result != audit.Failure || r.Actor != "pam" || r.Source != access.SourceCLI {
			t.Errorf("record %+v", r)
		}
	})

	t.Run("an API user is refused", func(t *testing.T) {
		k, _ := apikey.Generate()
		u, err := w.Users.CreateAPIUser(w.AdminActor, users.APIUserInput{Username: "bot@localhost", Host: "localhost",
			FullName: "Bot", Role: access.Admin, Scope: access.ScopeOwnedShared, RESTEnabled: true, NeverExpires: true}, &k)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "api.hbk")
		if _, err := svc.Backup(users.ActorOf(u, "127.0.0.1"), path, pass, nil); apperr.As(err) == nil {
			t.Fatalf("%v", err)
		}
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Error("file written")
		}
	})

	t.Run("a short passphrase is a field error, audited, nothing written", func(t *testing.T) {
		path := filepath.Join(dir, "short.hbk")
		_, err := svc.Backup(w.AdminActor, path, "too short", nil)
		if e := apperr.As(err); e == nil || e.Field != "passphrase" {
			t.Fatalf("%v", err)
		}
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Error("file written")
		}
		if r := lastRecord(t, w); r.Result != audit.Failure || r.Reason != "Backup passphrase: at least 12 characters" {
			t.Errorf("record %+v", r)
		}
	})
}
