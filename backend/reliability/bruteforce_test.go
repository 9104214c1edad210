package reliability

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hostbound/backend/apikey"
	"hostbound/backend/audit"
)

// TestBruteForceIsThrottledPerAddress sends 10,000 requests with wrong keys
// (well-formed, so that each unthrottled one costs a store lookup) from
// 127.0.0.2 while a legitimate client on 127.0.0.1 keeps fetching its
// password. The attacker gets 429 once its 10 failures are spent; the
// legitimate client never fails.
func TestBruteForceIsThrottledPerAddress(t *testing.T) {
	quick(t)
	const attempts, attackers = 10_000, 8
	f := newFixture(t, t.TempDir(), []string{"job@localhost"}, 1)
	var out, errOut syncBuffer
	srv := f.start(t, freeAddr(t), &out, &errOut)
	defer srv.stop(t)
	tb := newTable("brute-force")

	wrong := make([]string, attempts)
	for i := range wrong {
		k, err := apikey.Generate()
		if err != nil {
			t.Fatal(err)
		}
		wrong[i] = k.String()
	}

	stopLegit := make(chan struct{})
	var legit []time.Duration
	var legitFail []string
	legitDone := make(chan struct{})
	go func() {
		defer close(legitDone)
		c := client(t, "127.0.0.1")
		u := passwordURL(srv.base, f.accts[0])
		for i := 0; i < 1_000_000; i++ {
			select {
			case <-stopLegit:
				return
			default:
			}
			t0 := time.Now()
			code, body, err := do(c, "GET", u, f.keys[f.user], nil)
			legit = append(legit, time.Since(t0))
			if pw, _ := passwordOf(body); err != nil || code != 200 || pw != f.accts[0].password {
				legitFail = append(legitFail, fmt.Sprintf("%d %v %.200s", code, err, body))
			}
		}
	}()

	var next atomic.Int64
	var mu sync.Mutex
	counts := map[int]int{}
	var errs int
	first401After := -1 // index (in completion order) of the last 401
	done := 0
	t0 := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < attackers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := client(t, "127.0.0.2")
			for {
				i := next.Add(1) - 1
				if i >= attempts {
					return
				}
				code, _, err := do(c, "GET", passwordURL(srv.base, f.accts[0]), wrong[i], nil)
				mu.Lock()
				done++
				if err != nil {
					errs++
				} else {
					counts[code]++
					if code != 429 {
						first401After = done
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	attack := time.Since(t0)
	close(stopLegit)
	<-legitDone

	// The bucket holds 10 and refills 10 a minute; concurrent attackers
	// may each pass the check before the first failures are counted.
	allowed := 10 + attackers + int(attack.Minutes()*10) + 1
	tb.add("%d wrong-key requests from 127.0.0.2 in %.1fs: %d x 401, %d x 429, %d other, %d transport errors",
		attempts, attack.Seconds(), counts[401], counts[429], attempts-counts[401]-counts[429]-errs, errs)
	if counts[401] > allowed || counts[401]+counts[429] != attempts {
		t.Errorf("attacker: want at most %d x 401 and 429 for the rest, got %v (%d errors)", allowed, counts, errs)
	}
	if counts[401] < 10 {
		t.Errorf("attacker: the first 10 failures must be answered 401, got %v", counts)
	}
	tb.add("last non-429 answer to the attacker was reply %d of %d", first401After, attempts)

	slices.Sort(legit)
	pct := func(p float64) time.Duration {
		if len(legit) == 0 {
			return 0
		}
		return legit[min(len(legit)-1, int(float64(len(legit))*p))]
	}
	tb.add("legitimate client on 127.0.0.1 during the attack: %d requests, %d failed, p50 %s, p99 %s, max %s",
		len(legit), len(legitFail), pct(0.50).Round(time.Microsecond), pct(0.99).Round(time.Microsecond), pct(1).Round(time.Microsecond))
	if len(legitFail) > 0 {
		t.Errorf("legitimate client failed %d times, e.g. %s", len(legitFail), legitFail[0])
	}
	if len(legit) == 0 {
		t.Error("legitimate client made no request during the attack")
	}
	if err := srv.stop(t); err != nil {
		t.Errorf("serve stop: %v", err)
	}
	_, recs := f.check(t)
	tb.add("audit chain verified: %d records", len(recs))

	// Failures are recorded per source and minute: the first at once, the
	// rest of the minute as one record with a count (written when the
	// minute ends, or on shutdown). Every 401 is accounted for; the records
	// grow with the minutes, not with the attempts.
	var failRecs, accounted int
	for _, r := range recs {
		if r.Source != "127.0.0.2" || r.Result != audit.Failure {
			continue
		}
		failRecs++
		var more int
		if _, err := fmt.Sscanf(r.Reason, "%d more failed authentications", &more); err == nil {
			accounted += more
		} else {
			accounted++
		}
	}
	maxRecs := 2 * (int(attack.Minutes()) + 2)
	tb.add("audit records of the attacker's failures: %d, accounting for %d failed authentications (%d x 401)", failRecs, accounted, counts[401])
	if accounted < counts[401] || accounted > counts[401]+errs {
		t.Errorf("the audit trail accounts for %d failed authentications from 127.0.0.2, want the %d answered 401 (+ up to %d without an answer)", accounted, counts[401], errs)
	}
	if failRecs > maxRecs {
		t.Errorf("%d audit records of failures from 127.0.0.2 in %.1fs: want at most %d (two per minute)", failRecs, attack.Seconds(), maxRecs)
	}
	tb.log(t)
}
