package audit

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/store"
)

func appendAll(t testing.TB, st *store.Store, log *Log, rs ...Record) {
	t.Helper()
	err := st.Update(func(tx *store.Txn) error {
		for _, r := range rs {
			if _, err := log.Append(tx, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func dashboard(t testing.TB, st *store.Store, log *Log, now time.Time) Dashboard {
	t.Helper()
	d, err := log.Dashboard(st, now)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

var (
	api    = string(access.KindAPI)
	aggNow = time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)
	call   = func(at time.Time) Record {
		return Record{Time: at, ActorKind: api, Actor: "k", Result: Success, Operation: "get password"}
	}
	refusal = func(at time.Time, src string) Record {
		return Record{Time: at, ActorKind: api, Actor: "k", Result: Failure, Source: src, Operation: "authenticate", Reason: "expired"}
	}
)

func TestAggregatesCountAPICallsAndRefusalsPerHourAndDay(t *testing.T) {
	t.Parallel()
	st, log := testenv.Store(t), New([]byte("k"), time.Now)
	appendAll(t, st, log,
		call(aggNow), call(aggNow.Add(-10*time.Minute)), refusal(aggNow, "10.0.0.9"),
		call(aggNow.Add(-time.Hour)),
		call(aggNow.Add(-25*time.Hour)), // yesterday: in Days only
		call(aggNow.AddDate(0, 0, -40)), // outside both
		// An operator's success is not an API call; its failure is a refusal.
		Record{Time: aggNow, ActorKind: "operator", Actor: "admin", Result: Success, Operation: "create resource"},
		Record{Time: aggNow, ActorKind: "operator", Actor: "admin", Result: Failure, Operation: "log in", Reason: "wrong password"},
	)
	d := dashboard(t, st, log, aggNow)
	if len(d.Hours) != 24 || len(d.Days) != 30 {
		t.Fatalf("%d hours, %d days", len(d.Hours), len(d.Days))
	}
	if h := d.Hours[23]; h.Start != aggNow.Truncate(time.Hour) || h.Calls != 3 || h.Refusals != 2 {
		t.Fatalf("this hour %+v", h)
	}
	if h := d.Hours[22]; h.Calls != 1 || h.Refusals != 0 {
		t.Fatalf("the hour before %+v", h)
	}
	if today, yesterday := d.Days[29], d.Days[28]; today.Calls != 4 || today.Refusals != 2 || yesterday.Calls != 1 {
		t.Fatalf("today %+v, yesterday %+v", today, yesterday)
	}
	total := 0
	for _, b := range d.Days {
		total += b.Calls
	}
	if total != 5 {
		t.Fatalf("30 days hold %d calls, want 5 (the 40-day-old one is out)", total)
	}
	if len(d.Refusals) != 2 || d.Refusals[0].Reason != "wrong password" || d.Refusals[1].Source != "10.0.0.9" {
		t.Fatalf("refusals, newest first: %+v", d.Refusals)
	}
}

func TestOldBucketsArePrunedAndTheRingKeepsTheLastTwenty(t *testing.T) {
	t.Parallel()
	st, log := testenv.Store(t), New([]byte("k"), time.Now)
	old := aggNow.Add(-50 * time.Hour)
	appendAll(t, st, log, call(old))
	for i := range 25 {
		appendAll(t, st, log, refusal(aggNow.Add(time.Duration(i)*time.Second), fmt.Sprintf("10.0.0.%d", i)))
	}
	_ = st.View(func(tx *store.Txn) error {
		if ok, _ := tx.Has(aggHour + old.Format(hourFormat)); ok {
			t.Error("the 50-hour-old bucket was kept")
		}
		if ok, _ := tx.Has(aggDay + old.Format(dayFormat)); !ok {
			t.Error("the 2-day-old day bucket was pruned")
		}
		return nil
	})
	d := dashboard(t, st, log, aggNow.Add(time.Minute))
	if len(d.Refusals) != RecentRefusals || d.Refusals[0].Source != "10.0.0.24" || d.Refusals[19].Source != "10.0.0.5" {
		t.Fatalf("ring: %d, first %+v", len(d.Refusals), d.Refusals[0])
	}
}

// A trail written before the aggregates existed is backfilled on the first
// read, to the same figures as aggregates kept all along; Append then
// keeps them.
func TestATrailWithoutAggregatesIsBackfilledOnce(t *testing.T) {
	t.Parallel()
	st, log := testenv.Store(t), New([]byte("k"), time.Now)
	var rs []Record
	for i := range 300 {
		at := aggNow.Add(-time.Duration(i*7) * time.Minute)
		if i%3 == 0 {
			rs = append(rs, refusal(at, fmt.Sprint("10.0.1.", i%5)))
		} else {
			rs = append(rs, call(at))
		}
	}
	appendAll(t, st, log, rs...)
	kept := dashboard(t, st, log, aggNow)

	// The same trail as an older version left it: no aggregates, no marker.
	err := st.Update(func(tx *store.Txn) error {
		var keys []string
		_ = tx.Each(aggPrefix, func(k string, _ func(any) error) (bool, error) { keys = append(keys, k); return true, nil })
		for _, k := range keys {
			if err := tx.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	fresh := New([]byte("k"), time.Now)   // a new process
	appendAll(t, st, fresh, call(aggNow)) // not aggregated yet: no marker
	backfilled := dashboard(t, st, fresh, aggNow)
	kept.Hours[23].Calls++
	kept.Days[29].Calls++
	if !reflect.DeepEqual(kept, backfilled) {
		t.Fatalf("backfilled figures differ:\nkept       %+v\nbackfilled %+v", kept.Hours[20:], backfilled.Hours[20:])
	}
	appendAll(t, st, fresh, call(aggNow))
	if d := dashboard(t, st, fresh, aggNow); d.Hours[23].Calls != kept.Hours[23].Calls+1 {
		t.Fatalf("after the backfill Append counts: %d", d.Hours[23].Calls)
	}
}

// BenchmarkDashboardMillion: the Home screen's audit figures over
// 1,000,000 records (issue 13: under 200 ms; they read 55 keys).
func BenchmarkDashboardMillion(b *testing.B) {
	st, log := testenv.Store(b), New([]byte("k"), time.Now)
	const n = 1_000_000
	start := aggNow.Add(-n * 2 * time.Second) // 23 days of records
	for i := 0; i < n; i += 500 {
		rs := make([]Record, 0, 500)
		for j := i; j < i+500; j++ {
			at := start.Add(time.Duration(j) * 2 * time.Second)
			if j%10 == 0 {
				rs = append(rs, refusal(at, fmt.Sprint("10.0.0.", j%7)))
			} else {
				rs = append(rs, call(at))
			}
		}
		appendAll(b, st, log, rs...)
	}
	b.ResetTimer()
	for b.Loop() {
		d := dashboard(b, st, log, aggNow)
		if d.Days[29].Calls == 0 {
			b.Fatal("no calls today")
		}
	}
}

// Records appended by concurrent writers share a batch's head and counters
// (pending.go): the chain verifies, the counts are exact, and a writer that
// fails after appending leaves no trace in either.
func TestConcurrentAppendsCountExactlyAndAFailedWriterLeavesNoTrace(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	log := New([]byte("k"), testenv.NewClock().Now)
	errs := make(chan error, 64)
	for w := range 64 {
		go func() {
			errs <- st.Update(func(tx *store.Txn) error {
				r := call(aggNow)
				if w%4 == 0 {
					r = refusal(aggNow, fmt.Sprintf("192.0.2.%d", w))
				}
				if _, err := log.Append(tx, r); err != nil {
					return err
				}
				if w%8 == 1 {
					return fmt.Errorf("writer %d fails after appending", w)
				}
				return nil
			})
		}()
	}
	failed := 0
	for range 64 {
		if err := <-errs; err != nil {
			failed++
		}
	}
	if failed != 8 {
		t.Fatalf("%d writers failed, want 8", failed)
	}
	if err := st.View(func(tx *store.Txn) error {
		n, err := log.Verify(tx)
		if err == nil && n != 56 {
			err = fmt.Errorf("%d records, want 56", n)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	d := dashboard(t, st, log, aggNow)
	if got := d.Hours[23].Counts; got != (Counts{Calls: 56, Refusals: 16}) {
		t.Errorf("this hour: %+v, want 56 calls, 16 refusals", got)
	}
	if len(d.Refusals) != 16 {
		t.Errorf("%d recent refusals, want 16", len(d.Refusals))
	}
}

// The newest hour and day are kept in the head and reach their own keys
// when a record counts into a newer one, in the same batch or a later
// one; backdated records count at their own keys all along. The
// dashboard reads both the same.
func TestTheNewestBucketsLiveInTheHeadUntilANewerOneOpens(t *testing.T) {
	t.Parallel()
	st, log := testenv.Store(t), New([]byte("k"), time.Now)
	h9, h10, h11 := aggNow.Truncate(time.Hour), aggNow.Truncate(time.Hour).Add(time.Hour), aggNow.Truncate(time.Hour).Add(2*time.Hour)
	appendAll(t, st, log, call(h9), call(h9.Add(time.Minute)))
	appendAll(t, st, log, call(h9.Add(2*time.Minute)), call(h10), refusal(h10, "10.0.0.1")) // 9 o'clock closes mid-batch
	appendAll(t, st, log, call(h9.Add(3*time.Minute)))                                      // backdated, after the close
	stored := func(key string) (Counts, bool) {
		var c Counts
		err := st.View(func(tx *store.Txn) error { return tx.Get(key, &c) })
		return c, err == nil
	}
	if c, ok := stored(aggHour + h9.Format(hourFormat)); !ok || c.Calls != 4 {
		t.Errorf("9 o'clock at its key: %+v (%v), want 4 calls", c, ok)
	}
	if _, ok := stored(aggHour + h10.Format(hourFormat)); ok {
		t.Error("the open hour was written at its own key too")
	}
	check := func(now time.Time, want9, want10, wantDay Counts) {
		t.Helper()
		d := dashboard(t, st, log, now)
		byStart := map[time.Time]Counts{}
		for _, b := range d.Hours {
			byStart[b.Start] = b.Counts
		}
		if byStart[h9] != want9 || byStart[h10] != want10 || d.Days[29].Counts != wantDay {
			t.Errorf("at %s: 9h %+v 10h %+v today %+v; want %+v %+v %+v", now.Format(time.Kitchen), byStart[h9], byStart[h10], d.Days[29].Counts, want9, want10, wantDay)
		}
	}
	check(h10.Add(30*time.Minute), Counts{Calls: 4}, Counts{Calls: 2, Refusals: 1}, Counts{Calls: 6, Refusals: 1})
	appendAll(t, st, log, call(h11))
	if c, ok := stored(aggHour + h10.Format(hourFormat)); !ok || c.Calls != 2 || c.Refusals != 1 {
		t.Errorf("10 o'clock at its key once 11 opened: %+v (%v)", c, ok)
	}
	check(h11.Add(time.Minute), Counts{Calls: 4}, Counts{Calls: 2, Refusals: 1}, Counts{Calls: 7, Refusals: 1})
}
