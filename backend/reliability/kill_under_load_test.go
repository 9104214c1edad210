package reliability

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestKillUnderReadLoad is the promise under load (issue 14): no password
// leaves before its audit record is durable. 64 clients fetch the password
// of one account over HTTPS as fast as serve answers, each request with a
// REASON of its own; `hostbound serve` is killed with SIGKILL in the middle
// of it and started again. Every reply that reached a client (HTTP 200 with
// the password) must have its audit record, found by that REASON, and the
// audit chain must verify.
func TestKillUnderReadLoad(t *testing.T) {
	quick(t)
	rounds := envInt("HOSTBOUND_KILL_LOAD_ROUNDS", 2)
	const clients = 64
	f := newFixture(t, t.TempDir(), []string{"reader@localhost"}, 1)
	key, a := f.keys[f.user], f.accts[0]
	addr := freeAddr(t)
	var out, errOut syncBuffer
	tb := newTable("kill-under-load")
	start := time.Now()

	received := map[string]bool{} // REASON of every 200 with the password, all rounds
	var mu sync.Mutex
	var cutOff, refused int
	for round := 1; round <= rounds; round++ {
		srv := f.start(t, addr, &out, &errOut)
		cutBefore := cutOff
		var got atomic.Int64
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for i := 0; i < clients; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := client(nil, "127.0.0.1")
				defer c.Transport.(interface{ CloseIdleConnections() }).CloseIdleConnections()
				for n := 0; ctx.Err() == nil; n++ {
					reason := fmt.Sprintf("kul-r%d-c%02d-%06d", round, i, n)
					u := reasonURL(srv.base, a, reason)
					code, body, err := doCtx(context.Background(), c, "GET", u, key, nil)
					if err != nil {
						mu.Lock()
						cutOff++
						mu.Unlock()
						return // the server is gone: whatever was in flight was not received
					}
					pw, ok := passwordOf(body)
					mu.Lock()
					if code == 200 && ok && pw == a.password {
						received[reason] = true
						got.Add(1)
					} else {
						refused++
						t.Errorf("client %d: GET password got %d %.200s", i, code, body)
					}
					mu.Unlock()
				}
			}()
		}
		// Mid-load: after every client had time to be answered a few
		// times, at a random moment.
		deadline := time.Now().Add(15 * time.Second)
		for got.Load() < 4*clients && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(time.Duration(rand.IntN(400)) * time.Millisecond)
		if !srv.alive() {
			t.Fatalf("round %d: hostbound serve died on its own: %v\n%s", round, srv.err, errOut.Bytes())
		}
		srv.kill()
		cancel()
		wg.Wait()
		if got.Load() == 0 {
			t.Fatalf("round %d: no client was answered before the kill", round)
		}

		// It starts again on the killed store and answers.
		srv = f.start(t, addr, &out, &errOut)
		if err := srv.stop(t); err != nil {
			t.Fatalf("round %d: serve after the kill did not stop cleanly: %v", round, err)
		}

		_, recs := f.check(t) // fails the test if the chain does not verify
		mu.Lock()
		missing := unaudited(t, recs, f.user, received)
		if missing > 0 {
			t.Errorf("round %d: %d of %d received passwords have no audit record", round, missing, len(received))
		}
		tb.add("round %d: %d passwords received before SIGKILL (%d in all), %d requests cut off by it, every received one audited; %d audit records verified",
			round, got.Load(), len(received), cutOff-cutBefore, len(recs))
		mu.Unlock()
	}
	if cutOff == 0 {
		t.Errorf("no request was cut off by a kill: the kills did not land under load")
	}
	tb.add("%d kills under %d clients, %d passwords received, %d refused, %.1fs", rounds, clients, len(received), refused, time.Since(start).Seconds())
	tb.log(t)
}
