package restapi

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/users"
)

// The example client admins copy (examples/pmp_client.py, standard-library
// Python) walks the API against a real server: the same HTTPS, envelope and
// host binding a PMP script meets.

const pythonClient = "../../examples/pmp_client.py"

// adminAPIUser is an Administrator API user with All Passwords bound to
// 127.0.0.1, created by the world's Super Administrator.
func (w *world) adminAPIUser(t *testing.T) string {
	t.Helper()
	k, _ := apikey.Generate()
	if _, err := w.Users.CreateAPIUser(w.AdminActor, users.APIUserInput{Username: "automation@127.0.0.1", Host: "127.0.0.1",
		FullName: "Automation Admin", Role: access.Admin, Scope: access.ScopeAll, RESTEnabled: true, NeverExpires: true}, &k); err != nil {
		t.Fatal(err)
	}
	return k.String()
}

// runPythonClient runs the example with the key in its environment and
// returns its output, the secrets it reported it handled (the deployer's
// key, the generated password) and its exit error.
func runPythonClient(t *testing.T, w *world, key string, args ...string) (out string, report map[string]string, err error) {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Fatalf("python3 is needed for the example client's test: %v", err)
	}
	path := filepath.Join(t.TempDir(), "report.json")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, py, append([]string{pythonClient, "--report", path}, args...)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "PMP_URL=" + w.base, "PMP_AUTHTOKEN=" + key, "PYTHONDONTWRITEBYTECODE=1"}
	b, err := cmd.CombinedOutput()
	report = map[string]string{}
	if r, rerr := os.ReadFile(path); rerr == nil {
		if jerr := json.Unmarshal(r, &report); jerr != nil {
			t.Fatalf("report: %v", jerr)
		}
	}
	return string(b), report, err
}

// certFile writes the server's certificate as PEM, as the app exports it.
func certFile(t *testing.T, w *world) string {
	t.Helper()
	cert, _, err := w.Settings.Certificate()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "hostbound.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// walkStep is what one audit record of the walk must say.
type walkStep struct {
	actor, source, op, target, result, reason string // reason: a part of it
}

// walkTrail is the audit trail of the walk, in order. The administrator
// API user calls from 127.0.0.1, the deployer from its host 127.0.0.2; a
// refusal at authentication carries PMP's operation name. The deleted
// key's refusal is the second failure from 127.0.0.2 in that minute: it
// comes as the minute's summary, at the end.
var walkTrail = []walkStep{
	{walkAdmin, "127.0.0.1", "create resource", "web01 / deploy", audit.Success, ""},
	{walkAdmin, "127.0.0.1", "create account", "web01 / backup, monitor", audit.Success, ""},
	{walkAdmin, "127.0.0.1", "find account", "web01 / monitor", audit.Success, ""},
	{walkAdmin, "127.0.0.1", "generate api key", walkDeployer, audit.Success, ""},
	{walkAdmin, "127.0.0.1", "create api user", walkDeployer, audit.Success, ""},
	{walkAdmin, "127.0.0.1", "view user", walkDeployer, audit.Success, ""},
	{walkDeployer, "127.0.0.2", "list resources", "", audit.Success, ""},
	{walkDeployer, "127.0.0.1", "GET RESOURCES", "", audit.Failure, "wrong host: request from 127.0.0.1, expected 127.0.0.2"},
	{walkAdmin, "127.0.0.1", "disable user", walkDeployer, audit.Success, ""},
	{walkDeployer, "127.0.0.2", "GET RESOURCES", "", audit.Failure, "API user is disabled"},
	{walkAdmin, "127.0.0.1", "enable user", walkDeployer, audit.Success, ""},
	{walkDeployer, "127.0.0.2", "list resources", "", audit.Success, ""},
	{walkAdmin, "127.0.0.1", "generate password", "Strong", audit.Success, ""},
	{walkAdmin, "127.0.0.1", "change password", "web01 / deploy", audit.Success, "reason: rotation by pmp_client.py"},
	{walkAdmin, "127.0.0.1", "reveal password", "web01 / deploy", audit.Success, ""},
	{walkAdmin, "127.0.0.1", "delete user", walkDeployer, audit.Success, ""},
	{walkAdmin, "127.0.0.1", "delete account", "web01 / backup", audit.Success, ""},
	{walkAdmin, "127.0.0.1", "delete account", "web01 / monitor", audit.Success, ""},
	{walkAdmin, "127.0.0.1", "delete account", "web01 / deploy", audit.Success, ""},
	{walkAdmin, "127.0.0.1", "delete resource", "web01", audit.Success, ""},
	{"(unknown key)", "127.0.0.2", "GET RESOURCES", "", audit.Failure, "1 more failed authentications from 127.0.0.2 "},
}

const (
	walkAdmin    = "automation@127.0.0.1"
	walkDeployer = "deployer@127.0.0.2"
)

var walkFullNames = map[string]string{walkAdmin: "Automation Admin", walkDeployer: "Deploy Pipeline"}

func TestPythonClientWalksTheAPI(t *testing.T) {
	t.Parallel()
	modes := []struct {
		name  string
		trust func(t *testing.T, w *world) []string
	}{
		{"trusting the exported certificate", func(t *testing.T, w *world) []string { return []string{"--cafile", certFile(t, w)} }},
		{"pinning the certificate's fingerprint", func(t *testing.T, w *world) []string { return []string{"--fingerprint", w.srv.Status().Fingerprint} }},
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			key := w.adminAPIUser(t)
			out, rep, err := runPythonClient(t, w, key, m.trust(t, w)...)
			if err != nil {
				t.Fatalf("python client: %v\n%s", err, out)
			}
			pw, deployerKey := rep["generated_password"], rep["deployer_key"]
			if len(pw) < 12 || !strings.HasPrefix(deployerKey, "hbk_") {
				t.Fatalf("the client reported no password or key it handled: %d characters, key prefix %.4q", len(pw), deployerKey)
			}
			if lines := strings.Count(out, "\n"); lines != 21 || !strings.HasSuffix(out, "done: everything created was deleted\n") {
				t.Errorf("%d lines of output, want one per step (20) and done:\n%s", lines, out)
			}
			for _, secret := range []string{pw, deployerKey, key, "hbk_"} {
				if strings.Contains(out, secret) {
					t.Fatal("the client printed a secret")
				}
			}

			w.Clock.Advance(time.Minute) // the minute's refusals are summarised once it has ended
			w.Guard.Flush()
			var got []audit.Record
			for _, r := range w.records(t) {
				b, _ := json.Marshal(r)
				for _, secret := range []string{pw, deployerKey, key, "hbk_"} {
					if strings.Contains(string(b), secret) {
						t.Fatalf("record %d (%s) holds a secret", r.Seq, r.Operation)
					}
				}
				if r.Actor != w.Admin.Username {
					got = append(got, r)
				}
			}
			if len(got) != len(walkTrail) {
				for _, r := range got {
					t.Logf("%s %s %s %q %s %q", r.Actor, r.Source, r.Operation, r.Target, r.Result, r.Reason)
				}
				t.Fatalf("%d audit records of the walk, want %d", len(got), len(walkTrail))
			}
			for i, want := range walkTrail {
				r := got[i]
				if r.Actor != want.actor || r.ActorName != walkFullNames[want.actor] || r.ActorKind != string(access.KindAPI) ||
					r.Source != want.source || r.Operation != want.op || r.Target != want.target || r.Result != want.result ||
					!strings.Contains(r.Reason, want.reason) {
					t.Errorf("record %d: %s (%s, %s) from %s: %s %q %s %q\nwant %s (%s) from %s: %s %q %s %q", i+1,
						r.Actor, r.ActorName, r.ActorKind, r.Source, r.Operation, r.Target, r.Result, r.Reason,
						want.actor, walkFullNames[want.actor], want.source, want.op, want.target, want.result, want.reason)
				}
				// APP_NAME reaches the record of each use case the client called
				// (the key's record is written by create api user's).
				if r.Result == audit.Success && r.Operation != "generate api key" && !strings.Contains(r.Reason, "app: pmp_client.py") {
					t.Errorf("record %d (%s): reason %q does not name the client's APP_NAME", i+1, r.Operation, r.Reason)
				}
			}

			// Nothing the walk created is left.
			if _, err := w.Vault.ResourceIDByName(w.AdminActor, "web01"); apperr.As(err) == nil || apperr.As(err).Code != apperr.NotFound {
				t.Errorf("resource web01 after the walk: %v, want not found", err)
			}
			if _, err := w.Users.Get(w.AdminActor, walkDeployer); apperr.As(err) == nil || apperr.As(err).Code != apperr.NotFound {
				t.Errorf("user %s after the walk: %v, want not found", walkDeployer, err)
			}
		})
	}

	t.Run("a pinned fingerprint of another certificate is refused before the key is sent", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t)
		key := w.adminAPIUser(t)
		other := strings.Repeat("AB:", 31) + "AB"
		out, _, err := runPythonClient(t, w, key, "--fingerprint", other)
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(out, "fingerprint does not match") {
			t.Fatalf("exit %v, want 1 naming the fingerprint:\n%s", err, out)
		}
		for _, r := range w.records(t) {
			if r.Actor == walkAdmin {
				t.Fatalf("the server saw a call: %s %s", r.Operation, r.Result)
			}
		}
		if row := w.usersRow(t, walkAdmin); row.UseCount != 0 {
			t.Fatalf("the key was used %d times", row.UseCount)
		}
	})
}

func (w *world) usersRow(t *testing.T, name string) *users.Row {
	t.Helper()
	page, err := w.Users.List(w.AdminActor, users.Query{Search: name})
	if err != nil || len(page.Rows) != 1 {
		t.Fatalf("list %s: %v", name, err)
	}
	return page.Rows[0]
}
