package desktop

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/samber/lo"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/services"
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
	// Prev is the previous record's hash ("" for the first record) and
	// Hash this one's: the chain the details show.
	Prev string `json:"prev"`
	Hash string `json:"hash"`
	// Version is the encoding version Hash covers (0: before versions).
	Version int `json:"version"`
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
		ActorKind: r.ActorKind, Source: r.Source, Operation: r.Operation, Target: r.Target, Result: r.Result, Reason: r.Reason, Prev: r.Prev, Hash: r.Hash, Version: r.V}
}

// QueryAudit returns a page of the filtered trail, newest first; before is
// the previous page's Next (0 for the first page).
func (a *Audit) QueryAudit(f AuditFilter, before uint64, limit int) (AuditPage, error) {
	var out AuditPage
	err := a.s.run("view the audit trail", func(actor access.Actor, svc *services.Services) error {
		flt, err := parseFilter(f)
		if err != nil {
			return err
		}
		p, err := svc.Trail.Query(actor, flt, before, limit)
		out.Next = p.Next
		out.Records = lo.Map(p.Records, func(r audit.Record, _ int) AuditRecord { return recordView(r) })
		return err
	})
	return out, err
}

// VerifyAudit walks the whole chain now.
func (a *Audit) VerifyAudit() (IntegrityResult, error) {
	var out IntegrityResult
	err := a.s.run("verify the audit trail", func(actor access.Actor, svc *services.Services) error {
		n, verr := svc.Trail.Verify(actor)
		if apperr.As(verr) != nil {
			return verr // refused
		}
		out = integrity(n, verr, a.s.cfg.Clock)
		a.s.integrity = out
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
	var actor access.Actor
	var svc *services.Services
	if err := a.s.run(op, func(x access.Actor, s *services.Services) error { actor, svc = x, s; return nil }); err != nil {
		return ExportResult{}, err
	}
	out, err := a.export(actor, svc, a.s.exportDir(), format, f)
	if err != nil {
		a.s.mu.Lock()
		defer a.s.mu.Unlock()
		return ExportResult{}, a.s.fail(op, err)
	}
	return out, nil
}

func (a *Audit) export(actor access.Actor, svc *services.Services, dir, format string, f AuditFilter) (ExportResult, error) {
	var out ExportResult
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
	out.Records, err = svc.Trail.Export(actor, name, format, flt, file, func(n int) { a.s.emit("audit-export-progress", n) })
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out.Path)
		return out, err
	}
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
	return s.life.State().DataDir
}

func (s *Session) emit(event string, data any) {
	if s.cfg.Emit != nil {
		s.cfg.Emit(event, data)
	}
}

// verifyChain walks the whole audit chain as the system (at unlock).
func verifyChain(svc *services.Services, clock func() time.Time) IntegrityResult {
	n, err := svc.Trail.VerifyAll()
	return integrity(n, err, clock)
}

func integrity(n uint64, err error, clock func() time.Time) IntegrityResult {
	res := IntegrityResult{Checked: true, OK: err == nil, Records: n, At: clock().UTC().Format(time.RFC3339)}
	if err != nil {
		res.Message = err.Error()
	} else {
		res.Message = fmt.Sprintf("All %d records verified", n)
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
	err := a.s.run("view reports", func(actor access.Actor, svc *services.Services) error {
		now := a.s.cfg.Clock()
		rep, err := svc.Users.Report(actor, now)
		if err != nil {
			return err
		}
		out = ReportView{KeyStatus: rep.KeyStatus, ExpiringSoon: rows(rep.ExpiringSoon, rep.Roles, now),
			IdleKeys: rows(rep.IdleKeys, rep.Roles, now), SuperAdmins: rows(rep.SuperAdmins, rep.Roles, now),
			PerHost: lo.Map(rep.PerHost, func(h users.HostCount, _ int) HostCount { return HostCount(h) })}
		return nil
	})
	return out, err
}
