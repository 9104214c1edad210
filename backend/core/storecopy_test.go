package core_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hostbound/backend/core"
	"hostbound/backend/internal/pgtest"
	"hostbound/backend/store"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestACopyThatDoesNotMatchIsTakenOutAndTheDirectoryKeepsItsStore(t *testing.T) {
	w := newVault(t)
	url := pgtest.URL(t)
	reset := core.SetAfterCopy(func(dst *store.Store) {
		// One entry lost on the way.
		if err := dst.Update(func(tx *store.Txn) error {
			var victim string
			if err := tx.EachKey("user/", func(k string) error { victim = k; return errStop }); err != nil && err != errStop {
				return err
			}
			if victim == "" {
				t.Error("no user to lose")
			}
			return tx.Delete(victim)
		}); err != nil {
			t.Fatal(err)
		}
	})
	_, err := w.life.CopyTo(url, w.admin, nil)
	reset()
	if err == nil || !strings.Contains(err.Error(), "does not match") {
		t.Fatalf("a copy missing an entry: %v", err)
	}
	if _, err := os.Stat(filepath.Join(w.dir, "store.json")); err == nil {
		t.Fatal("a copy that did not verify switched the data directory to PostgreSQL")
	}
	// Nothing of the copy is left: the copy can be made again.
	res, err := w.life.CopyTo(url, w.admin, nil)
	if err != nil {
		t.Fatalf("copy after a failed one: %v", err)
	}
	if res.Entries == 0 || res.AuditRecords == 0 {
		t.Errorf("copy result %+v", res)
	}
}

func TestOnlyWhoMayTakeABackupMayCopyTheVault(t *testing.T) {
	w := newVault(t)
	api := w.admin
	api.Kind, api.Username = "api", "deploy@web01"
	if _, err := w.life.CopyTo(pgtest.URL(t), api, nil); err == nil {
		t.Fatal("an API user copied the vault")
	}
}

var errStop = errors.New("stop")
