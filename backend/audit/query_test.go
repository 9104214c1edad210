package audit

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"hostbound/backend/internal/testenv"
	"hostbound/backend/store"
)

// seed appends n records: actors a0..a4, operations op0..op2, results
// alternating, sources 10.0.0.(i%7), targets "res-<i>", one minute apart.
func seed(tb testing.TB, st *store.Store, log *Log, n int, start time.Time) {
	tb.Helper()
	for i := 0; i < n; i += 200 {
		err := st.Update(func(tx *store.Txn) error {
			for j := i; j < min(i+200, n); j++ {
				res := Success
				if j%2 == 1 {
					res = Failure
				}
				_, err := log.Append(tx, Record{Time: start.Add(time.Duration(j) * time.Minute), Actor: fmt.Sprintf("a%d", j%5),
					ActorName: "Actor", Operation: fmt.Sprintf("op%d", j%3), Target: fmt.Sprintf("res-%d", j), Result: res,
					Source: fmt.Sprintf("10.0.0.%d", j%7)})
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
}

func TestQueryFiltersAgainstAKnownSet(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	log := New([]byte("k"), time.Now)
	seed(t, st, log, 1000, start)
	brute := func(f Filter) []uint64 {
		var out []uint64
		for j := 999; j >= 0; j-- {
			r := Record{Time: start.Add(time.Duration(j) * time.Minute), Actor: fmt.Sprintf("a%d", j%5), Operation: fmt.Sprintf("op%d", j%3),
				Target: fmt.Sprintf("res-%d", j), Result: map[bool]string{true: Success, false: Failure}[j%2 == 0], Source: fmt.Sprintf("10.0.0.%d", j%7)}
			if f.match(r) {
				out = append(out, uint64(j+1))
			}
		}
		return out
	}
	cases := []struct {
		name string
		f    Filter
	}{
		{"no filter", Filter{}},
		{"actor", Filter{Actor: "A3"}},
		{"actor and result", Filter{Actor: "a3", Result: Failure}},
		{"operation and source", Filter{Operation: "op1", Source: "10.0.0.4"}},
		{"target substring", Filter{Target: "res-99"}},
		{"time range", Filter{From: start.Add(100 * time.Minute), To: start.Add(250 * time.Minute)}},
		{"time range and actor", Filter{From: start.Add(100 * time.Minute), To: start.Add(250 * time.Minute), Actor: "a1"}},
		{"nothing matches", Filter{Actor: "nobody"}},
		{"target in capitals and a time range", Filter{Target: "RES-5", From: start.Add(500 * time.Minute), To: start.Add(560 * time.Minute)}},
		{"target that matches nothing", Filter{Target: "res-x"}},
		{"successes", Filter{Result: Success}},
	}
	// Once reading every record, once with the column (columns.go).
	for _, loaded := range []bool{false, true} {
		if loaded {
			if err := log.LoadColumns(st); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s/column=%v", c.name, loaded), func(t *testing.T) {
				want := brute(c.f)
				got := allPages(t, st, log, c.f, 37)
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Fatalf("got %d records, want %d\n%v\n%v", len(got), len(want), head10(got), head10(want))
				}
			})
		}
	}
}

// The column knows the records appended after it loaded; a record in its
// range without an entry is read and matched; and the records of an older
// trail (below the column, with one index entry per field) are found
// through those entries: every filter gives what reading every record does.
func TestQueriesOverTheColumnAnOldTrailAndNewRecords(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	log := New([]byte("k"), time.Now)
	seed(t, st, log, 300, start)
	// Records 1-120 as an old trail wrote them; 200 lost its entry.
	if err := st.Update(func(tx *store.Txn) error {
		for seq := uint64(1); seq <= 200; seq++ {
			if seq > 120 && seq != 200 {
				continue
			}
			var r Record
			if err := tx.Get(recKey(seq), &r); err != nil {
				return err
			}
			if err := tx.Delete(cKey(r)); err != nil {
				return err
			}
			if seq == 200 {
				continue
			}
			for _, fv := range [][2]string{{"actor", r.Actor}, {"operation", r.Operation}, {"source", r.Source}, {"result", r.Result}} {
				if err := tx.PutKey(ixPrefix + fv[0] + "/" + strings.ToLower(fv[1]) + "\x00" + store.Num(seq)); err != nil {
					return err
				}
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := log.LoadColumns(st); err != nil {
		t.Fatal(err)
	}
	appendAll(t, st, log, Record{Actor: "a1", Target: "Res-41 again", Result: Success, Time: start.Add(400 * time.Minute)},
		Record{Actor: "zed", Target: "other", Result: Failure, Time: start.Add(401 * time.Minute)})
	all := func(f Filter) []uint64 {
		var out []uint64
		st.View(func(tx *store.Txn) error {
			return eachBelow(tx, 302, func(r Record) (bool, error) {
				if f.match(r) {
					out = append(out, r.Seq)
				}
				return true, nil
			})
		})
		return out
	}
	for _, f := range []Filter{
		{Target: "res-41"}, {Actor: "a1"}, {Actor: "a1", Result: Failure}, {Source: "10.0.0.3", Operation: "op2"},
		{Actor: "zed"}, {Result: Success}, {}, {Target: "res-2", From: start.Add(50 * time.Minute), To: start.Add(250 * time.Minute)},
	} {
		got := allPages(t, st, log, f, 23)
		if want := all(f); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%+v: got %d records, want %d\n%v\n%v", f, len(got), len(want), head10(got), head10(want))
		}
	}
}

func head10(s []uint64) []uint64 { return s[:min(10, len(s))] }

// allPages pages through the records matching f, limit at a time, and
// returns their sequence numbers in order.
func allPages(t *testing.T, st *store.Store, log *Log, f Filter, limit int) []uint64 {
	t.Helper()
	var got []uint64
	var before uint64
	st.View(func(tx *store.Txn) error {
		for {
			p, err := log.Query(tx, f, before, limit)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range p.Records {
				got = append(got, r.Seq)
			}
			if p.Next == 0 {
				return nil
			}
			before = p.Next
		}
	})
	return got
}
