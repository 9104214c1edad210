package desktop

import (
	"sync"
	"testing"

	"hostbound/backend/apperr"
	"hostbound/backend/core"
	"hostbound/backend/internal/testdomain"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/restapi"
	"hostbound/backend/settings"
	"hostbound/backend/users"
)

// fakeSSH records what the session asks of the SSH CLI server.
type fakeSSH struct {
	mu       sync.Mutex
	restarts int
	stops    int
}

func (f *fakeSSH) Restart() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.restarts++
	return nil
}

func (f *fakeSSH) Stop() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.stops++
}

func (f *fakeSSH) Status() SSHStatus {
	f.mu.Lock()
	defer f.mu.Unlock()
	return SSHStatus{Running: f.restarts > f.stops, Address: "127.0.0.1:5522", Fingerprint: "SHA256:fake"}
}

func (f *fakeSSH) counts() (restarts, stops int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.restarts, f.stops
}

// startWithSSH is rig.start with an SSH CLI server, logged in as Ada.
func startWithSSH(t *testing.T, ssh SSHServer) (*app, *Users) {
	t.Helper()
	r := newRig(t)
	log := testenv.Log()
	life := core.NewLifecycle(r.dir, r.keyring, core.Config{Log: log, Clock: r.clock.Now,
		Hasher: users.Hasher{Time: 1, Memory: 1024, Threads: 1}, Resolver: testdomain.LocalDNS, APIListen: "127.0.0.1:0"})
	s := NewSession(Config{Life: life, API: restapi.NewRunner(life, r.clock.Now, log), SSH: ssh, Log: log, Clock: r.clock.Now})
	a := &app{Session: s, life: LifecycleOf(s)}
	a.life.Start()
	t.Cleanup(func() { a.close() })
	if _, err := a.CreateFirstAdministrator(setup); err != nil {
		t.Fatal(err)
	}
	return a, NewUsers(s)
}

func TestAPrivilegedAdministratorTurnsOnTheSSHCLI(t *testing.T) {
	t.Parallel()
	ssh := &fakeSSH{}
	s, _ := startWithSSH(t, ssh)
	v := NewVault(s.Session)
	if n, _ := ssh.counts(); n != 1 {
		t.Fatalf("opening the vault restarted the SSH CLI %d times, want 1", n)
	}
	info, err := v.GetSSHServer()
	if err != nil || info.Enabled || info.Listen != settings.DefaultSSHListen {
		t.Fatalf("defaults: %+v, %v", info, err)
	}
	info, err = v.SaveSSHServer("127.0.0.1:15522", true)
	if err != nil || !info.Enabled || info.Listen != "127.0.0.1:15522" || !info.Running || info.Fingerprint != "SHA256:fake" {
		t.Fatalf("save: %+v, %v", info, err)
	}
	if n, _ := ssh.counts(); n != 2 {
		t.Fatalf("saving restarted the SSH CLI %d times in all, want 2", n)
	}
	if got, err := v.GetSSHServer(); err != nil || !got.Enabled || got.Listen != "127.0.0.1:15522" {
		t.Fatalf("stored: %+v, %v", got, err)
	}
	s.close()
	if _, stops := ssh.counts(); stops != 1 {
		t.Fatalf("closing stopped the SSH CLI %d times, want 1", stops)
	}
}

func TestABadSSHListenAddressNamesTheField(t *testing.T) {
	t.Parallel()
	ssh := &fakeSSH{}
	s, _ := startWithSSH(t, ssh)
	v := NewVault(s.Session)
	e := uiErr(t, second(v.SaveSSHServer("nonsense", true)))
	if e.Code != apperr.Invalid || e.Field != "sshListen" {
		t.Fatalf("bad listen: %+v", e)
	}
	if n, _ := ssh.counts(); n != 1 {
		t.Fatalf("a refused save restarted the SSH CLI (%d restarts)", n)
	}
	if got, err := v.GetSSHServer(); err != nil || got.Listen != settings.DefaultSSHListen || got.Enabled {
		t.Fatalf("a refused save was stored: %+v, %v", got, err)
	}
}

func TestAPasswordAdministratorCannotChangeTheSSHCLI(t *testing.T) {
	t.Parallel()
	ssh := &fakeSSH{}
	s, u := startWithSSH(t, ssh)
	logInAsNew(t, s, u, "pam", "Pam Passwords", "password_admin")
	v := NewVault(s.Session)
	if e := uiErr(t, second(v.SaveSSHServer("127.0.0.1:15522", true))); e.Code != apperr.Forbidden {
		t.Fatalf("save as a Password Administrator: %+v", e)
	}
	if n, _ := ssh.counts(); n != 1 {
		t.Fatalf("a forbidden save restarted the SSH CLI (%d restarts)", n)
	}
}

func TestABuildWithoutTheSSHCLISaysSo(t *testing.T) {
	t.Parallel()
	_, s, _ := loggedIn(t) // the rig wires no SSH CLI
	v := NewVault(s.Session)
	info, err := v.GetSSHServer()
	if err != nil || info.Running || info.Error != "The SSH CLI is not available in this build" {
		t.Fatalf("no ssh: %+v, %v", info, err)
	}
	if info, err := v.SaveSSHServer("127.0.0.1:15522", true); err != nil || !info.Enabled || info.Running {
		t.Fatalf("save without ssh: %+v, %v", info, err)
	}
	s.close()
}
