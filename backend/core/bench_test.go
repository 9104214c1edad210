package core_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/core"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/masterkey"
	"hostbound/backend/users"
)

// BenchmarkBackupRestore100kUsers backs up a vault of 100,000 API users
// (bulk-created, each with its audit record) and restores it into a new
// data directory, verified and audited. scrypt runs at a low work factor
// here: the app's adds about 1 s to each side.
func BenchmarkBackupRestore100kUsers(b *testing.B) {
	const n = 100_000
	clock := testenv.NewClock()
	dir := filepath.Join(b.TempDir(), "data")
	kr := masterkey.NewMemoryKeyring()
	life := core.NewLifecycle(dir, kr, config(clock))
	defer life.Close()
	life.Start()
	if err := life.CreateKey("", ""); err != nil {
		b.Fatal(err)
	}
	svc := life.Services()
	adminUser, err := svc.Users.CreateFirstAdministrator(users.NewOperator{Username: "admin", FullName: "Ada Admin",
		Password: adminPass, ConfirmPassword: adminPass}, access.SourceDesktop)
	if err != nil {
		b.Fatal(err)
	}
	admin := users.ActorOf(adminUser, access.SourceCLI)
	t0 := time.Now()
	const batch = 10_000
	for start := 0; start < n; start += batch {
		ins := make([]users.APIUserInput, batch)
		keys := make([]apikey.Key, batch)
		for i := range ins {
			keys[i], _ = apikey.Generate()
			ins[i] = users.APIUserInput{Username: fmt.Sprintf("h%06d@localhost", start+i), Host: "localhost", FullName: "Host",
				Role: access.PasswordUser, Scope: access.ScopeOwnedShared, RESTEnabled: true, NeverExpires: true}
		}
		if _, err := svc.Users.CreateAPIUsers(admin, ins, keys); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("setup: %d API users in %s", n, time.Since(t0).Round(time.Millisecond))

	b.ResetTimer()
	var backupDur, restoreDur time.Duration
	var records int
	var size int64
	for i := range b.N {
		file := filepath.Join(b.TempDir(), "vault.hbk")
		t1 := time.Now()
		h, err := svc.Backup.Backup(admin, file, backupPass, nil)
		if err != nil {
			b.Fatal(err)
		}
		backupDur += time.Since(t1)
		fi, _ := os.Stat(file)
		records, size = h.Records, fi.Size()

		t2 := time.Now()
		res, err := core.Restore(filepath.Join(b.TempDir(), fmt.Sprint("restored", i)), masterkey.NewMemoryKeyring(), config(clock),
			core.RestoreRequest{File: file, Passphrase: backupPass, Actor: access.Actor{Source: access.SourceCLI}})
		if err != nil {
			b.Fatal(err)
		}
		restoreDur += time.Since(t2)
		if res.Header.Counts["user/"] != n+1 {
			b.Fatalf("counts %v", res.Header.Counts)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(records*b.N)/backupDur.Seconds(), "backup-records/s")
	b.ReportMetric(float64(records*b.N)/restoreDur.Seconds(), "restore-records/s")
	b.ReportMetric(float64(records), "records")
	b.ReportMetric(float64(size)/(1<<20), "file-MiB")
	b.ReportMetric(backupDur.Seconds()/float64(b.N), "backup-s")
	b.ReportMetric(restoreDur.Seconds()/float64(b.N), "restore-s")
	b.ReportMetric(0, "ns/op")
}
