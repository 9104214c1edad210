package reliability

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hostbound/backend/apikey"
	"hostbound/backend/restapi"
	"hostbound/backend/store"
)

// TestKeyRegenerationWhileRequestsStream regenerates an API user's key (no
// grace period) and edits the user, as the UI does, while 16 clients stream
// GET and PUT password requests with its key: 12 with the current key, 4
// lagging one key behind. No request that started after its key was
// replaced may succeed; a request whose key was current from its start to
// its end must; no acknowledged password change and no edit is lost, and
// every successful use is counted on the user.
func TestKeyRegenerationWhileRequestsStream(t *testing.T) {
	quick(t)
	const clients, laggards, regenerations = 16, 4, 30
	f := newFixture(t, t.TempDir(), []string{"job@localhost"}, clients)
	// The domain and the API as core wires them, but without the
	// failed-authentication limit: the lagging clients fail on purpose,
	// and the limit (checked in TestBruteForceIsThrottledPerAddress) would
	// then block every client on 127.0.0.1.
	svc := f.openWith(t, 1<<30)
	defer closeDomain(svc)
	rest := restapi.New(restapi.Config{Users: svc.Users, Vault: svc.Vault, Clock: f.cfg.Clock, Log: f.cfg.Log})
	api := restapi.NewServer(rest, svc.Settings.Certificate, f.cfg.Log)
	if err := api.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer api.Stop(context.Background())
	admin := f.adminActor()
	base := api.Status().URL
	tb := newTable("concurrency")

	type regen struct{ called, done time.Time }
	var mu sync.Mutex
	keys := []string{f.keys[f.user]}
	regens := []regen{{}} // regens[g] made key g
	var current atomic.Int64

	type req struct {
		gen        int
		start, end time.Time
		code       int
		err        error
	}
	reqs := make([][]req, clients)
	type acks struct {
		acked   string
		unknown []string
	}
	ack := make([]acks, clients)
	for i := range ack {
		ack[i].acked = f.accts[i].password
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := client(t, "127.0.0.1")
			u := passwordURL(base, f.accts[i])
			for n := 0; n < 1_000_000; n++ {
				select {
				case <-stop:
					return
				default:
				}
				g := int(current.Load())
				if i < laggards && g > 0 {
					g--
				}
				mu.Lock()
				k := keys[g]
				mu.Unlock()
				r := req{gen: g, start: time.Now()}
				if n%2 == 0 {
					r.code, _, r.err = do(c, "GET", u, k, nil)
				} else {
					v := fmt.Sprintf("c%02d-%06d", i, n)
					r.code, _, r.err = do(c, "PUT", u, k, newPasswordForm(v))
					switch {
					case r.err == nil && r.code == 200:
						ack[i].acked, ack[i].unknown = v, nil
					case r.err != nil:
						ack[i].unknown = append(ack[i].unknown, v)
					}
				}
				r.end = time.Now()
				reqs[i] = append(reqs[i], r)
			}
		}()
	}

	lastDept := ""
	for g := 1; g <= regenerations; g++ {
		time.Sleep(time.Duration(40+rand.IntN(80)) * time.Millisecond)
		if g%2 == 0 {
			lastDept = fmt.Sprintf("dept-%d", g)
			if _, err := svc.Users.UpdateAPIUser(admin, f.user, apiUserInput(f.user, lastDept), nil); err != nil {
				t.Fatalf("edit %d: %v", g, err)
			}
		}
		k, _ := apikey.Generate()
		r := regen{called: time.Now()}
		if _, err := svc.Users.RegenerateAPIKey(admin, f.user, k, 0); err != nil {
			t.Fatalf("regenerate %d: %v", g, err)
		}
		r.done = time.Now()
		mu.Lock()
		keys, regens = append(keys, k.String()), append(regens, r)
		mu.Unlock()
		current.Store(int64(g))
	}
	time.Sleep(200 * time.Millisecond) // traffic on the last key too
	close(stop)
	wg.Wait()

	final := regenerations
	var total, ok200, afterReplaced, refusedAfter, inFlightOK, currentFailed, finalOK int
	for i := range reqs {
		for _, r := range reqs[i] {
			total++
			if r.err != nil {
				t.Errorf("client %d: %v", i, r.err)
				continue
			}
			if r.code == 200 {
				ok200++
			}
			if r.gen == final && r.code == 200 {
				finalOK++
			}
			switch {
			case r.gen < final && r.start.After(regens[r.gen+1].done):
				afterReplaced++
				if r.code == 200 {
					t.Errorf("client %d: key %d succeeded in a request started %s after it was replaced", i, r.gen, r.start.Sub(regens[r.gen+1].done))
				} else if r.code == 401 {
					refusedAfter++
				} else {
					t.Errorf("client %d: replaced key got %d, want 401", i, r.code)
				}
			case r.gen < final && r.end.After(regens[r.gen+1].called):
				if r.code == 200 {
					inFlightOK++ // in flight across the commit: either answer is right
				}
			case r.start.After(regens[r.gen].done) && r.code != 200:
				currentFailed++
				t.Errorf("client %d: key %d was current for the whole request but got %d", i, r.gen, r.code)
			}
		}
	}

	// Nothing lost: passwords, the edit, the use count, the key.
	lost := 0
	if err := svc.Store.View(func(tx *store.Txn) error {
		_, err := svc.Audit.Verify(tx)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	stored, err := f.storedPasswords(svc)
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range f.accts {
		if got := stored[a.aid]; got != ack[i].acked && !slices.Contains(ack[i].unknown, got) {
			lost++
			t.Errorf("client %d: stored %q, last acknowledged %q", i, got, ack[i].acked)
		}
	}
	u, err := svc.Users.Get(admin, f.user)
	if err != nil {
		t.Fatal(err)
	}
	if u.Department != lastDept {
		t.Errorf("department %q, want the last edit %q: an edit was lost", u.Department, lastDept)
	}
	if u.APIKey == nil || int(u.APIKey.UseCount) != finalOK {
		t.Errorf("use count of the final key: %v, want %d successful requests", u.APIKey, finalOK)
	}
	c := client(t, "127.0.0.1")
	for g, k := range keys {
		code, _, err := do(c, "GET", passwordURL(base, f.accts[0]), k, nil)
		if want := map[bool]int{true: 200, false: 401}[g == final]; err != nil || code != want {
			t.Errorf("key %d afterwards: %d %v, want %d", g, code, err, want)
		}
	}
	tb.add("%d regenerations (grace 0) and %d edits while 16 clients sent %d requests (%d x 200)", regenerations, regenerations/2, total, ok200)
	tb.add("%d requests started after their key was replaced: %d refused (401), 0 succeeded", afterReplaced, refusedAfter)
	tb.add("%d requests in flight across a regeneration succeeded (allowed); %d with a current key failed", inFlightOK, currentFailed)
	tb.add("%d acknowledged-write checks: %d lost; last edit kept; use count %d = successful requests with the final key", clients, lost, finalOK)
	tb.log(t)
}
