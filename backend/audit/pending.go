package audit

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"hostbound/backend/store"
)

// pending is what the records appended in one commit batch share: the
// chain's head as it moves and the aggregate buckets they count into. Each
// is read once per batch and written once, just before the batch commits,
// instead of once per record (store.Txn.Local and BeforeCommit): at 64
// concurrent calls this turns ~4 reads and writes per record into ~4 per
// batch.
type pending struct {
	loaded  bool
	head    head
	buckets map[string]*Counts // aggregate key → counts, as the batch leaves them
	order   []string           // buckets in first-touched order, for a stable write
	ring    []Refusal
	// The bucket keys of the last record's hour: most records of a batch
	// share them (time.Format twice per record otherwise).
	hour            time.Time
	hourKey, dayKey string
	ringLoaded      bool
	ringDirty       bool
}

// pendingKey keys the batch's pending state: one chain per store.
type pendingKey struct{}

// pendingOf returns the batch's pending state, reading the head on first
// use and registering the write of everything it holds.
func pendingOf(tx *store.Txn) (*pending, error) {
	p := tx.Local(pendingKey{}, func() any {
		p := &pending{}
		tx.BeforeCommit(p.flush)
		return p
	}).(*pending)
	if !p.loaded {
		if err := tx.Get(headKey, &p.head); err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("audit head: %w", err)
		}
		p.loaded = true
	}
	return p, nil
}

// readHead is the chain's head as tx sees it, records appended earlier in
// its batch included.
func readHead(tx *store.Txn) (head, error) {
	if p, ok := tx.Local(pendingKey{}, nil).(*pending); ok && p.loaded {
		return p.head, nil
	}
	var h head
	err := tx.Get(headKey, &h)
	if errors.Is(err, store.ErrNotFound) {
		return head{}, nil
	}
	return h, err
}

// counts returns the batch's counts of the aggregate at key, reading them
// on first touch; fresh runs when the bucket did not exist (to prune old
// ones).
func (p *pending) counts(tx *store.Txn, key string, fresh func() error) (*Counts, error) {
	if c, ok := p.buckets[key]; ok {
		return c, nil
	}
	c := &Counts{}
	err := tx.Get(key, c)
	if errors.Is(err, store.ErrNotFound) {
		err = fresh()
	}
	if err != nil {
		return nil, err
	}
	p.keep(key, c)
	return c, nil
}

// bucket returns the batch's counts of the hour or day aggregate at key,
// the newest of its kind being open in the head (*open): counting into a
// newer one opens it and sends the one it replaces to its own key; an
// older one (a backdated record) is counted at its own key.
func (p *pending) bucket(tx *store.Txn, open **openBucket, key string, fresh func() error) (*Counts, error) {
	o := *open
	switch {
	case o != nil && o.Key == key:
		return &o.Counts, nil
	case o != nil && key < o.Key:
		return p.counts(tx, key, fresh)
	case o != nil:
		c := o.Counts
		p.keep(o.Key, &c)
	}
	var c Counts
	if pc, ok := p.buckets[key]; ok { // counted at its own key earlier in the batch
		c = *pc
		p.forget(key)
	} else if err := tx.Get(key, &c); errors.Is(err, store.ErrNotFound) {
		if err := fresh(); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	*open = &openBucket{Key: key, Counts: c}
	return &(*open).Counts, nil
}

// keep makes c the batch's counts of the aggregate at key, written at
// that key.
func (p *pending) keep(key string, c *Counts) {
	if p.buckets == nil {
		p.buckets = map[string]*Counts{}
	}
	if _, ok := p.buckets[key]; !ok {
		p.order = append(p.order, key)
	}
	p.buckets[key] = c
}

// forget drops the batch's counts at key (they moved to the head).
func (p *pending) forget(key string) {
	delete(p.buckets, key)
	p.order = slices.DeleteFunc(p.order, func(k string) bool { return k == key })
}

// refusals returns the batch's ring of recent refusals, reading it once.
func (p *pending) refusals(tx *store.Txn) (*[]Refusal, error) {
	if !p.ringLoaded {
		if err := tx.Get(aggRefusals, &p.ring); err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		p.ringLoaded = true
	}
	p.ringDirty = true
	return &p.ring, nil
}

// flush writes what the batch changed (BeforeCommit).
func (p *pending) flush(tx *store.Txn) error {
	if !p.loaded {
		return nil
	}
	if err := tx.Put(headKey, p.head); err != nil {
		return fmt.Errorf("audit append: %w", err)
	}
	for _, k := range p.order {
		if err := tx.Put(k, p.buckets[k]); err != nil {
			return fmt.Errorf("audit aggregates: %w", err)
		}
	}
	if p.ringDirty {
		if err := tx.Put(aggRefusals, p.ring); err != nil {
			return fmt.Errorf("audit aggregates: %w", err)
		}
	}
	return nil
}

// drop forgets the pending buckets under prefix that sort before oldest.
func (p *pending) drop(prefix, oldest string) {
	kept := p.order[:0]
	for _, k := range p.order {
		if strings.HasPrefix(k, prefix) && k < oldest {
			delete(p.buckets, k)
			continue
		}
		kept = append(kept, k)
	}
	p.order = kept
}

// bucketKeys are the hour and day aggregate keys of t (UTC).
func (p *pending) bucketKeys(t time.Time) (hour, day string) {
	h := t.Truncate(time.Hour)
	if p.hourKey == "" || !h.Equal(p.hour) {
		p.hour, p.hourKey, p.dayKey = h, aggHour+t.Format(hourFormat), aggDay+t.Format(dayFormat)
	}
	return p.hourKey, p.dayKey
}
