package store

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"hostbound/backend/internal/pgtest"
)

// The failover requirement: a primary and a synchronous standby, the
// primary killed under write load while the standby lags, the standby
// promoted. Every write
// acknowledged before, during or after is on the promoted server; every
// refused one is ErrUnavailable; the same store writes again once the
// standby is promoted, without being reopened. make ha-test runs it.
func TestPostgresFailoverLosesNoAcknowledgedWrite(t *testing.T) {
	if os.Getenv("HOSTBOUND_HA_TEST") != "1" {
		t.Skip("the failover test starts its own primary and standby: make ha-test (HOSTBOUND_HA_TEST=1)")
	}
	began := time.Now()
	pair := pgtest.StartReplicated(t)
	key := newKey(t)
	s, err := OpenPostgres(pair.URL(), key, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	const writers = 16
	var (
		mu                 sync.Mutex
		acked              []string
		failed, unknown    int
		refusedAfter       int // refused, begun after the promotion
		wrong              []error
		paused             time.Time // the standby stopped taking WAL
		killed, promoting  time.Time // killed: the primary is gone
		promoted, firstAck time.Time // firstAck: the first write acknowledged after promoted
	)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				k := fmt.Sprintf("ha/%02d/%s", w, Num(uint64(i)))
				start := time.Now()
				err := s.Update(func(tx *Txn) error { return tx.Put(k, record{k, i}) })
				end := time.Now()
				mu.Lock()
				switch {
				case err == nil:
					acked = append(acked, k)
					// No server takes writes between the kill and the
					// promotion: an acknowledgement then is a lie.
					if !killed.IsZero() && start.After(killed) && (promoting.IsZero() || end.Before(promoting)) {
						wrong = append(wrong, fmt.Errorf("%s acknowledged while no server was writable", k))
					}
					// Nor while the standby could not have it (a margin
					// for a standby's answer already on its way).
					if !paused.IsZero() && start.After(paused.Add(100*time.Millisecond)) && (killed.IsZero() || end.Before(killed)) {
						wrong = append(wrong, fmt.Errorf("%s acknowledged while the standby was stopped", k))
					}
					if !promoted.IsZero() && firstAck.IsZero() {
						firstAck = end
					}
				case errors.Is(err, ErrUnavailable):
					failed++
					if errors.Is(err, ErrCommitUnknown) {
						unknown++
					}
					if !promoted.IsZero() && start.After(promoted) {
						refusedAfter++
					}
				default:
					wrong = append(wrong, err)
				}
				mu.Unlock()
				if err != nil {
					time.Sleep(10 * time.Millisecond) // a client honouring Retry-After, briefly
				}
			}
		}()
	}
	at := func(p *time.Time) {
		mu.Lock()
		*p = time.Now()
		mu.Unlock()
	}
	time.Sleep(2 * time.Second)
	mu.Lock()
	before := len(acked)
	mu.Unlock()
	// The standby falls behind just before the crash: the primary must
	// not have acknowledged what the standby did not get.
	pair.PauseStandby()
	at(&paused)
	time.Sleep(time.Second)
	pair.KillPrimary()
	at(&killed)
	pair.ResumeStandby()
	time.Sleep(500 * time.Millisecond) // requests during the switch
	at(&promoting)
	pair.Promote()
	at(&promoted)
	time.Sleep(2 * time.Second)
	close(stop)
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	select {
	case <-finished:
	case <-time.After(30 * time.Second):
		t.Fatal("an Update still hangs 30 s after the load stopped")
	}

	mu.Lock()
	defer mu.Unlock()
	t.Logf("failover: %d writes acknowledged (%d before the standby stalled), %d refused as unavailable (%d with an unknown outcome, %d begun after the promotion)",
		len(acked), before, failed, unknown, refusedAfter)
	for i, err := range wrong {
		if i == 5 {
			t.Errorf("and %d more wrong answers", len(wrong)-i)
			break
		}
		t.Errorf("wrong answer: %v", err)
	}
	if firstAck.IsZero() {
		t.Fatal("no write succeeded after the promotion")
	}
	t.Logf("failover: %v from the kill to the first acknowledged write after the promotion (promotion itself %v)",
		firstAck.Sub(killed).Round(time.Millisecond), promoted.Sub(promoting).Round(time.Millisecond))
	if before == 0 || failed == 0 {
		t.Fatalf("the load did not span the kill: %d acknowledged before it, %d refused", before, failed)
	}

	// Every acknowledged write is on the promoted server, read by a fresh
	// store that knows only that server.
	s2, err := OpenPostgres(pair.StandbyURL(), key, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	missing := 0
	if err := s2.View(func(tx *Txn) error {
		for _, k := range acked {
			var r record
			if err := tx.Get(k, &r); err != nil {
				if missing++; missing <= 5 {
					t.Errorf("acknowledged %s: %v", k, err)
				}
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if missing > 0 {
		t.Fatalf("%d of %d acknowledged writes lost", missing, len(acked))
	}
	t.Logf("failover: 0 of %d acknowledged writes lost; the test took %v", len(acked), time.Since(began).Round(time.Millisecond))
}
