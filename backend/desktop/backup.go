package desktop

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/backup"
	"hostbound/backend/core"
	"hostbound/backend/services"
)

// Wails events of a running backup or restore, with a BackupProgress.
const (
	BackupProgressEvent  = "backup-progress"
	RestoreProgressEvent = "restore-progress"
)

// BackupFileExtension is the extension the save dialog proposes.
const BackupFileExtension = ".hostbound-backup"

// BackupDialogs are the native dialogs of Settings → Backup and Restore
// from a backup. Each returns "" when the operator cancels.
type BackupDialogs interface {
	SaveBackupFile(defaultName string) (string, error)
	OpenBackupFile() (string, error)
}

// WailsBackupDialogs are the window's own dialogs; ctx returns the context
// Wails started the app with (nil before startup).
func WailsBackupDialogs(ctx func() context.Context) BackupDialogs { return wailsBackupDialogs{ctx} }

type wailsBackupDialogs struct{ ctx func() context.Context }

var backupFilters = []runtime.FileFilter{
	{DisplayName: "Hostbound backups (*" + BackupFileExtension + ")", Pattern: "*" + BackupFileExtension},
	{DisplayName: "All files", Pattern: "*"},
}

func (d wailsBackupDialogs) SaveBackupFile(name string) (string, error) {
	return runtime.SaveFileDialog(d.ctx(), runtime.SaveDialogOptions{Title: "Save the backup", DefaultFilename: name,
		CanCreateDirectories: true, Filters: backupFilters})
}

func (d wailsBackupDialogs) OpenBackupFile() (string, error) {
	return runtime.OpenFileDialog(d.ctx(), runtime.OpenDialogOptions{Title: "Open a backup", Filters: backupFilters})
}

// Backup is bound to the frontend: Settings → Backup ("Create backup…",
// "Restore from backup…") and "Restore from a backup" on the first-run and
// unlock screens. The rules live in backup (who may take one, the
// passphrase) and core (verify the whole file before anything is
// replaced); this face picks the files, reports progress as events and
// ends the session after a restore.
type Backup struct {
	s       *Session
	dialogs BackupDialogs

	mu      sync.Mutex
	running bool // a backup or restore runs
}

// NewBackup returns the Backup facade over a session.
func NewBackup(s *Session, d BackupDialogs) *Backup { return &Backup{s: s, dialogs: d} }

// BackupProgress is done of total store entries written or read so far.
type BackupProgress struct {
	Done  int `json:"done"`
	Total int `json:"total"`
}

// BackupRequest is the Create backup form: the file (from
// ChooseBackupFile) and the passphrase twice.
type BackupRequest struct {
	Path              string `json:"path"`
	Passphrase        string `json:"passphrase"`
	ConfirmPassphrase string `json:"confirmPassphrase"`
}

// BackupResult is a written backup; CreatedAt is RFC 3339.
type BackupResult struct {
	Path         string `json:"path"`
	Records      int    `json:"records"`
	Bytes        int64  `json:"bytes"`
	AuditRecords uint64 `json:"auditRecords"`
	CreatedAt    string `json:"createdAt"`
}

// RestoreRequest is the Restore from backup form. NewPassphrase is asked
// for when NeedsNewPassphrase says so (no usable OS keyring).
type RestoreRequest struct {
	File          string `json:"file"`
	Passphrase    string `json:"passphrase"`
	NewPassphrase string `json:"newPassphrase"`
}

// RestoreResult says what a restore did: the backup's date and counts,
// where the data before it was moved (Aside, "" when there was none), and
// the app's state after it (the login screen: the session has ended).
type RestoreResult struct {
	File         string   `json:"file"`
	Records      int      `json:"records"`
	AuditRecords uint64   `json:"auditRecords"`
	CreatedAt    string   `json:"createdAt"`
	Aside        string   `json:"aside"`
	State        AppState `json:"state"`
}

// RestoreInfo is what the restore dialog says before it runs: where the
// current data would be kept aside, and whether a new passphrase is needed
// for the restored master key.
type RestoreInfo struct {
	DataDir            string `json:"dataDir"`
	HasData            bool   `json:"hasData"`
	AsidePattern       string `json:"asidePattern"`
	NeedsNewPassphrase bool   `json:"needsNewPassphrase"`
	MinPassphrase      int    `json:"minPassphrase"`
}

// ChooseBackupFile asks where to write a backup; "" when cancelled.
func (b *Backup) ChooseBackupFile() (string, error) {
	if err := b.s.run("choose backup file", func(access.Actor, *services.Services) error { return nil }); err != nil {
		return "", err
	}
	name := "hostbound-" + b.s.cfg.Clock().Format("20060102-150405") + BackupFileExtension
	path, err := b.dialogs.SaveBackupFile(name)
	if err != nil {
		return "", b.failLocked("choose backup file", err)
	}
	return path, nil
}

// ChooseRestoreFile asks for the backup to restore; "" when cancelled. It
// needs no login: the first-run and unlock screens offer a restore.
func (b *Backup) ChooseRestoreFile() (string, error) {
	path, err := b.dialogs.OpenBackupFile()
	if err != nil {
		return "", b.failLocked("choose restore file", err)
	}
	return path, nil
}

// CreateBackup writes an encrypted backup of the whole vault to req.Path.
// The session is checked under its lock; the backup (about a second of
// scrypt, then the data) runs outside it, with BackupProgressEvent events.
func (b *Backup) CreateBackup(req BackupRequest) (BackupResult, error) {
	const op = "create backup"
	var actor access.Actor
	var svc *services.Services
	if err := b.s.run(op, func(a access.Actor, s *services.Services) error {
		var f apperr.Form
		if strings.TrimSpace(req.Path) == "" {
			f.Add("path", "Backup file: choose where to save the backup")
		}
		f.Check(backup.CheckPassphrase(req.Passphrase))
		if req.ConfirmPassphrase != req.Passphrase {
			f.Add("confirmPassphrase", "Confirm Passphrase: does not match the passphrase")
		}
		if err := f.Err(); err != nil {
			return err
		}
		actor, svc = a, s
		return nil
	}); err != nil {
		return BackupResult{}, err
	}
	if err := b.begin(); err != nil {
		return BackupResult{}, b.failLocked(op, err)
	}
	defer b.end()
	h, err := svc.Backup.Backup(actor, req.Path, req.Passphrase, func(done, total int) {
		b.s.emit(BackupProgressEvent, BackupProgress{Done: done, Total: total})
	})
	if err != nil {
		return BackupResult{}, b.failLocked(op, err)
	}
	out := BackupResult{Path: req.Path, Records: h.Records, AuditRecords: h.AuditCount, CreatedAt: h.CreatedAt.UTC().Format(time.RFC3339)}
	if fi, err := os.Stat(req.Path); err == nil {
		out.Bytes = fi.Size()
	}
	b.s.log.WithFields(logrus.Fields{"op": op, "user": actor.Username, "records": h.Records}).Info("backup written")
	return out, nil
}

// GetRestoreInfo tells the restore dialog what a restore here would do.
func (b *Backup) GetRestoreInfo() RestoreInfo {
	b.s.mu.Lock()
	ls := b.s.life.State() // life is swapped (sample data) under mu
	b.s.mu.Unlock()
	info := RestoreInfo{DataDir: ls.DataDir, HasData: ls.KeyStorage != "", AsidePattern: ls.DataDir + ".before-restore-<time>",
		MinPassphrase: backup.MinPassphraseLen}
	// As core decides: a passphrase-mode directory stays one, and a new
	// directory uses the keyring when it works.
	info.NeedsNewPassphrase = ls.KeyStorage == "passphrase" || (ls.KeyStorage == "" && ls.KeyringProblem != "")
	return info
}

// RestoreBackup replaces the vault with the backup in req.File. Logged in,
// the operator needs Run backups; on the first-run, unlock and locked
// screens there is nobody to ask, and holding the file and its passphrase
// is the authority (core.RestoreRequest). Nothing is replaced until the
// whole file and its audit chain verify; a wrong passphrase, a truncated,
// tampered or foreign file leave the current data as it was. After a
// restore the session ends: the restored vault has the backup's users.
func (b *Backup) RestoreBackup(req RestoreRequest) (RestoreResult, error) {
	const op = "restore backup"
	s := b.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sample != nil {
		// A real backup must not go into the sample, nor leave with it.
		return RestoreResult{}, s.fail(op, apperr.New(apperr.Conflict, "Leave the sample data to restore a backup"))
	}
	var actor access.Actor
	switch s.state().Phase {
	case PhaseReady:
		a, _, err := s.authorize(op)
		if err != nil {
			return RestoreResult{}, err
		}
		actor = a
	case PhaseLogin:
		return RestoreResult{}, s.fail(op, apperr.New(apperr.Unauthenticated, "Log in to restore a backup"))
	default:
		actor = access.Actor{Source: access.SourceDesktop}
	}
	var f apperr.Form
	if strings.TrimSpace(req.File) == "" {
		f.Add("file", "Backup file: choose the backup to restore")
	}
	if req.Passphrase == "" {
		f.Add("passphrase", "Backup passphrase: required")
	}
	if err := f.Err(); err != nil {
		return RestoreResult{}, s.fail(op, err)
	}
	if err := b.begin(); err != nil {
		return RestoreResult{}, s.fail(op, err)
	}
	defer b.end()
	// The chain verification of the open vault must not read a store the
	// swap closes.
	s.verifying.Wait()
	res, err := s.life.Restore(core.RestoreRequest{File: req.File, Passphrase: req.Passphrase, NewPassphrase: req.NewPassphrase,
		Actor: actor, Progress: func(done, total int) {
			s.emit(RestoreProgressEvent, BackupProgress{Done: done, Total: total})
		}})
	if err != nil {
		// The vault is as it was: untouched, or put back and reopened (then
		// the API server and the verification start over it again).
		s.startOpen()
		return RestoreResult{}, s.fail(op, restoreFieldError(err))
	}
	if s.actor != nil {
		// The operator's user may not even exist in the restored vault, whose
		// trail records the restore itself.
		s.log.WithFields(logrus.Fields{"op": "logout", "user": s.actor.Username}).Info("session ended by a restore")
		s.actor, s.pendingKey = nil, nil
	}
	s.integrity = IntegrityResult{}
	s.startOpen()
	s.log.WithFields(logrus.Fields{"op": op, "user": actor.Username, "records": res.Header.Records, "aside": res.Aside}).
		Info("vault restored from backup")
	return RestoreResult{File: req.File, Records: res.Header.Records, AuditRecords: res.Header.AuditCount,
		CreatedAt: res.Header.CreatedAt.UTC().Format(time.RFC3339), Aside: res.Aside, State: s.state()}, nil
}

// restoreFieldError names the field a refusal is about, so the dialog
// shows it next to it: the passphrase for a wrong one, the file for a file
// that is not a (whole, intact, readable) backup.
func restoreFieldError(err error) error {
	e := apperr.As(err)
	if e == nil || e.Field != "" {
		return err
	}
	field := ""
	switch {
	case errors.Is(err, backup.ErrWrongPassphrase):
		field = "passphrase"
	case errors.Is(err, backup.ErrNotBackup), errors.Is(err, backup.ErrTruncated), errors.Is(err, backup.ErrTampered),
		errors.Is(err, backup.ErrNewerFormat), errors.Is(err, os.ErrNotExist), errors.Is(err, os.ErrPermission):
		field = "file"
	default:
		return err
	}
	out := *e
	out.Field = field
	return &out
}

// begin marks a backup or restore as running: one at a time.
func (b *Backup) begin() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.running {
		return apperr.New(apperr.Conflict, "A backup or restore is already running")
	}
	b.running = true
	return nil
}

func (b *Backup) end() {
	b.mu.Lock()
	b.running = false
	b.mu.Unlock()
}

// failLocked is Session.fail under the session lock.
func (b *Backup) failLocked(op string, err error) error {
	b.s.mu.Lock()
	defer b.s.mu.Unlock()
	return b.s.fail(op, fmt.Errorf("%s: %w", op, err))
}
