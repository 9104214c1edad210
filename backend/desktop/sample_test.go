package desktop

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"hostbound/backend/apperr"
	"hostbound/backend/core"
	"hostbound/backend/internal/testdomain"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/masterkey"
	"hostbound/backend/restapi"
	"hostbound/backend/sample"
	"hostbound/backend/users"
)

// countingAPI is the REST API's runner, counting the times it is started.
type countingAPI struct {
	APIServer
	restarts int
}

func (c *countingAPI) Restart() error {
	c.restarts++
	return c.APIServer.Restart()
}

// snapshot is every file under dir with its mode and a hash of its bytes
// (nil: dir does not exist).
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		return nil
	}
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		v := fi.Mode().String()
		if !d.IsDir() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(b)
			v += " " + hex.EncodeToString(sum[:])
		}
		out[p] = v
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSampleDataFromTheFirstRunScreenAndBack(t *testing.T) {
	t.Parallel()
	// The real data directory as main leaves it before the window opens:
	// created, with its lock file, no key yet.
	realDir := filepath.Join(t.TempDir(), "hostbound")
	if err := os.MkdirAll(realDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(realDir, "hostbound.lock"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, realDir)
	clock := testenv.NewClock()
	log := testenv.Log()
	life := core.NewLifecycle(realDir, masterkey.NewMemoryKeyring(), core.Config{Log: log, Clock: clock.Now,
		Hasher: testdomain.FastHasher, Resolver: testdomain.LocalDNS, APIListen: "127.0.0.1:0"})
	api := &countingAPI{APIServer: restapi.NewRunner(life, clock.Now, log)}
	s := NewSession(Config{Life: life, API: api, Log: log, Clock: clock.Now, SampleHasher: testdomain.FastHasher})
	app := &app{Session: s, life: LifecycleOf(s)}
	app.life.Start()
	t.Cleanup(app.close)
	sampleDir := sample.Dir(realDir)

	if st := s.GetAppState(); st.Phase != PhaseSetup || st.Sample || st.SampleExists {
		t.Fatalf("first run: %+v", st)
	}
	var records uint64
	t.Run("explore opens the sample, logged in as its administrator", func(t *testing.T) {
		st, err := s.ExploreSampleData()
		if err != nil {
			t.Fatal(err)
		}
		if st.Phase != PhaseReady || !st.Sample || !st.SampleExists || st.DataDir != sampleDir ||
			st.Operator == nil || st.Operator.Username != sample.AdminUsername || !st.Operator.SuperAdmin {
			t.Fatalf("after explore: %+v %+v", st, st.Operator)
		}
		info, err := s.GetSecurityInfo()
		if err != nil {
			t.Fatal(err)
		}
		records = info.AuditRecords
	})
	t.Run("the REST API does not listen while the sample is open", func(t *testing.T) {
		if api.restarts != 0 || api.Status().Running {
			t.Fatalf("REST API started %d times, status %+v", api.restarts, api.Status())
		}
	})
	t.Run("Home has a week of activity and Users has rows", func(t *testing.T) {
		d, err := NewAudit(s).GetDashboard()
		if err != nil {
			t.Fatal(err)
		}
		calls := 0
		for _, b := range d.Activity.Days {
			calls += b.Calls
		}
		if d.Keys == nil || d.Keys.APIUsers < 6 || d.Keys.Expired == 0 || d.Keys.Disabled == 0 || calls < 50 || len(d.Activity.Refusals) == 0 {
			t.Fatalf("dashboard: keys %+v, %d calls, %d refusals", d.Keys, calls, len(d.Activity.Refusals))
		}
		page, err := NewUsers(s).ListUsers(users.Query{})
		if err != nil || page.Total < 7 {
			t.Fatalf("users: %d, %v", page.Total, err)
		}
	})
	t.Run("no real setup and no restore while the sample is open", func(t *testing.T) {
		if e := uiErr(t, second(s.CreateFirstAdministrator(setup))); e.Code != apperr.Conflict {
			t.Fatalf("setup: %+v", e)
		}
		if e := uiErr(t, second(NewBackup(s, nil).RestoreBackup(RestoreRequest{File: "x.hbk", Passphrase: "p"}))); e.Code != apperr.Conflict {
			t.Fatalf("restore: %+v", e)
		}
	})
	t.Run("leave keeps the sample and goes back to the first-run screen", func(t *testing.T) {
		st, err := s.LeaveSampleData(false)
		if err != nil {
			t.Fatal(err)
		}
		if st.Phase != PhaseSetup || st.Sample || !st.SampleExists || st.DataDir != realDir || st.Operator != nil {
			t.Fatalf("after leave: %+v", st)
		}
		if _, err := os.Stat(sampleDir); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("explore again reopens the same sample", func(t *testing.T) {
		if _, err := s.ExploreSampleData(); err != nil {
			t.Fatal(err)
		}
		info, err := s.GetSecurityInfo()
		if err != nil {
			t.Fatal(err)
		}
		// A new seed would start the trail over; the reopened one has the
		// logout of the last visit on top.
		if info.AuditRecords <= records {
			t.Fatalf("%d audit records, had %d: seeded again?", info.AuditRecords, records)
		}
	})
	t.Run("logging out of the sample leaves it", func(t *testing.T) {
		st, err := s.LogOut()
		if err != nil || st.Phase != PhaseSetup || st.Sample || !st.SampleExists {
			t.Fatalf("after logout: %+v, %v", st, err)
		}
	})
	t.Run("discard deletes the sample directory", func(t *testing.T) {
		if _, err := s.ExploreSampleData(); err != nil {
			t.Fatal(err)
		}
		st, err := s.LeaveSampleData(true)
		if err != nil {
			t.Fatal(err)
		}
		if st.Phase != PhaseSetup || st.Sample || st.SampleExists {
			t.Fatalf("after discard: %+v", st)
		}
		if _, err := os.Stat(sampleDir); !os.IsNotExist(err) {
			t.Fatalf("sample directory after discard: %v", err)
		}
	})
	t.Run("the real data directory is byte for byte as it was", func(t *testing.T) {
		after := snapshot(t, realDir)
		if len(after) != len(before) {
			t.Fatalf("real data directory: %v, was %v", after, before)
		}
		for p, v := range before {
			if after[p] != v {
				t.Fatalf("%s: %q, was %q", p, after[p], v)
			}
		}
		if api.restarts != 0 {
			t.Fatalf("REST API started %d times", api.restarts)
		}
	})
}
