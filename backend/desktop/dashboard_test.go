package desktop

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// curl runs a Getting started command as a user would paste it, with the
// key in $HOSTBOUND_KEY.
func curl(t *testing.T, command, key string) string {
	t.Helper()
	cmd := exec.Command("sh", "-c", command)
	cmd.Env = append(os.Environ(), "HOSTBOUND_KEY="+key)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", command, err, out)
	}
	return string(out)
}

// TestHomeFromFirstRunToAFetchedPassword follows a newcomer: an empty Home
// with a Getting started command, which (pasted into a shell with the key)
// fetches the shared password from this machine's REST API; then the
// figures count the key and the calls and list the refusal.
func TestHomeFromFirstRunToAFetchedPassword(t *testing.T) {
	t.Parallel()
	r, s, u := loggedIn(t)
	a, v := NewAudit(s.Session), NewVault(s.Session)
	d, err := a.GetDashboard()
	if err != nil || d.Keys == nil || d.Keys.APIUsers != 0 || d.Activity == nil || !d.API.Running || d.GettingStarted == nil {
		t.Fatalf("first run: %+v, %v", d, err)
	}
	if gs := d.GettingStarted; !strings.HasPrefix(gs.BaseURL, "https://127.0.0.1:") || !strings.HasPrefix(gs.PublicKeyPin, "sha256//") ||
		!strings.HasSuffix(gs.Command, "/resources'") || gs.Resources != 0 {
		t.Fatalf("getting started without resources: %+v", gs)
	}
	if len(d.Activity.Hours) != 24 || len(d.Activity.Days) != 30 {
		t.Fatalf("buckets: %d hours, %d days", len(d.Activity.Hours), len(d.Activity.Days))
	}

	res, _ := v.CreateResource(ResourceRequest{Name: "db01", Type: "PostgreSQL"})
	if _, err := v.CreateAccount(res.ID, AccountRequest{Name: "postgres", Password: "pg-secret-value"}); err != nil {
		t.Fatal(err)
	}
	d, _ = a.GetDashboard()
	gs := d.GettingStarted
	if gs == nil || gs.Example != "db01 / postgres" || !strings.Contains(gs.Command, "/password'") {
		t.Fatalf("getting started with db01: %+v", gs)
	}
	// The pin is this server's key: curl checks it, so a wrong key is a
	// refusal from the API (not a TLS error), and a wrong pin fails.
	if out := curl(t, gs.Command, "hbk_not_a_key"); !strings.Contains(out, `"status":"Failed"`) {
		t.Fatalf("bad key: %s", out)
	}
	bad := strings.Replace(gs.Command, gs.PublicKeyPin, "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", 1)
	if out, err := exec.Command("sh", "-c", bad).CombinedOutput(); err == nil {
		t.Fatalf("a wrong pin was accepted: %s", out)
	}

	key, _ := u.GenerateAPIKey()
	req := apiRequest(key, r.clock.Now().AddDate(0, 0, 5))
	req.Host = "localhost"
	if _, err := u.CreateAPIUser(req); err != nil {
		t.Fatal(err)
	}
	if err := v.ShareResource(ShareRequest{ResourceID: res.ID, Grantee: req.Username, Permission: "view"}); err != nil {
		t.Fatal(err)
	}
	if out := curl(t, gs.Command, key); !strings.Contains(out, `"PASSWORD":"pg-secret-value"`) {
		t.Fatalf("the Getting started command did not fetch the password: %s", out)
	}

	d, err = a.GetDashboard()
	if err != nil || d.GettingStarted != nil {
		t.Fatalf("with an API user: %+v, %v", d, err)
	}
	if k := *d.Keys; k.APIUsers != 1 || k.ExpiringWithin30 != 1 || k.ExpiringWithin7 != 1 || k.ExpiringWithin1 != 0 || k.Active != 0 || k.Idle != 0 {
		t.Fatalf("keys: %+v", k)
	}
	now := d.Activity.Hours[23]
	if now.Calls < 1 || now.Refusals < 1 || d.Activity.Days[29].Calls != now.Calls {
		t.Fatalf("this hour: %+v, today: %+v", now, d.Activity.Days[29])
	}
	if len(d.Activity.Refusals) == 0 || d.Activity.Refusals[0].Source != "127.0.0.1" || d.Activity.Refusals[0].Reason == "" {
		t.Fatalf("refusals: %+v", d.Activity.Refusals)
	}
	if strings.Contains(toJSON(t, d), key[8:]) || strings.Contains(toJSON(t, d), "pg-secret-value") {
		t.Fatal("Home holds a secret")
	}
}

// TestHomeShowsOnlyWhatTheOperatorMaySee: a Password User sees the services'
// status, and neither the key figures, the audit figures nor the REST
// settings behind the Getting started command.
func TestHomeShowsOnlyWhatTheOperatorMaySee(t *testing.T) {
	t.Parallel()
	_, s, u := loggedIn(t)
	logInAsNew(t, s, u, "pat", "Pat User", "password_user")
	d, err := NewAudit(s.Session).GetDashboard()
	if err != nil || d.Keys != nil || d.Activity != nil || d.GettingStarted != nil || !d.API.Running {
		t.Fatalf("a Password User's Home: %+v, %v", d, err)
	}
}
