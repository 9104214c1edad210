package desktop

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hostbound/backend/apperr"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/masterkey"
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

// start is one run of the app on the rig's data directory.
func (r *rig) start(t *testing.T) *Session {
	t.Helper()
	s := NewSession(Config{DataDir: r.dir, Keyring: r.keyring, Log: testenv.Log(), Clock: r.clock.Now,
		Hasher: users.Hasher{Time: 1, Memory: 1024, Threads: 1}, Resolver: net.DefaultResolver, APIListen: "127.0.0.1:0"})
	s.start()
	t.Cleanup(func() { s.close() })
	return s
}

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
