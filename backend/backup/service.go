package backup

import (
	"fmt"
	"io"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/store"
)

// Service is the backup use case over one open store: who may take a
// backup, and the audit record of every attempt.
type Service struct {
	st       *store.Store
	master   []byte
	log      *audit.Log
	resolver audit.Resolver
	clock    func() time.Time
	params   Params
}

// NewService returns the use case over st, whose master key is master.
func NewService(st *store.Store, master []byte, log *audit.Log, r audit.Resolver, clock func() time.Time, p Params) *Service {
	return &Service{st: st, master: master, log: log, resolver: r, clock: clock, params: p}
}

// Operation is the audit operation of a backup (and Restore's, "restore").
const (
	Operation        = "backup"
	RestoreOperation = "restore"
)

// Backup writes a backup of the whole vault to the file at path for actor
// a, an operator who needs backup.run (Run backups). The actor is checked and the data
// read in one read transaction, so the file is the vault as it was when a
// was allowed; nothing is written when a is refused. The outcome is
// audited as "backup" with the file as target (the record itself is not in
// the file, which was taken before it).
func (s *Service) Backup(a access.Actor, path, passphrase string, progress func(done, total int)) (Header, error) {
	var h Header
	var who access.Principal
	err := s.st.View(func(tx *store.Txn) error {
		if a.Kind == access.KindAPI {
			// Backups are taken by operators (desktop, CLI); no API offers them.
			return apperr.New(apperr.Forbidden, "API users cannot run backups")
		}
		p, err := s.resolver.Resolve(tx, a)
		if err != nil {
			return err
		}
		who = p
		if !p.Has(access.BackupRun) {
			return apperr.New(apperr.Forbidden, "You are not allowed to run backups")
		}
		if err := CheckPassphrase(passphrase); err != nil {
			return err
		}
		return writeAtomic(path, func(w io.Writer) error {
			var err error
			h, err = s.params.WriteTxn(tx, s.master, w, passphrase, s.clock(), progress)
			return err
		})
	})
	rec := audit.Record{Actor: a.Username, ActorName: who.FullName, ActorKind: string(a.Kind), Source: a.Source,
		Operation: Operation, Target: path}
	switch e := apperr.As(err); {
	case err == nil:
		rec.Result, rec.Reason = audit.Success, fmt.Sprintf("%d records, audit trail to record %d", h.Records, h.AuditCount)
	case e != nil:
		rec.Result, rec.Reason = audit.Failure, e.Message
	default:
		rec.Result, rec.Reason = audit.Failure, "the backup file could not be written"
		err = fmt.Errorf("backup to %q: %w", path, err)
	}
	s.log.Record(s.st, rec)
	return h, err
}
