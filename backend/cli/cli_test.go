package cli

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/audit"
	"hostbound/backend/datadir"
	"hostbound/backend/masterkey"
	"hostbound/backend/services"
	"hostbound/backend/store"
	"hostbound/backend/users"
)

// key parses the one line on stdout as an API key.
func key(t *testing.T, r result) apikey.Key {
	t.Helper()
	k, err := apikey.Parse(strings.TrimSuffix(r.stdout, "\n"))
	if err != nil || strings.Count(r.stdout, "\n") != 1 {
		t.Fatalf("stdout is not one API key: %q (%v)", r.stdout, err)
	}
	return k
}

func TestAnAPIUserFromAddToDeleteInPassphraseMode(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true).initialised()
	if got := f.keyStorage(); got != string(masterkey.ModePassphrase) {
		t.Fatalf("init with a passphrase file keeps the key in %q", got)
	}

	add := f.must("apiuser", "add", "deploy@web01", "--host", "10.0.0.5", "--full-name", "Deploy on web01",
		"--role", "Password User", "--expires", "2099-12-31", "--department", "Ops", "--operator", "admin")
	k := key(t, add)
	if !strings.Contains(add.stderr, "shown only this once") {
		t.Errorf("stderr does not say the key is shown once: %q", add.stderr)
	}

	t.Run("list --json has the user and no key", func(t *testing.T) {
		r := f.must("apiuser", "list", "--json", "--operator", "admin")
		var rows []apiUserJSON
		if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
			t.Fatalf("%v: %s", err, r.stdout)
		}
		if len(rows) != 1 || rows[0].Username != "deploy@web01" || rows[0].Host != "10.0.0.5" || rows[0].RoleName != "Password User" ||
			rows[0].KeyStatus != users.KeyActive || rows[0].KeyExpiresAt == nil || rows[0].Department != "Ops" {
			t.Fatalf("rows %+v", rows)
		}
		if strings.Contains(r.stdout, k.String()) || strings.Contains(r.stdout, "hash") {
			t.Fatal("list shows the key or its hash")
		}
		if r := f.must("apiuser", "list", "--search", "nothing-like-it", "--json", "--operator", "admin"); strings.TrimSpace(r.stdout) != "[]" {
			t.Fatalf("--search: %s", r.stdout)
		}
	})
	t.Run("show prints every field and never the key", func(t *testing.T) {
		r := f.must("apiuser", "show", "deploy@web01", "--operator", "admin")
		for _, want := range []string{"Username:", "deploy@web01", "Host Name:", "10.0.0.5", "Full Name:", "Deploy on web01",
			"Access Level:", "Password User", "Access Scope:", "Passwords Owned and Shared", "Department:", "Ops",
			"Key Expires:", "2099-12-31 23:59:59 UTC", "Use Count:", "Created:", "by admin", k.Hint()} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("show lacks %q:\n%s", want, r.stdout)
			}
		}
		if strings.Contains(r.stdout, k.String()) {
			t.Fatal("show prints the key")
		}
	})
	t.Run("regenerate prints a new key once; --json puts it in apiKey", func(t *testing.T) {
		k2 := key(t, f.must("apiuser", "regenerate", "deploy@web01", "--operator", "admin"))
		if k2 == k {
			t.Fatal("the same key again")
		}
		r := f.must("apiuser", "regenerate", "deploy@web01", "--grace", "24h", "--json", "--operator", "admin")
		var out apiUserJSON
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
			t.Fatal(err)
		}
		if _, err := apikey.Parse(out.APIKey); err != nil || out.PreviousKeyValidUntil == nil {
			t.Fatalf("%+v (%v)", out, err)
		}
	})
	t.Run("disable and enable", func(t *testing.T) {
		f.must("apiuser", "disable", "deploy@web01", "--operator", "admin")
		if r := f.must("apiuser", "list", "--json", "--operator", "admin"); !strings.Contains(r.stdout, `"disabled": true`) {
			t.Fatalf("not disabled: %s", r.stdout)
		}
		f.must("apiuser", "enable", "deploy@web01", "--operator", "admin")
		if r := f.must("apiuser", "list", "--json", "--operator", "admin"); !strings.Contains(r.stdout, `"disabled": false`) {
			t.Fatalf("not enabled: %s", r.stdout)
		}
	})
	t.Run("an operator is not an API user", func(t *testing.T) {
		f.refused(1, "admin is an operator, not an API user", "apiuser", "delete", "admin", "--operator", "admin")
	})
	t.Run("delete", func(t *testing.T) {
		f.must("apiuser", "delete", "deploy@web01", "--operator", "admin")
		f.refused(1, "", "apiuser", "show", "deploy@web01", "--operator", "admin")
		if r := f.must("apiuser", "list", "--json", "--operator", "admin"); strings.TrimSpace(r.stdout) != "[]" {
			t.Fatalf("after delete: %s", r.stdout)
		}
	})
	t.Run("every action is audited with source cli; the chain verifies", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "audit.csv")
		r := f.must("audit", "export", "--format", "csv", "--out", out, "--operator", "admin")
		if r.stdout != "" || !strings.Contains(r.stderr, "Exported") {
			t.Fatalf("export: %s", r)
		}
		st, err := os.Stat(out)
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("export file: %v %v", st, err)
		}
		file, _ := os.Open(out)
		rows, err := csv.NewReader(file).ReadAll()
		file.Close()
		if err != nil || strings.Join(rows[0], ",") != strings.Join(audit.CSVHeader, ",") {
			t.Fatalf("%v %v", rows, err)
		}
		ops := map[string]string{}
		for _, row := range rows[1:] {
			if row[7] == "deploy@web01" || row[6] == "create first administrator" {
				ops[row[6]] = row[5] // operation → source
			}
		}
		for _, op := range []string{"create first administrator", "create api user", "generate api key", "regenerate api key", "disable user", "enable user", "delete user"} {
			if ops[op] != access.SourceCLI {
				t.Errorf("%q: source %q, want cli (%v)", op, ops[op], ops)
			}
		}
		v := f.must("audit", "verify", "--operator", "admin")
		if !strings.Contains(v.stdout, "audit records verified: the chain is intact") {
			t.Fatalf("verify: %s", v)
		}
		j := f.must("audit", "export", "--format", "json", "--operator", "admin")
		if first, _, _ := strings.Cut(j.stdout, "\n"); !json.Valid([]byte(first)) || !strings.Contains(first, `"operation":"login","target":"admin"`) {
			t.Fatalf("JSON Lines export, newest first: %q", first)
		}
	})
}

func TestRefusalsExitOneWithTheDomainsMessage(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false).initialised()
	if got := f.keyStorage(); got != string(masterkey.ModeKeyring) {
		t.Fatalf("init without a passphrase file keeps the key in %q", got)
	}
	f.domain(func(svc *services.Services, admin access.Actor) {
		if _, err := svc.Users.CreateOperator(admin, users.OperatorInput{Username: "audrey", FullName: "Audrey Auditor",
			Password: "auditor password", ConfirmPassword: "auditor password", Role: access.PasswordAuditor, Scope: access.ScopeOwnedShared}); err != nil {
			t.Fatal(err)
		}
	})
	add := []string{"apiuser", "add", "job@web", "--host", "web.example.com", "--full-name", "Job", "--never-expires"}

	t.Run("a wrong operator password", func(t *testing.T) {
		f.env[OperatorPasswordFileEnv] = f.file("wrong", "not the password")
		defer func() { f.env[OperatorPasswordFileEnv] = f.file("admin-password", adminPassword) }()
		r := f.refused(1, users.MsgWrongCredentials, append(add, "--operator", "admin")...)
		if r.stdout != "" {
			t.Fatalf("printed %q", r.stdout)
		}
	})
	t.Run("an unknown role, with every field error", func(t *testing.T) {
		f.refused(1, "Access Level: no such role", append(add, "--role", "Chief", "--operator", "admin")...)
		r := f.refused(1, "fields are not valid", "apiuser", "add", "x y", "--host", "not a host!", "--full-name", "", "--never-expires", "--operator", "admin")
		for _, want := range []string{"  - Username:", "  - Host Name:", "  - Full Name:"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("missing %q in\n%s", want, r.stderr)
			}
		}
	})
	t.Run("a Password Auditor may not add API users", func(t *testing.T) {
		f.env[OperatorPasswordFileEnv] = f.file("audrey", "auditor password")
		defer func() { f.env[OperatorPasswordFileEnv] = f.file("admin-password", adminPassword) }()
		r := f.refused(1, "not allowed", append(add, "--operator", "audrey")...)
		if r.stdout != "" {
			t.Fatalf("printed %q", r.stdout)
		}
		f.must("audit", "verify", "--operator", "audrey") // audit.view they have
	})
	t.Run("the operator from HOSTBOUND_OPERATOR", func(t *testing.T) {
		f.env[OperatorEnv] = "admin"
		defer delete(f.env, OperatorEnv)
		key(t, f.must(add...))
	})
	t.Run("a second init is refused and changes nothing", func(t *testing.T) {
		f.refused(1, "is already set up", "init", "--operator", "other", "--full-name", "Other")
		f.must("apiuser", "show", "job@web", "--operator", "admin")
	})
}

func TestUsageErrorsExitTwo(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	for _, c := range []struct {
		name, want string
		args       []string
	}{
		{"an unknown command", `unknown command "frob"`, []string{"frob"}},
		{"an unknown sub-command", `unknown command "frob" for "hostbound apiuser"`, []string{"apiuser", "frob"}},
		{"a group alone", "which command?", []string{"audit"}},
		{"an unknown flag", "unknown flag: --password", []string{"apiuser", "list", "--password", "x"}},
		{"a missing argument", "missing USERNAME", []string{"apiuser", "show"}},
		{"an extra argument", `unexpected argument "b"`, []string{"apiuser", "delete", "a", "b"}},
		{"a bad scope", "--scope: owned or all", []string{"apiuser", "add", "a", "--scope", "some"}},
		{"both expiries", "give one", []string{"apiuser", "add", "a", "--expires", "2099-01-01", "--never-expires"}},
		{"a bad export format", "--format: csv or json", []string{"audit", "export", "--format", "xml"}},
		{"a bad duration", "invalid argument", []string{"apiuser", "regenerate", "a", "--grace", "soon"}},
		{"no operator and no terminal", "--operator NAME", []string{"apiuser", "list"}},
		{"init without a name and no terminal", "--operator is required", []string{"init"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := f.refused(2, c.want, c.args...)
			if !strings.Contains(r.stderr, "--help' for usage") {
				t.Errorf("no pointer to --help: %q", r.stderr)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(f.dir, masterkey.HeaderFile)); err == nil {
		t.Fatal("a usage error set up the data directory")
	}
}

func TestADataDirectoryInUseIsRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true).initialised()
	lock, err := datadir.Acquire(f.dir)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("the data directory %s is in use by another Hostbound (the desktop app or serve)", f.dir)
	f.refused(1, want, "apiuser", "list", "--operator", "admin")
	f.refused(1, want, "init", "--operator", "admin", "--full-name", "Ada")
	f.refused(1, want, "audit", "verify", "--operator", "admin")
	lock.Release()
	f.must("apiuser", "list", "--operator", "admin")
}

func TestInitAsksOnTheTerminalTwiceAndKeepsTheKeyInTheKeyring(t *testing.T) {
	t.Parallel()
	t.Run("two different passwords are refused", func(t *testing.T) {
		f := newFixture(t, false)
		delete(f.env, OperatorPasswordFileEnv)
		f.terminal = &fakeTerminal{answers: []string{"admin", "Ada Admin", adminPassword, "something else"}}
		f.refused(1, "differ", "init")
		f.refused(1, "has not been set up", "apiuser", "list", "--operator", "admin")
	})
	t.Run("the same twice sets it up", func(t *testing.T) {
		f := newFixture(t, false)
		delete(f.env, OperatorPasswordFileEnv)
		term := &fakeTerminal{answers: []string{"admin", "Ada Admin", adminPassword, adminPassword}}
		f.terminal = term
		r := f.must("init")
		if !strings.Contains(r.stderr, "master key in the OS keyring") || f.keyStorage() != string(masterkey.ModeKeyring) {
			t.Fatalf("%s (key storage %q)", r, f.keyStorage())
		}
		if len(term.prompts) != 4 || !strings.HasPrefix(term.prompts[3], "Again") {
			t.Fatalf("prompts %q", term.prompts)
		}
		// The password is asked again for each command.
		f.terminal = &fakeTerminal{answers: []string{adminPassword}}
		f.must("apiuser", "list", "--operator", "admin")
	})
	t.Run("without a keyring nor a passphrase file it says what to do", func(t *testing.T) {
		f := newFixture(t, false)
		f.keyring.Err = masterkey.ErrKeyringUnavailable
		f.refused(1, PassphraseFileEnv, "init", "--operator", "admin", "--full-name", "Ada")
	})
	t.Run("a short passphrase is refused", func(t *testing.T) {
		f := newFixture(t, false)
		f.env[PassphraseFileEnv] = f.file("short", "short")
		f.refused(1, "Passphrase: at least", "init", "--operator", "admin", "--full-name", "Ada")
	})
}

func TestAuditVerifyNamesTheFirstBadRecord(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false).initialised()
	f.must("apiuser", "add", "job@web", "--host", "10.1.1.1", "--full-name", "Job", "--never-expires", "--operator", "admin")
	f.domain(func(svc *services.Services, _ access.Actor) {
		err := svc.Store.Update(func(tx *store.Txn) error {
			var r audit.Record
			k := fmt.Sprintf("audit/rec/%020d", 3)
			if err := tx.Get(k, &r); err != nil {
				return err
			}
			r.Target = "someone else"
			return tx.Put(k, r)
		})
		if err != nil {
			t.Fatal(err)
		}
	})
	r := f.refused(1, "the audit trail is broken: record 3 was altered", "audit", "verify", "--operator", "admin")
	if r.stdout != "" {
		t.Fatalf("stdout %q", r.stdout)
	}
	j := f.refused(1, "record 3", "audit", "verify", "--json", "--operator", "admin")
	if !strings.Contains(j.stdout, `"intact": false`) {
		t.Fatalf("json: %s", j.stdout)
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	if r := f.must("version"); r.stdout != "hostbound 1.2.3-test\n" {
		t.Fatalf("%q", r.stdout)
	}
	if r := f.must("--version"); r.stdout != "hostbound 1.2.3-test\n" {
		t.Fatalf("%q", r.stdout)
	}
	var v map[string]string
	if err := json.Unmarshal([]byte(f.must("version", "--json").stdout), &v); err != nil || v["version"] != "1.2.3-test" || v["go"] == "" {
		t.Fatalf("%v %v", v, err)
	}
	if r := f.must("apiuser", "add", "--help"); !strings.Contains(r.stdout, "Examples:") || !strings.Contains(r.stdout, "--never-expires") {
		t.Fatalf("help: %s", r.stdout)
	}
}

func TestNoCommandOpensTheWindowWithTheRootFlags(t *testing.T) {
	t.Parallel()
	var got WindowOptions
	env := newFixture(t, false).newEnv(&syncBuffer{}, &syncBuffer{})
	env.Window = func(o WindowOptions) int { got = o; return 0 }
	if code := Run(t.Context(), env, []string{"--data-dir", "/tmp/x", "--log-level", "debug", "--api-listen", "127.0.0.1:9"}); code != 0 {
		t.Fatal(code)
	}
	if got != (WindowOptions{DataDir: "/tmp/x", LogLevel: "debug", APIListen: "127.0.0.1:9"}) {
		t.Fatalf("%+v", got)
	}
	env.Window = func(o WindowOptions) int { got = o; return 1 }
	if code := Run(t.Context(), env, nil); code != 1 || got.APIListen != "127.0.0.1:7272" || got.LogLevel != "info" {
		t.Fatalf("exit %d, %+v", code, got)
	}
}
