package audit

import (
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
		return l.Act(st, r, a, op, target, fn)
	}
	return wrap(op, target, st.View(func(tx *store.Txn) error {
		p, err := r.Resolve(tx, a)
		if err != nil {
			return err
		}
		return fn(tx, p, &Record{})
	}))
}
