package reliability

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"

	"hostbound/backend/internal/pgtest"
)

// TestServeAcrossAFailover is issue 16's failover at the API: `hostbound
// serve` on a primary and its synchronous standby (a multi-host URL with
// target_session_attrs=read-write), 16 clients fetching passwords, the
// primary SIGKILLed and the standby promoted. Every answer is the right
// password or a 503 with Retry-After, never a wrong answer; serve answers
// again after the promotion without a restart; every password a client
// received has its audit record on the promoted server, in a chain that
// verifies. make ha-test runs it (HOSTBOUND_HA_TEST=1).
func TestServeAcrossAFailover(t *testing.T) {
	if os.Getenv("HOSTBOUND_HA_TEST") != "1" {
		t.Skip("starts its own primary and standby: make ha-test (HOSTBOUND_HA_TEST=1)")
	}
	pair := pgtest.StartReplicated(t)
	f := newFixtureOn(t, t.TempDir(), pair.URL(), []string{"reader@localhost"}, 1)
	var out, errOut syncBuffer
	srv := f.start(t, freeAddr(t), &out, &errOut)
	key, a := f.keys[f.user], f.accts[0]
	tb := newTable("failover")

	const clients = 16
	var mu sync.Mutex
	received := map[string]bool{}
	var ok, unavailable, noRetryAfter int
	var killed, promoted, firstAfter time.Time
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := client(nil, "127.0.0.1")
			defer c.Transport.(interface{ CloseIdleConnections() }).CloseIdleConnections()
			for n := 0; ctx.Err() == nil; n++ {
				reason := fmt.Sprintf("fo-c%02d-%06d", i, n)
				u := reasonURL(srv.base, a, reason)
				req, _ := http.NewRequest("GET", u, nil)
				req.Header.Set("AUTHTOKEN", key)
				resp, err := c.Do(req)
				if err != nil {
					t.Errorf("client %d: %v (serve must answer during a failover)", i, err)
					return
				}
				body := make([]byte, 0, 512)
				buf := make([]byte, 512)
				for {
					k, rerr := resp.Body.Read(buf)
					body = append(body, buf[:k]...)
					if rerr != nil {
						break
					}
				}
				resp.Body.Close()
				pw, isPW := passwordOf(body)
				mu.Lock()
				switch {
				case resp.StatusCode == 200 && isPW && pw == a.password:
					received[reason] = true
					ok++
					if !promoted.IsZero() && firstAfter.IsZero() {
						firstAfter = time.Now()
					}
				case resp.StatusCode == 503:
					unavailable++
					if resp.Header.Get("Retry-After") == "" {
						noRetryAfter++
					}
				default:
					t.Errorf("client %d: a wrong answer during the failover: %d %.200s", i, resp.StatusCode, body)
				}
				mu.Unlock()
				if resp.StatusCode == 503 {
					time.Sleep(50 * time.Millisecond)
				}
			}
		}()
	}
	waitOK := func(n int) {
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			mu.Lock()
			got := ok
			mu.Unlock()
			if got >= n {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Fatalf("serve answered fewer than %d passwords in 20 s\n%s", n, out.Bytes())
	}
	waitOK(4 * clients)
	mu.Lock()
	before := ok
	killed = time.Now()
	mu.Unlock()
	pair.KillPrimary()
	time.Sleep(500 * time.Millisecond) // the clients meet the dead primary
	pair.Promote()
	mu.Lock()
	promoted = time.Now()
	mu.Unlock()
	waitOK(before + 4*clients) // serve recovers by itself
	cancel()
	wg.Wait()
	if !srv.alive() {
		t.Fatalf("serve died in the failover: %v\n%s", srv.err, errOut.Bytes())
	}
	if err := srv.stop(t); err != nil {
		t.Fatalf("serve did not stop cleanly after the failover: %v", err)
	}
	if noRetryAfter > 0 {
		t.Errorf("%d of %d 503 answers had no Retry-After", noRetryAfter, unavailable)
	}

	f.storeURL = pair.StandbyURL() // the promoted server, alone
	_, recs := f.check(t)
	missing := unaudited(t, recs, f.user, received)
	if missing > 0 {
		t.Errorf("%d of %d received passwords have no audit record on the promoted server", missing, len(received))
	}
	tb.add("%d clients: %d passwords before the kill, %d in all, every one audited on the promoted server; %d answers 503 with Retry-After during the switch; first password %v after the kill (%v after the promotion)",
		clients, before, ok, unavailable, firstAfter.Sub(killed).Round(time.Millisecond), firstAfter.Sub(promoted).Round(time.Millisecond))
	tb.log(t)
}
