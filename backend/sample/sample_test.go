package sample_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/audit"
	"hostbound/backend/core"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/sample"
	"hostbound/backend/services"
	"hostbound/backend/users"
)

var fast = users.Hasher{Time: 1, Memory: 1024, Threads: 1}

func open(t *testing.T, realDir string) *core.Lifecycle {
	t.Helper()
	life, err := sample.Open(realDir, sample.Config{Log: testenv.Log(), Now: time.Now, Hasher: fast})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = life.Close() })
	return life
}

func adminOf(t *testing.T, svc *services.Services) access.Actor {
	t.Helper()
	id, name, ok := svc.Users.IDByName(sample.AdminUsername)
	if !ok {
		t.Fatal("no sample administrator")
	}
	return access.Actor{UserID: id, Username: name, Kind: access.KindOperator, Source: access.SourceDesktop}
}

// allRecords is the whole trail, newest first.
func allRecords(t *testing.T, svc *services.Services, admin access.Actor, f audit.Filter) []audit.Record {
	t.Helper()
	var out []audit.Record
	before := uint64(0)
	for {
		p, err := svc.Trail.Query(admin, f, before, 1000)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p.Records...)
		if p.Next == 0 {
			return out
		}
		before = p.Next
	}
}

func TestDirIsASiblingOfTheRealDataDirectory(t *testing.T) {
	t.Parallel()
	for real, want := range map[string]string{
		"/home/ada/.config/hostbound":  "/home/ada/.config/hostbound sample data",
		"/home/ada/.config/hostbound/": "/home/ada/.config/hostbound sample data",
		"/srv/Hostbound":               "/srv/Hostbound sample data",
	} {
		if got := sample.Dir(real); got != want {
			t.Errorf("Dir(%q) = %q, want %q", real, got, want)
		}
	}
}

func TestSeedMakesAWeekOfSampleDataWhoseChainVerifies(t *testing.T) {
	t.Parallel()
	realDir := filepath.Join(t.TempDir(), "hostbound")
	t0 := time.Now()
	life := open(t, realDir)
	t.Logf("made and seeded in %s", time.Since(t0).Round(time.Millisecond))
	svc := life.Services()
	admin := adminOf(t, svc)
	now := time.Now()

	t.Run("the real data directory is never created", func(t *testing.T) {
		if _, err := os.Stat(realDir); !os.IsNotExist(err) {
			t.Fatalf("real data directory: %v", err)
		}
	})
	t.Run("the passphrase is in a private file inside the sample directory", func(t *testing.T) {
		fi, err := os.Stat(filepath.Join(sample.Dir(realDir), "sample-passphrase"))
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("passphrase file: %v, %v", fi, err)
		}
		if st := life.State(); st.KeyStorage != "passphrase" || st.DataDir != sample.Dir(realDir) {
			t.Fatalf("state: %+v", st)
		}
	})
	t.Run("one administrator and 6 to 10 API users in every key state", func(t *testing.T) {
		page, err := svc.Users.List(admin, users.Query{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		kinds, states := map[access.Kind]int{}, map[string]int{}
		for _, r := range page.Rows {
			kinds[r.Kind]++
			if r.Kind == access.KindAPI {
				states[r.KeyStatus(now)]++
				if !strings.HasSuffix(r.Host, ".example.com") && !strings.HasPrefix(r.Host, "192.0.2.") && !strings.HasPrefix(r.Host, "198.51.100.") {
					t.Errorf("%s is bound to %q, not an example host", r.Username, r.Host)
				}
			}
		}
		if kinds[access.KindOperator] != 1 || kinds[access.KindAPI] < 6 || kinds[access.KindAPI] > 10 {
			t.Fatalf("kinds %v", kinds)
		}
		for _, s := range []string{users.KeyActive, users.KeyExpiring, users.KeyExpired, users.KeyDisabled} {
			if states[s] == 0 {
				t.Errorf("no API user with key %s: %v", s, states)
			}
		}
	})
	t.Run("4 to 6 resources, each with accounts", func(t *testing.T) {
		rs, err := svc.Vault.ListResources(admin)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) < 4 || len(rs) > 6 {
			t.Fatalf("%d resources", len(rs))
		}
		for _, r := range rs {
			if r.Accounts == 0 {
				t.Errorf("%s has no accounts", r.Name)
			}
		}
	})
	t.Run("the audit chain verifies", func(t *testing.T) {
		n, err := svc.Trail.VerifyAll()
		if err != nil || n < 50 {
			t.Fatalf("verified %d records: %v", n, err)
		}
	})
	t.Run("retrievals span at least six days and none is in the future", func(t *testing.T) {
		recs := allRecords(t, svc, admin, audit.Filter{Operation: "reveal password", Result: audit.Success})
		if len(recs) < 40 {
			t.Fatalf("%d retrievals", len(recs))
		}
		newest, oldest := recs[0].Time, recs[len(recs)-1].Time
		if span := newest.Sub(oldest); span < 6*24*time.Hour {
			t.Fatalf("retrievals span %s", span)
		}
		if newest.After(now) {
			t.Fatalf("a retrieval at %s, after %s", newest, now)
		}
		days := map[string]bool{}
		for _, r := range recs {
			days[r.Time.Format(time.DateOnly)] = true
		}
		if len(days) < 7 {
			t.Fatalf("retrievals on %d days", len(days))
		}
	})
	t.Run("refusals for a wrong host, an expired key and a disabled user", func(t *testing.T) {
		recs := allRecords(t, svc, admin, audit.Filter{Result: audit.Failure})
		for _, want := range []string{"wrong host", "key expired", "API user is disabled"} {
			found := false
			for _, r := range recs {
				found = found || strings.Contains(r.Reason, want)
			}
			if !found {
				t.Errorf("no refusal %q among %d", want, len(recs))
			}
		}
	})
	t.Run("the dashboard counts calls over the week and the last day", func(t *testing.T) {
		d, err := svc.Trail.Dashboard(admin, now)
		if err != nil {
			t.Fatal(err)
		}
		var week, today, refused int
		for _, b := range d.Days {
			week += b.Calls
		}
		for _, b := range d.Hours {
			today += b.Calls
		}
		refused = len(d.Refusals)
		if week < 50 || today == 0 || refused == 0 {
			t.Fatalf("week %d, last 24 h %d, refusals %d", week, today, refused)
		}
	})
}

func TestASampleReopensWithItsDataAndDiscardRemovesIt(t *testing.T) {
	t.Parallel()
	realDir := filepath.Join(t.TempDir(), "hostbound")
	life := open(t, realDir)
	n, err := life.Services().Trail.Count()
	if err != nil {
		t.Fatal(err)
	}
	if err := life.Close(); err != nil {
		t.Fatal(err)
	}
	if !sample.Exists(realDir) {
		t.Fatal("the sample does not exist after it was made")
	}
	again := open(t, realDir)
	if m, _ := again.Services().Trail.Count(); m != n {
		t.Fatalf("reopened with %d records, made with %d: not the same sample", m, n)
	}
	if err := again.Close(); err != nil {
		t.Fatal(err)
	}
	if err := sample.Discard(realDir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(sample.Dir(realDir)); !os.IsNotExist(err) || sample.Exists(realDir) {
		t.Fatalf("sample directory after discard: %v", err)
	}
	if _, err := os.Stat(realDir); !os.IsNotExist(err) {
		t.Fatalf("real data directory: %v", err)
	}
}

func TestAHalfMadeSampleIsMadeAgain(t *testing.T) {
	t.Parallel()
	realDir := filepath.Join(t.TempDir(), "hostbound")
	dir := sample.Dir(realDir)
	if err := os.MkdirAll(filepath.Join(dir, "db"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "db", "junk"), []byte("left by a crash"), 0o600); err != nil {
		t.Fatal(err)
	}
	life := open(t, realDir)
	if _, err := os.Stat(filepath.Join(dir, "db", "junk")); !os.IsNotExist(err) {
		t.Fatalf("the half-made sample was kept: %v", err)
	}
	if has, err := life.Services().Users.HasUsers(); err != nil || !has || !sample.Exists(realDir) {
		t.Fatalf("not seeded: %v %v", has, err)
	}
}
