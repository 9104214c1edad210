package reliability

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestSoak runs 64 clients of mixed REST traffic (list resources, account
// list, get password, change password) against serve for SOAK_DURATION
// (default 10m): zero 5xx, RSS at the end within 20% of the value after the
// warm-up (a tenth of the run: the first minute of ten), and no growth of
// the process's threads and open files (no goroutine endpoint exists; a
// leak of connections or files shows there).
func TestSoak(t *testing.T) {
	soak(t)
	dur := 10 * time.Minute
	if v := os.Getenv("SOAK_DURATION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("SOAK_DURATION: %v", err)
		}
		dur = d
	}
	warm := dur / 10
	const clients = 64
	f := newFixture(t, t.TempDir(), []string{"soak@localhost"}, 16)
	var out, errOut syncBuffer
	srv := f.start(t, freeAddr(t), &out, &errOut)
	defer srv.stop(t)
	key := f.keys[f.user]
	tb := newTable("soak")

	var reqs, errs, fivexx, other atomic.Int64
	var byOp [4]atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	c := client(t, "127.0.0.1")
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := f.accts[i%len(f.accts)]
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				op := n % 4
				var code int
				var err error
				switch op {
				case 0:
					code, _, err = do(c, "GET", srv.base+"/resources", key, nil)
				case 1:
					code, _, err = do(c, "GET", fmt.Sprintf("%s/resources/%d/accounts", srv.base, a.rid), key, nil)
				case 2:
					code, _, err = do(c, "GET", passwordURL(srv.base, a), key, nil)
				case 3:
					code, _, err = do(c, "PUT", passwordURL(srv.base, a), key, newPasswordForm(fmt.Sprintf("soak-%02d-%d", i, n)))
				}
				reqs.Add(1)
				byOp[op].Add(1)
				switch {
				case err != nil:
					errs.Add(1)
				case code >= 500:
					fivexx.Add(1)
				case code != 200:
					other.Add(1)
				}
			}
		}()
	}
	start := time.Now()
	type sample struct {
		at time.Duration
		procStats
		reqs int64
	}
	var samples []sample
	take := func() sample {
		p, err := readProc(srv.pid())
		if err != nil {
			t.Fatalf("read /proc: %v", err)
		}
		s := sample{time.Since(start), p, reqs.Load()}
		samples = append(samples, s)
		fmt.Printf("soak: t=%4.0fs requests=%d rss=%.1f MiB (anon %.1f, file-backed %.1f) threads=%d fds=%d 5xx=%d errors=%d\n",
			s.at.Seconds(), s.reqs, float64(s.rssKiB)/1024, float64(s.anonKiB)/1024, float64(s.fileKiB)/1024, s.threads, s.fds, fivexx.Load(), errs.Load())
		return s
	}
	every := max(time.Second, min(30*time.Second, dur/20))
	var warmS sample
	took := false
	for time.Since(start) < dur-time.Second {
		time.Sleep(min(every, dur-time.Since(start)))
		if !srv.alive() {
			t.Fatalf("hostbound serve died: %v", srv.err)
		}
		s := take()
		if !took && s.at >= warm {
			warmS, took = s, true
		}
	}
	end := take()
	close(stop)
	wg.Wait()
	elapsed := time.Since(start)

	tb.add("%d clients for %s: %d requests (%.0f/s): resources %d, account lists %d, passwords %d, changes %d",
		clients, dur, reqs.Load(), float64(reqs.Load())/elapsed.Seconds(), byOp[0].Load(), byOp[1].Load(), byOp[2].Load(), byOp[3].Load())
	tb.add("5xx: %d; other non-200: %d; transport errors: %d", fivexx.Load(), other.Load(), errs.Load())
	tb.add("%-22s %10s %10s %10s %8s %6s", "", "RSS MiB", "anon MiB", "file MiB", "threads", "fds")
	for _, x := range []struct {
		name string
		s    sample
	}{{fmt.Sprintf("after warm-up (%s)", warmS.at.Round(time.Second)), warmS}, {fmt.Sprintf("end (%s)", end.at.Round(time.Second)), end}} {
		tb.add("%-22s %10.1f %10.1f %10.1f %8d %6d", x.name, float64(x.s.rssKiB)/1024, float64(x.s.anonKiB)/1024,
			float64(x.s.fileKiB)/1024, x.s.threads, x.s.fds)
	}
	// The criterion is the anonymous part (heap, stacks): what the process
	// holds. File-backed RSS is the page cache of Badger's memory-mapped
	// tables; it follows the store's size (every request adds an audit
	// record) and the kernel reclaims it under pressure.
	growth := float64(end.anonKiB-warmS.anonKiB) / float64(warmS.anonKiB) * 100
	tb.add("anonymous RSS change %+.1f%% (limit +-20%%), total RSS %+.1f%%, threads %+d, fds %+d", growth,
		float64(end.rssKiB-warmS.rssKiB)/float64(warmS.rssKiB)*100, end.threads-warmS.threads, end.fds-warmS.fds)
	if fivexx.Load() > 0 || errs.Load() > 0 || other.Load() > 0 {
		t.Errorf("want only 200s: %d x 5xx, %d other, %d errors", fivexx.Load(), other.Load(), errs.Load())
	}
	if growth > 20 || growth < -20 {
		t.Errorf("anonymous RSS %+.1f%% from the warm-up value", growth)
	}
	// Badger holds one file per table, so file descriptors follow the
	// store; sockets, pipes and threads must not grow.
	tb.add("non-file descriptors %d -> %d (files %d -> %d)", warmS.otherFds, end.otherFds, warmS.fds-warmS.otherFds, end.fds-end.otherFds)
	if end.threads > warmS.threads+4 || end.otherFds > warmS.otherFds+8 {
		t.Errorf("threads %d -> %d, non-file fds %d -> %d: growth", warmS.threads, end.threads, warmS.otherFds, end.otherFds)
	}
	if err := srv.stop(t); err != nil {
		t.Errorf("serve stop: %v", err)
	}
	_, recs := f.check(t)
	tb.add("audit chain verified: %d records", len(recs))
	tb.log(t)
}
