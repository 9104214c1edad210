package reliability

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"hostbound/backend/store"
)

// mountTmpfs mounts a tmpfs of sizeMiB on a new directory, unmounted when
// the test ends; it skips the test when that is not possible.
func mountTmpfs(t *testing.T, sizeMiB int) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("disk full: skipped, not root (mount -t tmpfs needs root; CI runs as root)")
	}
	dir := filepath.Join(t.TempDir(), "tmpfs")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%dm,mode=0700", sizeMiB), "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("disk full: skipped, mount -t tmpfs failed: %v %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			exec.Command("umount", "-l", dir).Run()
			t.Logf("umount %s: %v %s (lazy unmount done)", dir, err, out)
		}
	})
	return dir
}

func freeBytes(dir string) int64 {
	var s syscall.Statfs_t
	if syscall.Statfs(dir, &s) != nil {
		return -1
	}
	return int64(s.Bavail) * s.Bsize
}

// TestDiskFull runs serve on a data directory on a small tmpfs, takes the
// free space with a filler file and keeps changing passwords until writes
// fail: each failing write gets a clear error, reads keep working, and
// after the filler is deleted writes work again with nothing acknowledged
// lost.
func TestDiskFull(t *testing.T) {
	quick(t)
	const sizeMiB, clients = 48, 4
	mnt := mountTmpfs(t, sizeMiB)
	dataDir := filepath.Join(mnt, "data")
	f := newFixture(t, dataDir, []string{"job@localhost"}, clients)
	var out, errOut syncBuffer
	srv := f.start(t, freeAddr(t), &out, &errOut)
	key := f.keys[f.user]
	tb := newTable("disk-full")
	tb.add("tmpfs %d MiB; after setup and start: %.1f MiB free", sizeMiB, float64(freeBytes(mnt))/(1<<20))

	// Leave about 8 MiB above the store's reserve (store.MinFreeSpace),
	// for the writes to fill.
	filler := filepath.Join(mnt, "filler")
	if n := freeBytes(mnt) - (store.MinFreeSpace + 8<<20); n > 0 {
		if err := os.WriteFile(filler, make([]byte, n), 0o600); err != nil && !strings.Contains(err.Error(), "no space") {
			t.Fatal(err)
		}
	}
	tb.add("filler written: %.1f MiB free", float64(freeBytes(mnt))/(1<<20))

	type state struct {
		acked   string
		unknown []string
	}
	st := make([]state, clients)
	for i := range st {
		st[i].acked = f.accts[i].password
	}
	var mu sync.Mutex
	var acked, failed int
	failures := map[string]int{}
	pad := strings.Repeat("x", 3900)
	deadline := time.Now().Add(90 * time.Second)
	write := func(i, n int) (int, string, error) {
		v := fmt.Sprintf("c%d-%06d-%s", i, n, pad)
		code, body, err := do(client(nil, "127.0.0.1"), "PUT", passwordURL(srv.base, f.accts[i]), key, newPasswordForm(v))
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err == nil && code == 200:
			st[i].acked, st[i].unknown = v, nil
			acked++
		case err == nil:
			failed++
			failures[fmt.Sprintf("%d %s", code, strings.TrimSpace(string(body)))]++
		default:
			st[i].unknown = append(st[i].unknown, v)
			failures["no answer: "+err.Error()]++
		}
		return code, string(body), err
	}

	// Fill: writes until each client has seen a failure (or time is up).
	var wg sync.WaitGroup
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; n < 20_000 && time.Now().Before(deadline); n++ {
				if code, _, err := write(i, n); err != nil || code != 200 {
					return
				}
			}
		}()
	}
	wg.Wait()
	tb.add("filling: %d writes acknowledged, then %d failed; %.1f MiB free", acked, failed, float64(freeBytes(mnt))/(1<<20))
	for k, n := range failures {
		tb.add("  failing write answer (%d x): %.160s", n, k)
	}
	select {
	case <-srv.exited:
		t.Fatalf("hostbound serve died when the disk filled: %v\nstderr: %.3000s\nstdout tail: %s", srv.err, errOut.Bytes(), tail(out.Bytes(), 1500))
	case <-time.After(time.Second):
	}
	if failed == 0 {
		t.Fatalf("no write failed: the disk did not fill (%d acknowledged)", acked)
	}
	for k := range failures {
		if !strings.HasPrefix(k, "507") && !strings.Contains(k, "disk is full") {
			t.Errorf("a failing write got an unclear answer: %.200s", k)
		}
	}

	// Every REST call, a read too, commits its audit record first (no
	// password leaves unaudited), so while full the server stays up and
	// answers every call with the same clear refusal instead of hanging.
	answered := map[int]int{}
	for i := 0; i < clients; i++ {
		for _, u := range []string{srv.base + "/resources", fmt.Sprintf("%s/resources/%d/accounts", srv.base, f.accts[i].rid), passwordURL(srv.base, f.accts[i])} {
			code, body, err := do(client(t, "127.0.0.1"), "GET", u, key, nil)
			if err != nil || code != 200 && code != 507 {
				t.Errorf("read while full: %d %v %.200s", code, err, body)
			}
			answered[code]++
		}
	}
	tb.add("reads while full (each needs its audit record written): %d x 200, %d x 507, server up", answered[200], answered[507])

	// Free the space: writes work again.
	os.Remove(filler)
	tb.add("filler deleted: %.1f MiB free", float64(freeBytes(mnt))/(1<<20))
	recovered := 0
	for i := 0; i < clients; i++ {
		var code int
		var err error
		for try := 0; try < 20; try++ {
			if code, _, err = write(i, 100_000+try); err == nil && code == 200 {
				recovered++
				break
			}
			time.Sleep(250 * time.Millisecond)
		}
	}
	tb.add("writes after freeing space: %d/%d clients acknowledged", recovered, clients)
	if recovered != clients {
		t.Errorf("after freeing space only %d of %d clients could write", recovered, clients)
	}
	if err := srv.stop(t); err != nil {
		t.Errorf("serve stop: %v", err)
	}
	pw, recs := f.check(t)
	lost := 0
	for i := range st {
		got := pw[f.accts[i].aid]
		if got != st[i].acked && !contains2(st[i].unknown, got) {
			lost++
			t.Errorf("client %d: stored %.30q, last acknowledged %.30q", i, got, st[i].acked)
		}
	}
	tb.add("%d acknowledged writes, %d lost; audit chain verified (%d records)", acked, lost, len(recs))
	tb.log(t)
}

func contains2(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
