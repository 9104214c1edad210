package audit

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"hostbound/backend/internal/testenv"
	"hostbound/backend/store"
)

// BenchmarkAppend: records per second through Store.Update, one writer and
// 16 concurrent writers (group commit shares the fsync).
func BenchmarkAppend(b *testing.B) {
	for _, writers := range []int{1, 16} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			st := testenv.Store(b)
			log := New([]byte("k"), time.Now)
			var wg sync.WaitGroup
			per := b.N/writers + 1
			b.ResetTimer()
			start := time.Now()
			for w := range writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range per {
						err := st.Update(func(tx *store.Txn) error {
							_, err := log.Append(tx, Record{Actor: fmt.Sprint("w", w), Operation: "bench", Target: fmt.Sprint(i), Result: Success})
							return err
						})
						if err != nil {
							b.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			b.ReportMetric(float64(per*writers)/time.Since(start).Seconds(), "records/s")
		})
	}
}

// BenchmarkMillion: Verify over 1,000,000 records, and the first page of
// filtered queries over them (goal: under 100 ms).
func BenchmarkMillion(b *testing.B) {
	st := testenv.Store(b)
	log := New([]byte("k"), time.Now)
	seed(b, st, log, 1_000_000, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	b.Run("verify", func(b *testing.B) {
		for b.Loop() {
			st.View(func(tx *store.Txn) error {
				if n, err := log.Verify(tx); err != nil || n != 1_000_000 {
					b.Fatalf("%d, %v", n, err)
				}
				return nil
			})
		}
	})
	for _, c := range []struct {
		name string
		f    Filter
	}{
		{"first-page/no-filter", Filter{}},
		{"first-page/actor", Filter{Actor: "a3"}},
		{"first-page/actor+result+source", Filter{Actor: "a3", Result: Failure, Source: "10.0.0.4"}},
		{"first-page/target-substring", Filter{Target: "res-99999"}},
		{"first-page/time-range", Filter{From: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				st.View(func(tx *store.Txn) error {
					_, err := log.Query(tx, c.f, 0, 100)
					return err
				})
			}
		})
	}
	// The column (columns.go): its one-time load, then the same queries.
	b.Run("load-column", func(b *testing.B) {
		for b.Loop() {
			log.cols = columns{}
			if err := log.LoadColumns(st); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, c := range []struct {
		name string
		f    Filter
	}{
		{"no-filter", Filter{}},
		{"actor", Filter{Actor: "a3"}},
		{"actor+result+source", Filter{Actor: "a3", Result: Failure, Source: "10.0.0.4"}},
		{"target-substring", Filter{Target: "res-99999"}},
		{"target-substring-none", Filter{Target: "nothing"}},
		{"time-range", Filter{From: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)}},
	} {
		b.Run("column/first-page/"+c.name, func(b *testing.B) {
			for b.Loop() {
				st.View(func(tx *store.Txn) error {
					_, err := log.Query(tx, c.f, 0, 100)
					return err
				})
			}
		})
	}
}
