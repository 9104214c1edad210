package audit

import (
	"errors"
	"sync/atomic"
	"testing"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/store"
)

// snapshots is a SnapshotResolver whose actor can be disabled.
type snapshots struct {
	gen      atomic.Uint64
	disabled atomic.Bool
	used     atomic.Int64
}

func (s *snapshots) resolve(a access.Actor) (access.Principal, error) {
	if s.disabled.Load() {
		return access.Principal{}, apperr.New(apperr.Unauthenticated, "disabled")
	}
	return access.Principal{Actor: a, FullName: "Svc"}, nil
}
func (s *snapshots) Resolve(_ *store.Txn, a access.Actor) (access.Principal, error) {
	return s.resolve(a)
}
func (s *snapshots) Generation() uint64 { return s.gen.Load() }
func (s *snapshots) ResolveRead(_ *store.Txn, a access.Actor, _ uint64) (access.Principal, error) {
	return s.resolve(a)
}
func (s *snapshots) Changed(_ *store.Txn, gen uint64) bool { return s.gen.Load() != gen }
func (s *snapshots) Used(*store.Txn, access.Actor) error {
	s.used.Add(1)
	return nil
}

// A change that commits between Reveal's read and its record sends the
// call through Act, which decides on the present: the actor disabled while
// its read ran gets a refusal and no success record.
func TestRevealDecidesAgainWhenTheActorChangedDuringTheRead(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	log := New([]byte("k"), testenv.NewClock().Now)
	r := &snapshots{}
	a := access.Actor{Username: "svc", Kind: access.KindAPI, Source: "127.0.0.1"}

	reads := 0
	err := log.Reveal(st, r, a, "reveal password", "db01", func(*store.Txn, access.Principal, *Record) error {
		reads++
		if reads == 1 { // the admin disables svc while its first read runs
			r.disabled.Store(true)
			r.gen.Add(1)
		}
		return nil
	})
	if apperr.CodeOf(err) != apperr.Unauthenticated || reads != 1 {
		t.Fatalf("Reveal = %v after %d reads, want the refusal of the present (Act)", err, reads)
	}
	// Unchanged: one read, one record, one use.
	r.disabled.Store(false)
	if err := log.Reveal(st, r, a, "reveal password", "db01", func(*store.Txn, access.Principal, *Record) error { return nil }); err != nil {
		t.Fatal(err)
	}
	var results []string
	if err := st.View(func(tx *store.Txn) error {
		page, err := log.Query(tx, Filter{}, 0, 10)
		for _, rec := range page.Records {
			results = append(results, rec.Result)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(results) != 2 || results[0] != Success || results[1] != Failure {
		t.Errorf("records (newest first) %v, want [success failure]", results)
	}
	if r.used.Load() != 1 {
		t.Errorf("%d uses recorded, want 1", r.used.Load())
	}
	if err := log.Reveal(st, r, a, "reveal password", "db01", func(*store.Txn, access.Principal, *Record) error {
		return errors.New("disk on fire")
	}); err == nil || apperr.As(err) != nil {
		t.Errorf("an internal failure: %v, want it wrapped, not a refusal", err)
	}
}
