package audit

import (
	"errors"
	"fmt"
	"strings"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/store"
)

// Resolver re-reads an actor inside a transaction (users.Service does): a
// user disabled, deleted or given another role since the face built the
// actor acts with what the store says now, or not at all. For an API user
// it also records the credential's use in tx.
type Resolver interface {
	Resolve(tx *store.Txn, a access.Actor) (access.Principal, error)
}

// Act runs one use case for actor a in one transaction: resolve a, run fn,
// append the record of its success. fn may fill in the record (a readable
// target, a reason). A refusal (any *apperr.Error, from resolve or fn) is
// recorded on its own, since the refused transaction wrote nothing.
func (l *Log) Act(st *store.Store, r Resolver, a access.Actor, op, target string, fn func(tx *store.Txn, p access.Principal, rec *Record) error) error {
	rec := Record{Actor: a.Username, ActorKind: string(a.Kind), Source: a.Source, Operation: op, Target: target}
	err := st.Update(func(tx *store.Txn) error {
		r2 := rec
		p, err := r.Resolve(tx, a)
		if err != nil {
			return err
		}
		r2.ActorName = p.FullName
		if err := fn(tx, p, &r2); err != nil {
			rec = r2 // keep what fn learned for the refusal's record
			return err
		}
		r2.Result, r2.Reason = Success, withApp(r2.Reason, a.App)
		_, err = l.Append(tx, r2)
		return err
	})
	if e := apperr.As(err); e != nil {
		rec.Result, rec.Reason = Failure, withApp(e.Message, a.App)
		l.Record(st, rec)
		return err
	}
	return wrap(op, target, err)
}

// SnapshotResolver is a Resolver that can also decide an actor in a
// read-only transaction, from a snapshot whose currency it can tell
// (users.Service does, with a generation counter).
type SnapshotResolver interface {
	Resolver
	// Generation is the current generation of what resolving reads.
	Generation() uint64
	// ResolveRead resolves a without writing, in tx opened after gen was
	// read (so a change tx does not see shows as a newer generation).
	ResolveRead(tx *store.Txn, a access.Actor, gen uint64) (access.Principal, error)
	// Changed reports whether anything ResolveRead reads has changed since
	// generation gen, committed or earlier in tx's batch (tx nil: outside a
	// commit); asked inside the commit of the call's record.
	Changed(tx *store.Txn, gen uint64) bool
	// Used records the use of a's credential in tx, with the record.
	Used(tx *store.Txn, a access.Actor) error
}

// errStale: the snapshot a Reveal read changed before its record committed.
var errStale = errors.New("actor changed during the read")

// Reveal is Act for a use case that reads and must be audited before its
// answer leaves (a password): fn runs in a read-only transaction, in
// parallel with other calls, and only the record goes through the store's
// single writer. The record commits only if the actor has not changed since
// fn's read (checked inside the commit); otherwise the call runs again as
// Act, deciding on what the store says then. fn must not write. Without a
// SnapshotResolver it is Act.
func (l *Log) Reveal(st *store.Store, r Resolver, a access.Actor, op, target string, fn func(tx *store.Txn, p access.Principal, rec *Record) error) error {
	sr, ok := r.(SnapshotResolver)
	if !ok {
		return l.Act(st, r, a, op, target, fn)
	}
	rec := Record{Actor: a.Username, ActorKind: string(a.Kind), Source: a.Source, Operation: op, Target: target}
	gen := sr.Generation() // before the read's transaction opens
	err := st.View(func(tx *store.Txn) error {
		p, err := sr.ResolveRead(tx, a, gen)
		if err != nil {
			return err
		}
		rec.ActorName = p.FullName
		return fn(tx, p, &rec)
	})
	if err != nil {
		if sr.Changed(nil, gen) {
			return l.Act(st, r, a, op, target, fn) // decide the refusal on the present
		}
		if e := apperr.As(err); e != nil {
			rec.Result, rec.Reason = Failure, withApp(e.Message, a.App)
			l.Record(st, rec)
			return err
		}
		return wrap(op, target, err)
	}
	rec.Result, rec.Reason = Success, withApp(rec.Reason, a.App)
	err = st.Update(func(tx *store.Txn) error {
		if sr.Changed(tx, gen) {
			return errStale
		}
		if err := sr.Used(tx, a); err != nil {
			return err
		}
		_, err := l.Append(tx, rec)
		return err
	})
	if errors.Is(err, errStale) {
		return l.Act(st, r, a, op, target, fn)
	}
	return wrap(op, target, err)
}

// withApp adds the client application's name to a record's reason.
func withApp(reason, app string) string {
	if app == "" {
		return reason
	}
	return strings.TrimSpace(reason + " app: " + app)
}

// wrap names the use case in an internal error (the log keeps it; people
// see "internal error"). Refusals stay as they are.
func wrap(op, target string, err error) error {
	if err == nil || apperr.As(err) != nil {
		return err
	}
	return fmt.Errorf("%s %q: %w", op, target, err)
}

// Read runs a read for actor a. An operator's reads are not audited and
// run in a read-only transaction; every call of an API user is audited
// (PRODUCT.md §4), so theirs run through Act.
func (l *Log) Read(st *store.Store, r Resolver, a access.Actor, op, target string, fn func(tx *store.Txn, p access.Principal, rec *Record) error) error {
	if a.Kind == access.KindAPI {
		return l.Reveal(st, r, a, op, target, fn)
	}
	return wrap(op, target, st.View(func(tx *store.Txn) error {
		p, err := r.Resolve(tx, a)
		if err != nil {
			return err
		}
		return fn(tx, p, &Record{})
	}))
}
