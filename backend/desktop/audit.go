package desktop

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/store"
	"hostbound/backend/users"
)

// Audit is bound to the frontend: the Audit and Reports screens.
type Audit struct{ s *Session }

// NewAudit returns the Audit facade over a session.
func NewAudit(s *Session) *Audit { return &Audit{s: s} }

// AuditFilter is the Audit screen's filter. Times are RFC 3339 or "".
type AuditFilter struct {
	From      string `json:"from"`
	To        string `json:"to"`
	Actor     string `json:"actor"`
	Operation string `json:"operation"`
	Target    string `json:"target"`
	Result    string `json:"result"`
	Source    string `json:"source"`
}

// AuditRecord is one record as the screen shows it.
type AuditRecord struct {
	Seq       uint64 `json:"seq"`
	Time      string `json:"time"`
	Actor     string `json:"actor"`
	ActorName string `json:"actorName"`
	ActorKind string `json:"actorKind"`
	Source    string `json:"source"`
	Operation string `json:"operation"`
	Target    string `json:"target"`
	Result    string `json:"result"`
	Reason    string `json:"reason"`
	Hash      string `json:"hash"`
}

// AuditPage is a page of records; Next is the cursor of the next page
// (0: no more).
type AuditPage struct {
	Records []AuditRecord `json:"records"`
	Next    uint64        `json:"next"`
}

// IntegrityResult is the outcome of a chain verification.
type IntegrityResult struct {
	Checked bool   `json:"checked"` // false while the first check runs
	OK      bool   `json:"ok"`
	Records uint64 `json:"records"`
	Message string `json:"message"`
	At      string `json:"at"`
}

// ExportResult says where an export went.
type ExportResult struct {
	Path    string `json:"path"`
	Records int    `json:"records"`
}

func (a *Audit) run(op string, p access.Permission, fn func(u *users.User) error) error {
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	return a.check(op, p, fn)
}

// check authorizes the operator for p and runs fn; called with mu held.
func (a *Audit) check(op string, p access.Permission, fn func(u *users.User) error) error {
	u, err := a.s.authorize(op)
	if err != nil {
		return err
	}
	if r, _ := a.s.users.RoleOf(u); !r.Has(p) {
		return a.s.fail(op, apperr.New(apperr.Forbidden, "You are not allowed to %s", op))
	}
	if err := fn(u); err != nil {
		return a.s.fail(op, err)
	}
	return nil
}

func parseFilter(f AuditFilter) (audit.Filter, error) {
	out := audit.Filter{Actor: strings.TrimSpace(f.Actor), Operation: strings.TrimSpace(f.Operation), Target: strings.TrimSpace(f.Target),
		Result: strings.TrimSpace(f.Result), Source: strings.TrimSpace(f.Source)}
	for _, t := range []struct {
		field, label, v string
		dst             *time.Time
	}{{"from", "From", f.From, &out.From}, {"to", "To", f.To, &out.To}} {
		if t.v == "" {
			continue
		}
		v, err := time.Parse(time.RFC3339, t.v)
		if err != nil {
			return out, apperr.Field(t.field, "%s: not a date and time", t.label)
		}
		*t.dst = v
	}
	if !out.From.IsZero() && !out.To.IsZero() && !out.From.Before(out.To) {
		return out, apperr.Field("to", "To: must be after From")
	}
	return out, nil
}

func recordView(r audit.Record) AuditRecord {
	return AuditRecord{Seq: r.Seq, Time: r.Time.UTC().Format(time.RFC3339Nano), Actor: r.Actor, ActorName: r.ActorName,
		ActorKind: r.ActorKind, Source: r.Source, Operation: r.Operation, Target: r.Target, Result: r.Result, Reason: r.Reason, Hash: r.Hash}
}

// QueryAudit returns a page of the filtered trail, newest first; before is
// the previous page's Next (0 for the first page).
func (a *Audit) QueryAudit(f AuditFilter, before uint64, limit int) (AuditPage, error) {
	var out AuditPage
	err := a.run("view the audit trail", access.AuditView, func(*users.User) error {
		flt, err := parseFilter(f)
		if err != nil {
			return err
		}
		return a.s.st.View(func(tx *store.Txn) error {
			p, err := a.s.audit.Query(tx, flt, before, limit)
			out.Next = p.Next
			out.Records = make([]AuditRecord, len(p.Records))
			for i, r := range p.Records {
				out.Records[i] = recordView(r)
			}
			return err
		})
	})
	return out, err
}

// VerifyAudit walks the whole chain now.
func (a *Audit) VerifyAudit() (IntegrityResult, error) {
	var out IntegrityResult
	err := a.run("verify the audit trail", access.AuditView, func(u *users.User) error {
		out = a.s.verifyAudit()
		result := audit.Success
		if !out.OK {
			result = audit.Failure
		}
		a.s.audit.Record(a.s.st, audit.Record{Actor: u.Username, ActorName: u.FullName, ActorKind: audit.ActorOperator,
			Source: "desktop", Operation: "verify audit trail", Result: result, Reason: out.Message})
		return nil
	})
	return out, err
}

// GetAuditIntegrity returns the last verification (the one run at unlock,
// or the last button press).
func (a *Audit) GetAuditIntegrity() IntegrityResult {
	a.s.mu.Lock()
	defer a.s.mu.Unlock()
	return a.s.integrity
}

// ExportAudit writes the filtered trail as CSV or JSON Lines to the user's
// Downloads folder (or the data directory when there is none) and returns
// the path. Progress goes out as "audit-export-progress" events; the export
// itself is audited.
func (a *Audit) ExportAudit(format string, f AuditFilter) (ExportResult, error) {
	const op = "export the audit trail"
	// Check the caller under the session lock, then export without it: a
	// long export must not hold up every other call (and the idle timer).
	a.s.mu.Lock()
	var u *users.User
	err := a.check(op, access.AuditView, func(x *users.User) error { u = x; return nil })
	st, log, dir := a.s.st, a.s.audit, a.s.exportDir()
	a.s.mu.Unlock()
	if err != nil {
		return ExportResult{}, err
	}
	out, err := a.export(st, log, dir, u, format, f)
	if err != nil {
		a.s.mu.Lock()
		defer a.s.mu.Unlock()
		return ExportResult{}, a.s.fail(op, err)
	}
	return out, nil
}

func (a *Audit) export(st *store.Store, log *audit.Log, dir string, u *users.User, format string, f AuditFilter) (ExportResult, error) {
	var out ExportResult
	if format != audit.CSV && format != audit.JSONL {
		return out, apperr.Field("format", "Format: CSV or JSON Lines")
	}
	flt, err := parseFilter(f)
	if err != nil {
		return out, err
	}
	name := fmt.Sprintf("hostbound-audit-%s.%s", a.s.cfg.Clock().UTC().Format("20060102-150405"), format)
	out.Path = filepath.Join(dir, name)
	file, err := os.OpenFile(out.Path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return out, apperr.Wrap(apperr.Internal, err, "cannot write %s", out.Path)
	}
	err = st.View(func(tx *store.Txn) error {
		var err error
		out.Records, err = log.Export(tx, flt, format, file, func(n int) { a.s.emit("audit-export-progress", n) })
		return err
	})
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out.Path)
		return out, err
	}
	log.Record(st, audit.Record{Actor: u.Username, ActorName: u.FullName, ActorKind: audit.ActorOperator,
		Source: "desktop", Operation: "export audit trail", Target: name, Result: audit.Success,
		Reason: fmt.Sprintf("%d records, %s", out.Records, format)})
	return out, nil
}

// exportDir is ~/Downloads when it exists, else the data directory.
func (s *Session) exportDir() string {
	if s.cfg.ExportDir != "" {
		return s.cfg.ExportDir
	}
	if home, err := os.UserHomeDir(); err == nil {
		d := filepath.Join(home, "Downloads")
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			return d
		}
	}
	return s.cfg.DataDir
}

func (s *Session) emit(event string, data any) {
	if s.cfg.Emit != nil {
		s.cfg.Emit(event, data)
	}
}

// verifyAudit walks the chain and keeps the result. Called with mu held.
func (s *Session) verifyAudit() IntegrityResult {
	s.integrity = verifyChain(s.st, s.audit, s.cfg.Clock)
	return s.integrity
}

// verifyChain walks the whole audit chain.
func verifyChain(st *store.Store, log *audit.Log, clock func() time.Time) IntegrityResult {
	var res IntegrityResult
	err := st.View(func(tx *store.Txn) error {
		n, err := log.Verify(tx)
		res.Records = n
		return err
	})
	res.Checked, res.OK, res.At = true, err == nil, clock().UTC().Format(time.RFC3339)
	if err != nil {
		res.Message = err.Error()
	} else {
		res.Message = fmt.Sprintf("All %d records verified", res.Records)
	}
	return res
}

// ReportView is the Reports screen.
type ReportView struct {
	KeyStatus    map[string]int `json:"keyStatus"`
	ExpiringSoon []UserRow      `json:"expiringSoon"`
	IdleKeys     []UserRow      `json:"idleKeys"`
	SuperAdmins  []UserRow      `json:"superAdmins"`
	PerHost      []HostCount    `json:"perHost"`
}

// HostCount is the number of API users bound to a host.
type HostCount struct {
	Host  string `json:"host"`
	Count int    `json:"count"`
}

// GetReports computes the reports now.
func (a *Audit) GetReports() (ReportView, error) {
	var out ReportView
	err := a.run("view reports", access.ReportsView, func(*users.User) error {
		u := &Users{s: a.s}
		rep := a.s.users.Report(a.s.cfg.Clock(), func(r *users.Row) bool {
			_, super := a.s.users.RoleOf(&users.User{Role: r.Role, Scope: r.Scope})
			return r.Scope == access.ScopeAll && super
		})
		rows := func(rs []*users.Row) []UserRow {
			out := make([]UserRow, len(rs))
			for i, r := range rs {
				out[i] = u.row(r)
			}
			return out
		}
		out = ReportView{KeyStatus: rep.KeyStatus, ExpiringSoon: rows(rep.ExpiringSoon), IdleKeys: rows(rep.IdleKeys),
			SuperAdmins: rows(rep.SuperAdmins)}
		for _, h := range rep.PerHost {
			out.PerHost = append(out.PerHost, HostCount(h))
		}
		return nil
	})
	return out, err
}
