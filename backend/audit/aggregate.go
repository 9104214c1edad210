package audit

import (
	"errors"
	"fmt"

	"time"

	"hostbound/backend/access"
	"hostbound/backend/store"
)

// Aggregates for the Home dashboard, kept as records are written so that
// the dashboard never scans the trail:
//
//	audit/agg/h/<YYYYMMDDHH>  Counts for one hour (UTC), kept 48 hours
//	audit/agg/d/<YYYYMMDD>    Counts for one day (UTC), kept 60 days
//	                          (the newest hour and day: in audit/head)
//	audit/agg/refusals        the last RecentRefusals refusals, newest first
//	audit/agg/v1              marker: the aggregates cover every record
//
// A data directory written before aggregates existed has records and no
// marker: the first read of the aggregates (Dashboard) backfills them from
// the records once, in one transaction, and writes the marker. Until then
// Append leaves the aggregates alone; a fresh trail (its first record) sets
// the marker itself.
const (
	aggPrefix      = "audit/agg/"
	aggHour        = aggPrefix + "h/"
	aggDay         = aggPrefix + "d/"
	aggRefusals    = aggPrefix + "refusals"
	aggMarker      = aggPrefix + "v1"
	hourFormat     = "2006010215"
	dayFormat      = "20060102"
	keepHours      = 48
	keepDays       = 60
	RecentRefusals = 20
)

// Counts are the calls by API users and the refusals (failure results) of
// one bucket.
type Counts struct {
	Calls    int `json:"calls"`
	Refusals int `json:"refusals"`
}

// Refusal is one refused request as the dashboard lists it.
type Refusal struct {
	Time      time.Time `json:"time"`
	Source    string    `json:"source"`
	Actor     string    `json:"actor"`
	Operation string    `json:"operation"`
	Target    string    `json:"target"`
	Reason    string    `json:"reason"`
}

// Bucket is the counts of the hour or day starting at Start.
type Bucket struct {
	Start time.Time `json:"start"`
	Counts
}

// Dashboard is the audit side of the Home screen.
type Dashboard struct {
	Hours    []Bucket  `json:"hours"` // the last 24 hours, oldest first
	Days     []Bucket  `json:"days"`  // the last 30 days, oldest first
	Refusals []Refusal `json:"refusals"`
}

// aggregate adds r to the batch's aggregates (called by Append; written
// once per batch, pending.go).
func (l *Log) aggregate(tx *store.Txn, p *pending, r Record) error {
	if !l.aggReady.Load() {
		ok, err := tx.Has(aggMarker)
		if err != nil {
			return err
		}
		if !ok {
			if r.Seq != 1 {
				return nil // an old trail: the first read backfills
			}
			if err := tx.PutKey(aggMarker); err != nil {
				return err
			}
		}
		l.aggReady.Store(true)
	}
	calls, refused := r.ActorKind == string(access.KindAPI), r.Result == Failure
	if !calls && !refused {
		return nil
	}
	t := r.Time.UTC()
	hourKey, dayKey := p.bucketKeys(t)
	hour, err := p.bucket(tx, &p.head.Hour, hourKey, func() error {
		return prune(tx, p, aggHour, aggHour+t.Add(-keepHours*time.Hour).Format(hourFormat))
	})
	if err != nil {
		return err
	}
	day, err := p.bucket(tx, &p.head.Day, dayKey, func() error {
		return prune(tx, p, aggDay, aggDay+t.AddDate(0, 0, -keepDays).Format(dayFormat))
	})
	if err != nil {
		return err
	}
	hour.add(r)
	day.add(r)
	if refused {
		ring, err := p.refusals(tx)
		if err != nil {
			return err
		}
		*ring = pushRefusal(*ring, r)
	}
	return nil
}

func (c *Counts) add(r Record) {
	if r.ActorKind == string(access.KindAPI) {
		c.Calls++
	}
	if r.Result == Failure {
		c.Refusals++
	}
}

func pushRefusal(ring []Refusal, r Record) []Refusal {
	ring = append([]Refusal{{Time: r.Time.UTC(), Source: r.Source, Actor: r.Actor, Operation: r.Operation,
		Target: clip(r.Target, 200), Reason: clip(r.Reason, 300)}}, ring...)
	return ring[:min(len(ring), RecentRefusals)]
}

// prune deletes the buckets under prefix whose key sorts before oldest
// (runs once per new bucket: a few dozen keys at most), the batch's
// pending ones too (backdated records can span more than the kept range).
func prune(tx *store.Txn, p *pending, prefix, oldest string) error {
	p.drop(prefix, oldest)
	var old []string
	err := tx.Each(prefix, func(key string, _ func(any) error) (bool, error) {
		if key >= oldest {
			return false, nil
		}
		old = append(old, key)
		return true, nil
	})
	if err != nil {
		return err
	}
	for _, k := range old {
		if err := tx.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// backfill rebuilds every aggregate from the records, once, and sets the
// marker. It reads head in the same transaction as Append does, so a
// concurrent Append and the backfill cannot both commit on stale data.
func (l *Log) backfill(st *store.Store, now time.Time) error {
	return st.Update(func(tx *store.Txn) error {
		if ok, err := tx.Has(aggMarker); err != nil || ok {
			return err
		}
		h, herr := readHead(tx)
		if herr != nil {
			return herr
		}
		if h.Hour != nil || h.Day != nil { // rebuilt below, at their keys
			h.Hour, h.Day = nil, nil
			if err := tx.Put(headKey, h); err != nil {
				return err
			}
		}
		var stale []string
		if err := tx.Each(aggPrefix, func(key string, _ func(any) error) (bool, error) {
			stale = append(stale, key)
			return true, nil
		}); err != nil {
			return err
		}
		for _, k := range stale {
			if err := tx.Delete(k); err != nil {
				return err
			}
		}
		hourFrom := now.UTC().Add(-keepHours * time.Hour).Truncate(time.Hour)
		dayFrom := now.UTC().AddDate(0, 0, -keepDays)
		hours, days := map[string]*Counts{}, map[string]*Counts{}
		var ring []Refusal
		err := tx.Each(recPrefix, func(_ string, decode func(any) error) (bool, error) {
			var r Record
			if err := decode(&r); err != nil {
				return false, err
			}
			if r.Seq > h.Seq {
				return false, nil
			}
			if r.ActorKind != string(access.KindAPI) && r.Result != Failure {
				return true, nil
			}
			t := r.Time.UTC()
			if !t.Before(hourFrom) {
				bump(hours, t.Format(hourFormat), r)
			}
			if !t.Before(dayFrom) {
				bump(days, t.Format(dayFormat), r)
			}
			if r.Result == Failure {
				ring = pushRefusal(ring, r)
			}
			return true, nil
		})
		if err != nil {
			return err
		}
		for k, c := range hours {
			if err := tx.Put(aggHour+k, c); err != nil {
				return err
			}
		}
		for k, c := range days {
			if err := tx.Put(aggDay+k, c); err != nil {
				return err
			}
		}
		if len(ring) > 0 {
			if err := tx.Put(aggRefusals, ring); err != nil {
				return err
			}
		}
		return tx.PutKey(aggMarker)
	})
}

func bump(m map[string]*Counts, k string, r Record) {
	c := m[k]
	if c == nil {
		c = &Counts{}
		m[k] = c
	}
	c.add(r)
}

// Dashboard reads the aggregates at now (backfilling them first when the
// trail predates them).
func (l *Log) Dashboard(st *store.Store, now time.Time) (Dashboard, error) {
	var out Dashboard
	read := func() (bool, error) {
		ready := false
		err := st.View(func(tx *store.Txn) error {
			var err error
			if ready, err = tx.Has(aggMarker); err != nil || !ready {
				return err
			}
			out, err = readDashboard(tx, now)
			return err
		})
		return ready, err
	}
	ready, err := read()
	if err != nil || ready {
		return out, err
	}
	if err := l.backfill(st, now); err != nil {
		return out, fmt.Errorf("audit aggregates: %w", err)
	}
	_, err = read()
	return out, err
}

func readDashboard(tx *store.Txn, now time.Time) (Dashboard, error) {
	out := Dashboard{Refusals: []Refusal{}}
	h, err := readHead(tx)
	if err != nil {
		return out, err
	}
	// read is the counts at key: the head's when open there.
	read := func(key string, open *openBucket, c *Counts) error {
		if open != nil && open.Key == key {
			*c = open.Counts
			return nil
		}
		if err := tx.Get(key, c); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return nil
	}
	now = now.UTC()
	h0 := now.Truncate(time.Hour).Add(-23 * time.Hour)
	for i := range 24 {
		t := h0.Add(time.Duration(i) * time.Hour)
		b := Bucket{Start: t}
		if err := read(aggHour+t.Format(hourFormat), h.Hour, &b.Counts); err != nil {
			return out, err
		}
		out.Hours = append(out.Hours, b)
	}
	d0 := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -29)
	for i := range 30 {
		t := d0.AddDate(0, 0, i)
		b := Bucket{Start: t}
		if err := read(aggDay+t.Format(dayFormat), h.Day, &b.Counts); err != nil {
			return out, err
		}
		out.Days = append(out.Days, b)
	}
	if err := tx.Get(aggRefusals, &out.Refusals); err != nil && !errors.Is(err, store.ErrNotFound) {
		return out, err
	}
	return out, nil
}

// Dashboard returns the dashboard's audit figures for a holder of
// audit.view.
func (t *Trail) Dashboard(a access.Actor, now time.Time) (Dashboard, error) {
	// Check the actor, then read (and maybe backfill) outside its
	// transaction: the backfill writes.
	err := t.log.Read(t.st, t.resolver, a, "view dashboard", "", func(_ *store.Txn, p access.Principal, _ *Record) error {
		return mayView(p)
	})
	if err != nil {
		return Dashboard{}, err
	}
	return t.log.Dashboard(t.st, now)
}
