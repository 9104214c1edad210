package store

import (
	"encoding/json"
	"expvar"
	"testing"
	"time"
)

// commitVars reads "store_commit" as /debug/vars serves it.
func commitVars(t *testing.T) map[string]json.RawMessage {
	t.Helper()
	v := expvar.Get("store_commit")
	if v == nil {
		t.Fatal("store_commit is not published")
	}
	var out map[string]json.RawMessage
	if err := json.Unmarshal([]byte(v.String()), &out); err != nil {
		t.Fatalf("store_commit: %v in %s", err, v.String())
	}
	return out
}

func phaseOf(t *testing.T, vars map[string]json.RawMessage, name string) (count, us int64) {
	t.Helper()
	var p struct{ Count, Us int64 }
	if err := json.Unmarshal(vars[name], &p); err != nil {
		t.Fatalf("store_commit.%s: %v", name, err)
	}
	return p.Count, p.Us
}

// The counters are process-wide and other tests commit too: each phase
// must have grown by at least what this test's one slow commit adds.
func TestTheCommitterTellsWhereABatchSpendsItsTime(t *testing.T) {
	forEachEngine(t, func(t *testing.T, open func() *Store) {
		s := open()
		before := commitVars(t)
		const slow = 30 * time.Millisecond
		if err := s.Update(func(tx *Txn) error {
			time.Sleep(slow)
			return tx.Put("rec/1", record{"one", 1})
		}); err != nil {
			t.Fatal(err)
		}
		after := commitVars(t)
		grew := func(name string) (int64, int64) {
			n0, us0 := phaseOf(t, before, name)
			n1, us1 := phaseOf(t, after, name)
			return n1 - n0, us1 - us0
		}
		for _, name := range []string{"batch", "functions"} {
			if n, us := grew(name); n < 1 || us < slow.Microseconds() {
				t.Errorf("%s grew by %d runs, %d µs; want ≥ 1 and ≥ %d µs (the function slept that long)", name, n, us, slow.Microseconds())
			}
		}
		phases := []string{"commit"}
		if _, ok := s.eng.(*badgerEngine); ok {
			phases = append(phases, "redo_write", "sync", "badger_commit") // ledger: only commits with ledger keys (audit records)
		}
		for _, name := range phases {
			if n, _ := grew(name); n < 1 {
				t.Errorf("%s did not count the commit", name)
			}
		}
		var w0, w1 int64
		json.Unmarshal(before["writers"], &w0)
		json.Unmarshal(after["writers"], &w1)
		if w1-w0 < 1 {
			t.Errorf("writers grew by %d, want ≥ 1", w1-w0)
		}
	})
}
