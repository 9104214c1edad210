package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hostbound/backend/internal/pgtest"
)

// addDeploy adds the API user deploy@web01 as admin.
func (f *fixture) addDeploy(extra ...string) result {
	f.t.Helper()
	return f.must(append([]string{"apiuser", "add", "deploy@web01", "--host", "10.0.0.5", "--full-name", "Deploy on web01",
		"--role", "Password User", "--never-expires", "--operator", "admin"}, extra...)...)
}

// listed reports whether `apiuser list` shows name.
func (f *fixture) listed(name string, extra ...string) bool {
	f.t.Helper()
	return strings.Contains(f.must(append([]string{"apiuser", "list", "--operator", "admin"}, extra...)...).stdout, name)
}

func TestAPostgresStoreIsSetUpUsedAndJoinedThroughTheCommands(t *testing.T) {
	url := pgtest.URL(t)
	a := newFixture(t, true)
	a.env[StoreEnv] = url
	a.initialised()
	a.addDeploy()
	if _, err := os.Stat(filepath.Join(a.dir, "store.json")); err != nil {
		t.Fatalf("init with a PostgreSQL store does not record it in the data directory: %v", err)
	}
	if _, err := os.Stat(filepath.Join(a.dir, "db")); err == nil {
		t.Error("init with a PostgreSQL store made a local db/ too")
	}

	t.Run("the same directory without the store is refused, not opened empty", func(t *testing.T) {
		delete(a.env, StoreEnv)
		defer func() { a.env[StoreEnv] = url }()
		a.refused(1, "keeps its data in PostgreSQL: start Hostbound with --store", "apiuser", "list", "--operator", "admin")
		if _, err := os.Stat(filepath.Join(a.dir, "db")); err == nil {
			t.Error("the refused command made a local db/")
		}
		// The flag names it as well as the variable does.
		if !a.listed("deploy@web01", "--store", url) {
			t.Error("--store does not open the database")
		}
	})

	t.Run("a value that is not a PostgreSQL URL is a usage error that does not echo it", func(t *testing.T) {
		r := a.refused(2, "not a PostgreSQL connection string", "apiuser", "list", "--operator", "admin", "--store", "mysql://u:s3cret-pw@h/db")
		if strings.Contains(r.stderr, "s3cret-pw") {
			t.Errorf("the refusal echoes the connection string: %s", r.stderr)
		}
	})

	t.Run("a second init on the database is refused and makes no key", func(t *testing.T) {
		b := newFixture(t, true)
		b.env[StoreEnv] = url
		b.refused(1, "already holds a Hostbound store", "init", "--operator", "other", "--full-name", "Other Admin")
		if _, err := os.Stat(filepath.Join(b.dir, "masterkey.json")); err == nil {
			t.Error("the refused init left a master key header")
		}
	})

	t.Run("a node with a copy of masterkey.json and the passphrase sees the same data", func(t *testing.T) {
		b := newFixture(t, true)
		b.env[StoreEnv] = url
		if err := os.MkdirAll(b.dir, 0o700); err != nil {
			t.Fatal(err)
		}
		h, err := os.ReadFile(filepath.Join(a.dir, "masterkey.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(b.dir, "masterkey.json"), h, 0o600); err != nil {
			t.Fatal(err)
		}
		if !b.listed("deploy@web01") {
			t.Fatal("the second node does not see the first node's API user")
		}
		b.must("apiuser", "add", "backup@db01", "--host", "10.0.0.6", "--full-name", "Backup on db01",
			"--role", "Password User", "--never-expires", "--operator", "admin")
		if !a.listed("backup@db01") {
			t.Error("the first node does not see the second node's API user")
		}
		b.must("audit", "verify", "--operator", "admin")
	})

	t.Run("a node whose own key does not open the database is told what to do", func(t *testing.T) {
		c := newFixture(t, true)
		c.env[StoreEnv] = pgtest.URL(t)
		c.initialised()
		c.env[StoreEnv] = url
		c.refused(1, "every node needs the master key the database was set up with", "apiuser", "list", "--operator", "admin")
	})

	t.Run("restore into a PostgreSQL store is refused", func(t *testing.T) {
		file := a.file("x.hbk", "not read: the store is refused first")
		a.refused(1, "not into PostgreSQL", "restore", file, "--operator", "admin")
	})
}

func TestStoreCopyMovesADataDirectoryToPostgresVerified(t *testing.T) {
	f := newFixture(t, true).initialised()
	f.addDeploy()
	url := pgtest.URL(t)

	t.Run("needs somewhere to copy to", func(t *testing.T) {
		f.refused(2, "--to postgres://", "store", "copy", "--operator", "admin")
		f.refused(2, "the source is the data directory --from", "store", "copy", "--store", url, "--to", url, "--operator", "admin")
	})

	r := f.must("store", "copy", "--from", f.dir, "--to", url, "--operator", "admin")
	if !strings.Contains(r.stderr, "the audit trail verifies") || !strings.Contains(r.stderr, "now uses the PostgreSQL store") {
		t.Fatalf("store copy says: %s", r.stderr)
	}

	t.Run("the directory now opens the database only", func(t *testing.T) {
		f.refused(1, "keeps its data in PostgreSQL", "apiuser", "list", "--operator", "admin")
		f.env[StoreEnv] = url
		defer delete(f.env, StoreEnv)
		if !f.listed("deploy@web01") {
			t.Fatal("the copied API user is not in the database")
		}
		v := f.must("audit", "verify", "--operator", "admin")
		if !strings.Contains(v.stdout+v.stderr, "verif") {
			t.Errorf("audit verify after the copy: %s", v)
		}
		out := f.must("audit", "export", "--format", "csv", "--operator", "admin")
		if !strings.Contains(out.stdout, "store copy") {
			t.Errorf("the copy is not in the copied audit trail:\n%s", out.stdout)
		}
	})

	t.Run("a database that is not empty is refused and keeps what it has", func(t *testing.T) {
		g := newFixture(t, true).initialised()
		g.must("store", "copy", "--from", g.dir, "--to", pgtest.URL(t), "--operator", "admin")
		h := newFixture(t, true).initialised()
		h.refused(1, "already holds another Hostbound store", "store", "copy", "--from", h.dir, "--to", url, "--operator", "admin")
		if _, err := os.Stat(filepath.Join(h.dir, "store.json")); err == nil {
			t.Error("a refused copy switched the data directory")
		}
		h.must("audit", "verify", "--operator", "admin") // the source still opens, locally
	})
}
