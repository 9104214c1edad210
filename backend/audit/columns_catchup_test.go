package audit

import (
	"slices"
	"testing"
	"time"

	"hostbound/backend/internal/pgtest"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/store"
)

// unknownRows counts the rows of l's column without their entry.
func unknownRows(l *Log) (n int, records int) {
	l.cols.mu.RLock()
	defer l.cols.mu.RUnlock()
	for i := 0; i < len(l.cols.rows); i += nColumns {
		if l.cols.rows[i] == unknown {
			n++
		}
	}
	return n, len(l.cols.rows) / nColumns
}

func TestAColumnTakesInWhatAnotherNodeAppended(t *testing.T) {
	url, key := pgtest.URL(t), testenv.Key(t)
	open := func() *store.Store {
		st, err := store.OpenPostgres(url, key, testenv.Log())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	a, b := open(), open()
	la, lb := New([]byte("k"), time.Now), New([]byte("k"), time.Now)
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	seed(t, a, la, 50, start)
	if err := lb.LoadColumns(b); err != nil {
		t.Fatal(err)
	}
	seed(t, a, la, 30, start.Add(time.Hour))                                       // records 51-80: B does not hear of them
	appendAll(t, b, lb, Record{Actor: "b", Target: "res-from-b", Result: Success}) // 81: a gap of 30 in B's column
	seed(t, a, la, 5, start.Add(2*time.Hour))                                      // 82-86: past B's last
	if n, _ := unknownRows(lb); n != 30 {
		t.Fatalf("B's column has %d unknown rows before catching up, want 30", n)
	}
	if err := lb.LoadColumns(b); err != nil {
		t.Fatal(err)
	}
	if n, rows := unknownRows(lb); n != 0 || rows != 86 {
		t.Fatalf("B's column after catching up: %d unknown of %d rows, want 0 of 86", n, rows)
	}
	if err := la.LoadColumns(a); err != nil {
		t.Fatal(err)
	}
	for _, f := range []Filter{{Target: "res-"}, {Actor: "a1"}, {Actor: "b"}, {Result: Failure}} {
		seqs := func(l *Log, st *store.Store) []uint64 {
			var out []uint64
			if err := st.View(func(tx *store.Txn) error {
				p, err := l.Query(tx, f, 0, 200)
				for _, r := range p.Records {
					out = append(out, r.Seq)
				}
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return out
		}
		if got, want := seqs(lb, b), seqs(la, a); !slices.Equal(got, want) || len(got) == 0 {
			t.Errorf("filter %+v: node B finds %v, node A %v", f, got, want)
		}
	}
	// Nothing unknown: a query does not look again.
	if lb.cols.lowUnknown != 0 {
		t.Errorf("lowUnknown %d after catching up", lb.cols.lowUnknown)
	}
}
