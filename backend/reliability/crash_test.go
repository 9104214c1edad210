package reliability

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"hostbound/backend/audit"
)

// TestCrashSafety kills `hostbound serve` with SIGKILL at random moments
// while 16 clients change passwords, one account each, one request at a
// time. After each kill the store must hold, for every account, the last
// value the server acknowledged or a value whose request was in flight at
// the kill (sent after that acknowledgement), never anything else; the audit
// chain must verify and hold a record for every acknowledged change.
func TestCrashSafety(t *testing.T) {
	quick(t)
	kills := envInt("HOSTBOUND_CRASH_KILLS", 5)
	const clients = 16
	f := newFixture(t, t.TempDir(), []string{"loader@localhost"}, clients)
	key := f.keys[f.user]
	addr := freeAddr(t)
	var out, errOut syncBuffer
	tb := newTable("crash-safety")

	type state struct {
		acked    string   // last value with a 200 (or found stored after a kill)
		inFlight []string // values sent after acked whose outcome is unknown
	}
	st := make([]state, clients)
	for i := range st {
		st[i].acked = f.accts[i].password
	}
	var acked, refused, inFlightApplied, inFlightDropped, lost int
	start := time.Now()
	for round := 1; round <= kills; round++ {
		srv := f.start(t, addr, &out, &errOut)
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		var mu sync.Mutex
		for i := 0; i < clients; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := client(nil, "127.0.0.1")
				defer c.Transport.(interface{ CloseIdleConnections() }).CloseIdleConnections()
				u := passwordURL(srv.base, f.accts[i])
				for n := 0; n < 100_000 && ctx.Err() == nil; n++ {
					v := fmt.Sprintf("c%02d-k%02d-%06d-written-whole", i, round, n)
					mu.Lock()
					st[i].inFlight = append(st[i].inFlight, v)
					mu.Unlock()
					code, body, err := doCtx(context.Background(), c, "PUT", u, key, newPasswordForm(v))
					mu.Lock()
					switch {
					case err == nil && code == 200:
						st[i].acked, st[i].inFlight = v, nil
						acked++
					case err == nil:
						// A clear refusal: that write did not happen.
						st[i].inFlight = st[i].inFlight[:len(st[i].inFlight)-1]
						refused++
						t.Errorf("client %d: PUT got %d %s", i, code, body)
					}
					mu.Unlock()
					if err != nil {
						return // the server is gone; the value stays in flight
					}
				}
			}()
		}
		time.Sleep(time.Duration(100+rand.IntN(501)) * time.Millisecond)
		if !srv.alive() {
			t.Fatalf("kill %d: hostbound serve died on its own: %v", round, srv.err)
		}
		srv.kill()
		cancel()
		wg.Wait()

		pw, recs := f.check(t) // fails the test if the chain does not verify
		for i := range st {
			got := pw[f.accts[i].aid]
			switch {
			case got == st[i].acked:
				inFlightDropped += len(st[i].inFlight)
			case slices.Contains(st[i].inFlight, got):
				inFlightApplied++
				inFlightDropped += len(st[i].inFlight) - 1
			default:
				lost++
				t.Errorf("kill %d: account of client %d holds %q; acknowledged %q, in flight %q", round, i, got, st[i].acked, st[i].inFlight)
			}
			st[i].acked, st[i].inFlight = got, nil
		}
		changes := 0
		for _, r := range recs {
			if r.Operation == "change password" && r.Result == audit.Success {
				changes++
			}
		}
		if changes < acked {
			t.Errorf("kill %d: %d acknowledged password changes but only %d audit records of them", round, acked, changes)
		}
		tb.add("kill %d after load: %d acknowledged so far, %d audit records verified", round, acked, len(recs))
	}
	tb.add("%d kills, %d acknowledged writes, %d lost", kills, acked, lost)
	tb.add("writes in flight at a kill: %d applied, %d not applied (both allowed); %d refused with an answer", inFlightApplied, inFlightDropped, refused)
	tb.add("audit chain verified after every kill; every account held a whole value; %.1fs", time.Since(start).Seconds())
	tb.log(t)
}
