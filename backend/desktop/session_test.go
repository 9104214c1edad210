package desktop

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"hostbound/backend/apperr"
	"hostbound/backend/core"
	"hostbound/backend/internal/testdomain"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/masterkey"
	"hostbound/backend/restapi"
	"hostbound/backend/users"
)

type rig struct {
	dir     string
	keyring *masterkey.MemoryKeyring
	clock   *testenv.Clock
}

func newRig(t *testing.T) *rig {
	return &rig{dir: t.TempDir(), keyring: masterkey.NewMemoryKeyring(), clock: testenv.NewClock()}
}

// app is one run of the app on the rig's data directory: the session and
// its start/close handle, wired as app.go wires them (core's lifecycle,
// the REST API's runner).
type app struct {
	*Session
	life Lifecycle
}

// start is one run of the app on the rig's data directory; it is closed
// when the test ends (closing twice is harmless).
func (r *rig) start(t *testing.T) *app {
	t.Helper()
	log := testenv.Log()
	life := core.NewLifecycle(r.dir, r.keyring, core.Config{Log: log, Clock: r.clock.Now,
		Hasher: users.Hasher{Time: 1, Memory: 1024, Threads: 1}, Resolver: testdomain.LocalDNS, APIListen: "127.0.0.1:0"})
	s := NewSession(Config{Life: life, API: restapi.NewRunner(life, r.clock.Now, log), Log: log, Clock: r.clock.Now})
	a := &app{Session: s, life: LifecycleOf(s)}
	a.life.Start()
	t.Cleanup(func() { a.close() })
	return a
}

// close is the app's shutdown.
func (a *app) close() { _ = a.life.Close() }

var setup = SetupRequest{Username: "admin", FullName: "Ada Admin", Email: "ada@example.com",
	Password: "correct horse battery", ConfirmPassword: "correct horse battery"}

// uiErr decodes the JSON error a bound method returns.
func uiErr(t *testing.T, err error) uiError {
	t.Helper()
	if err == nil {
		t.Fatal("expected an error")
	}
	var e uiError
	if jerr := json.Unmarshal([]byte(err.Error()), &e); jerr != nil {
		t.Fatalf("error is not JSON: %q", err.Error())
	}
	return e
}

func TestKeyringModeFromFirstRunToLogin(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	s := r.start(t)
	st := s.GetAppState()
	if st.Phase != PhaseSetup || !st.KeyringAvailable || st.KeyStorage != "" {
		t.Fatalf("first run: %+v", st)
	}
	st, err := s.CreateFirstAdministrator(setup)
	if err != nil {
		t.Fatal(err)
	}
	if st.Phase != PhaseReady || st.Operator.FullName != "Ada Admin" || st.Operator.RoleName != "Privileged Administrator" ||
		!st.Operator.SuperAdmin || st.KeyStorage != "keyring" {
		t.Fatalf("after setup: %+v %+v", st, st.Operator)
	}
	info, err := s.GetSecurityInfo()
	if err != nil || info.KeyStorage != "keyring" || !strings.Contains(info.KeyStorageLabel, "OS keyring") {
		t.Fatalf("security info: %+v, %v", info, err)
	}
	if st, _ = s.LogOut(); st.Phase != PhaseLogin || st.Operator != nil {
		t.Fatalf("after logout: %+v", st)
	}
	if e := uiErr(t, second(s.LogIn("admin", "wrong password"))); e.Code != apperr.Unauthenticated || e.Message != "Wrong username or password" {
		t.Fatalf("wrong password: %+v", e)
	}
	s.close()

	// A restart finds the key in the keyring and goes straight to login.
	s = r.start(t)
	if st := s.GetAppState(); st.Phase != PhaseLogin {
		t.Fatalf("restart: %+v", st)
	}
	if st, err := s.LogIn("admin", setup.Password); err != nil || st.Operator.FullName != "Ada Admin" {
		t.Fatalf("login: %+v, %v", st, err)
	}
}

func TestABadSetupFormCreatesNoKey(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	s := r.start(t)
	bad := setup
	bad.ConfirmPassword = "not the same password"
	e := uiErr(t, second(s.CreateFirstAdministrator(bad)))
	if e.Code != apperr.Invalid || e.Field != "confirmPassword" {
		t.Fatalf("got %+v", e)
	}
	if _, err := os.Stat(filepath.Join(r.dir, masterkey.HeaderFile)); !os.IsNotExist(err) {
		t.Fatal("a refused setup wrote a master key header")
	}
	if st := s.GetAppState(); st.Phase != PhaseSetup {
		t.Fatalf("phase %s", st.Phase)
	}
}

func TestPassphraseModeWhenNoKeyringIsUsable(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.keyring.Err = masterkey.ErrKeyringUnavailable
	s := r.start(t)
	st := s.GetAppState()
	if st.Phase != PhaseSetup || st.KeyringAvailable || st.KeyringProblem == "" {
		t.Fatalf("first run without keyring: %+v", st)
	}
	short := setup
	short.Passphrase, short.ConfirmPassphrase = "short", "short"
	if e := uiErr(t, second(s.CreateFirstAdministrator(short))); e.Field != "passphrase" || !strings.Contains(e.Message, "at least 12") {
		t.Fatalf("short passphrase: %+v", e)
	}
	good := setup
	good.Passphrase, good.ConfirmPassphrase = "a long unlock passphrase", "a long unlock passphrase"
	if st, err := s.CreateFirstAdministrator(good); err != nil || st.Phase != PhaseReady || st.KeyStorage != "passphrase" {
		t.Fatalf("setup: %+v, %v", st, err)
	}
	s.close()

	s = r.start(t)
	if st := s.GetAppState(); st.Phase != PhaseUnlock {
		t.Fatalf("restart: %+v", st)
	}
	if e := uiErr(t, second(s.Unlock("not the passphrase"))); e.Message != "Wrong passphrase" {
		t.Fatalf("wrong passphrase: %+v", e)
	}
	if st, err := s.Unlock(good.Passphrase); err != nil || st.Phase != PhaseLogin {
		t.Fatalf("unlock: %+v, %v", st, err)
	}
	if st, err := s.LogIn("admin", setup.Password); err != nil || st.Phase != PhaseReady {
		t.Fatalf("login: %+v, %v", st, err)
	}
}

func TestAMissingKeyLocksTheAppAndNeverReinitialises(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	s := r.start(t)
	if _, err := s.CreateFirstAdministrator(setup); err != nil {
		t.Fatal(err)
	}
	s.close()
	header, _ := os.ReadFile(filepath.Join(r.dir, masterkey.HeaderFile))

	r.keyring.Forget()
	s = r.start(t)
	st := s.GetAppState()
	if st.Phase != PhaseLocked || !strings.Contains(st.LockedReason, "not in the OS keyring") ||
		!strings.Contains(st.LockedReason, "has not changed any data") {
		t.Fatalf("got %+v", st)
	}
	if e := uiErr(t, second(s.CreateFirstAdministrator(setup))); e.Code != apperr.Conflict {
		t.Fatalf("setup while locked: %+v", e)
	}
	after, _ := os.ReadFile(filepath.Join(r.dir, masterkey.HeaderFile))
	if string(after) != string(header) {
		t.Fatal("the header was rewritten")
	}
}

func TestFifteenIdleMinutesEndTheSession(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	s := r.start(t)
	if _, err := s.CreateFirstAdministrator(setup); err != nil {
		t.Fatal(err)
	}
	r.clock.Advance(14 * time.Minute)
	if err := s.KeepAlive(); err != nil {
		t.Fatalf("after 14 minutes: %v", err)
	}
	r.clock.Advance(14 * time.Minute) // 14 since the last activity
	if _, err := s.GetSecurityInfo(); err != nil {
		t.Fatalf("activity resets the timer: %v", err)
	}
	r.clock.Advance(15*time.Minute + time.Second)
	if e := uiErr(t, s.KeepAlive()); e.Code != apperr.SessionExpired {
		t.Fatalf("after 15 idle minutes: %+v", e)
	}
	if st := s.GetAppState(); st.Phase != PhaseLogin || st.Operator != nil {
		t.Fatalf("state: %+v", st)
	}
}

func TestCallsBeforeLoginAreRefused(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	s := r.start(t)
	if e := uiErr(t, second(s.GetSecurityInfo())); e.Code != apperr.Unauthenticated {
		t.Fatalf("got %+v", e)
	}
}

func second[T any](_ T, err error) error { return err }

func toJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A password typed into the Username field must never reach the audit
// trail: a login with an unknown username is recorded as "unknown user
// #<16 hex>" (since 8e93380; the typed text was recorded before), and the
// lockout message no longer repeats the username.
func TestAPasswordTypedAsUsernameNeverReachesTheAuditTrail(t *testing.T) {
	t.Parallel()
	const typed = "S3cret-Typed-As-Username!"
	r := newRig(t)
	s := r.start(t)
	if _, err := s.CreateFirstAdministrator(setup); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LogOut(); err != nil {
		t.Fatal(err)
	}
	if e := uiErr(t, second(s.LogIn(typed, "x"))); e.Code != apperr.Unauthenticated || e.Message != "Wrong username or password" {
		t.Fatalf("unknown username: %+v", e)
	}
	for i := 2; i < users.MaxFailedLogins; i++ {
		if _, err := s.LogIn(typed, "x"); err == nil {
			t.Fatal("an unknown username logged in")
		}
	}
	e := uiErr(t, second(s.LogIn(typed, "x")))
	if e.Code != apperr.RateLimited || e.Message != "Too many failed logins for this username. Try again in 5 minutes." {
		t.Fatalf("lockout: %+v", e)
	}
	if e := uiErr(t, second(s.LogIn(typed, "x"))); e.Code != apperr.RateLimited || strings.Contains(e.Message, typed) {
		t.Fatalf("while locked out: %+v", e)
	}
	if _, err := s.LogIn("admin", setup.Password); err != nil {
		t.Fatal(err)
	}

	// Every field of every record, page by page.
	a := NewAudit(s.Session)
	var records []AuditRecord
	for before := uint64(0); ; {
		page, err := a.QueryAudit(AuditFilter{}, before, 3)
		if err != nil {
			t.Fatal(err)
		}
		records = append(records, page.Records...)
		if page.Next == 0 {
			break
		}
		before = page.Next
	}
	unknown := regexp.MustCompile(`^unknown user #[0-9a-f]{16}$`)
	var named int
	for _, rec := range records {
		v := reflect.ValueOf(rec)
		for i := range v.NumField() {
			if f := fmt.Sprint(v.Field(i).Interface()); strings.Contains(strings.ToLower(f), strings.ToLower(typed)) {
				t.Fatalf("record %d holds the typed text in %s: %+v", rec.Seq, v.Type().Field(i).Name, rec)
			}
		}
		if rec.Operation == "login" && rec.Result == "failure" {
			if !unknown.MatchString(rec.Actor) || rec.Target != rec.Actor {
				t.Fatalf("failed login record %+v", rec)
			}
			named++
		}
	}
	if named != users.MaxFailedLogins+1 {
		t.Fatalf("%d failed login records for %d attempts: %+v", named, users.MaxFailedLogins+1, records)
	}
}
