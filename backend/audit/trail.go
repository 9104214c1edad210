package audit

import (
	"fmt"
	"io"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/store"
)

// Trail is the audit trail as people read it: every read takes the actor
// and needs audit.view. Reading the trail is itself audited where it
// takes data away (export) or judges it (verify).
type Trail struct {
	st       *store.Store
	log      *Log
	resolver Resolver
}

// NewTrail returns the readers' side of log.
func NewTrail(st *store.Store, log *Log, r Resolver) *Trail {
	return &Trail{st: st, log: log, resolver: r}
}

func mayView(p access.Principal) error {
	if !p.Has(access.AuditView) {
		return apperr.New(apperr.Forbidden, "You are not allowed to view the audit trail")
	}
	return nil
}

// Preload loads what queries filter on now rather than on the first query
// (the desktop does on opening: about 4 s at 1,000,000 records).
func (t *Trail) Preload() error { return t.log.LoadColumns(t.st) }

// Query returns a page of the filtered trail, newest first.
func (t *Trail) Query(a access.Actor, f Filter, before uint64, limit int) (Page, error) {
	var out Page
	if err := t.log.LoadColumns(t.st); err != nil { // once, outside the reader's snapshot
		return out, fmt.Errorf("audit columns: %w", err)
	}
	err := t.log.Read(t.st, t.resolver, a, "view audit trail", "", func(tx *store.Txn, p access.Principal, _ *Record) error {
		if err := mayView(p); err != nil {
			return err
		}
		var err error
		out, err = t.log.Query(tx, f, before, limit)
		return err
	})
	return out, err
}

// Export writes the filtered trail to w as CSV or JSON Lines and records
// the export (name is what the export is called, e.g. its file name).
func (t *Trail) Export(a access.Actor, name, format string, f Filter, w io.Writer, progress func(int)) (int, error) {
	if format != CSV && format != JSONL {
		return 0, apperr.Field("format", "Format: CSV or JSON Lines")
	}
	if err := t.log.LoadColumns(t.st); err != nil {
		return 0, fmt.Errorf("audit columns: %w", err)
	}
	var n int
	var who access.Principal
	// A long export runs in a read transaction; its record follows.
	err := t.log.Read(t.st, t.resolver, a, "export audit trail", name, func(tx *store.Txn, p access.Principal, _ *Record) error {
		if err := mayView(p); err != nil {
			return err
		}
		who = p
		var err error
		n, err = t.log.Export(tx, f, format, w, progress)
		return err
	})
	if err != nil {
		return n, err
	}
	t.log.Record(t.st, Record{Actor: a.Username, ActorName: who.FullName, ActorKind: string(a.Kind), Source: a.Source,
		Operation: "export audit trail", Target: name, Result: Success, Reason: fmt.Sprintf("%d records, %s", n, format)})
	return n, nil
}

// Verify walks the whole chain for a and records the outcome.
func (t *Trail) Verify(a access.Actor) (uint64, error) { return t.VerifyProgress(a, nil) }

// VerifyProgress is Verify telling progress how many records it checked.
func (t *Trail) VerifyProgress(a access.Actor, progress func(checked uint64)) (uint64, error) {
	var n uint64
	var verr error
	var who access.Principal
	err := t.log.Read(t.st, t.resolver, a, "verify audit trail", "", func(tx *store.Txn, p access.Principal, _ *Record) error {
		if err := mayView(p); err != nil {
			return err
		}
		who = p
		n, verr = t.log.VerifyProgress(tx, progress)
		return nil
	})
	if err != nil {
		return 0, err
	}
	rec := Record{Actor: a.Username, ActorName: who.FullName, ActorKind: string(a.Kind), Source: a.Source,
		Operation: "verify audit trail", Result: Success, Reason: fmt.Sprintf("All %d records verified", n)}
	if verr != nil {
		rec.Result, rec.Reason = Failure, verr.Error()
	}
	t.log.Record(t.st, rec)
	return n, verr
}

// VerifyAll walks the whole chain as the system (at unlock).
func (t *Trail) VerifyAll() (uint64, error) {
	var n uint64
	var verr error
	err := t.st.View(func(tx *store.Txn) error {
		n, verr = t.log.Verify(tx)
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, verr
}

// Count returns the number of records (Settings shows it).
func (t *Trail) Count() (uint64, error) {
	var n uint64
	err := t.st.View(func(tx *store.Txn) error {
		var err error
		n, err = t.log.Count(tx)
		return err
	})
	return n, err
}

// Refuse records that a face refused a's request before any use case could
// take it (a command it could not parse, a PTY or a shell asked for): a
// failure with its reason, like every other refusal. target and reason
// must not hold what the client typed as secret values.
func (t *Trail) Refuse(a access.Actor, op, target, reason string) {
	_ = t.log.Act(t.st, t.resolver, a, op, target, func(*store.Txn, access.Principal, *Record) error {
		return apperr.New(apperr.Invalid, "%s", reason)
	})
}
