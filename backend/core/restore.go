package core

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/backup"
	"hostbound/backend/datadir"
	"hostbound/backend/masterkey"
	"hostbound/backend/services"
	"hostbound/backend/store"
)

// RestoreRequest is what a restore needs.
type RestoreRequest struct {
	File       string // the backup file
	Passphrase string // the backup's passphrase
	// NewPassphrase wraps the restored master key when this data directory
	// keeps its key under a passphrase (no usable OS keyring); ignored when
	// the key goes to the OS keyring.
	NewPassphrase string
	// Actor is who restores. When the vault is open, it must be an operator
	// with backup.run in the current data; otherwise (first run, locked,
	// waiting for the passphrase) there is nobody to check it against, and
	// holding the file, its passphrase and the data directory is the
	// authority. It is named in the restored trail's record either way.
	Actor    access.Actor
	Progress func(done, total int) // entries read so far of the total; may be nil
}

// RestoreResult says what a restore did.
type RestoreResult struct {
	Header backup.Header // the backup's header, without the master key
	// Aside is where the data before the restore was moved (its db/ and
	// masterkey.json); "" when there was none. Hostbound never removes it:
	// once the restored vault is known good, the operator deletes it.
	Aside string
}

// restoreMarker is written into the data directory while its contents are
// swapped; Start refuses to open a directory that has one.
const restoreMarker = "restore-in-progress.json"

type marker struct {
	Aside     string `json:"aside"`
	Restoring string `json:"restoring"`
}

// Restore replaces the data directory's vault with the backup in r.File.
//
// It reads and checks the whole file into a fresh directory next to the
// data directory (<dataDir>.restoring-<time>), with the backup's own master
// key (the API keys' pepper and the audit chain's key derive from it), opens
// it, verifies its audit chain against the backup's header and records the
// restore in it. Only then does it swap: the current db/ and masterkey.json
// move to <dataDir>.before-restore-<time>, the restored ones take their
// place, and the vault opens. The master key goes into the OS keyring
// (under a new entry; the old entry stays for the moved-aside data) when the
// directory uses the keyring or is new and the keyring works, else it is
// wrapped with r.NewPassphrase.
//
// Any failure before the swap leaves the current data untouched and removes
// the partial restore; a failure to open the restored vault puts the old
// data back. Refusals are *apperr.Error wrapping backup's sentinels
// (errors.Is(err, backup.ErrWrongPassphrase), …).
//
// The data directory's lock file and log stay where they are: whoever owns
// the Lifecycle holds the directory's lock (the app and serve do, for the
// life of the process), which keeps every other process out meanwhile. Use
// the package-level Restore when the caller does not hold it.
func (l *Lifecycle) Restore(r RestoreRequest) (RestoreResult, error) {
	mode, err := l.beginRestore(r)
	if err != nil {
		return RestoreResult{}, err
	}
	defer func() {
		l.mu.Lock()
		l.restoring = false
		l.mu.Unlock()
	}()
	now := time.Now
	if l.cfg.Clock != nil {
		now = l.cfg.Clock
	}
	stamp := now().UTC().Format("20060102T150405.000Z")
	prep, h, err := l.prepare(r, mode, stamp)
	if err != nil {
		return RestoreResult{}, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	aside, err := l.swap(prep, stamp, h.MasterKey)
	if err != nil {
		os.RemoveAll(prep)
		return RestoreResult{}, err
	}
	h.MasterKey = nil
	l.log.WithField("op", "restore").WithField("aside", aside).Info("vault restored from backup")
	return RestoreResult{Header: h, Aside: aside}, nil
}

// Restore is Lifecycle.Restore for a caller that does not hold the data
// directory (the CLI before it opens it): it takes the lock, refusing while
// the app or serve runs on dataDir, reads where the directory stands,
// restores, and closes it again.
func Restore(dataDir string, kr Keyring, c Config, r RestoreRequest) (RestoreResult, error) {
	if err := datadir.Ensure(dataDir); err != nil {
		return RestoreResult{}, err
	}
	lock, err := datadir.Acquire(dataDir)
	if errors.Is(err, datadir.ErrInUse) {
		return RestoreResult{}, apperr.Wrap(apperr.Conflict, err,
			"Hostbound is running with this data directory; stop it before restoring")
	}
	if err != nil {
		return RestoreResult{}, err
	}
	defer lock.Release()
	l := NewLifecycle(dataDir, kr, c)
	l.Start()
	defer l.Close()
	return l.Restore(r)
}

// beginRestore checks who restores and how the key will be kept, and marks
// the lifecycle busy.
func (l *Lifecycle) beginRestore(r RestoreRequest) (masterkey.Mode, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.restoring {
		return "", apperr.New(apperr.Conflict, "A restore is already running")
	}
	if err := RefuseRestoreIntoPostgres(l.cfg); err != nil {
		return "", err
	}
	if r.Passphrase == "" {
		return "", apperr.Field("passphrase", "Backup passphrase: required")
	}
	if l.svc != nil {
		if err := l.mayRestore(r.Actor); err != nil {
			return "", err
		}
	}
	mode := masterkey.ModeKeyring
	if h, err := l.mk.Header(); (err == nil && h.Mode == masterkey.ModePassphrase) || l.keyring.Probe() != nil {
		mode = masterkey.ModePassphrase
		if len([]rune(r.NewPassphrase)) < masterkey.MinPassphraseLen {
			return "", apperr.Field("newPassphrase", "New passphrase: at least %d characters (it will unlock the restored vault)",
				masterkey.MinPassphraseLen)
		}
	}
	if _, err := os.Stat(r.File); err != nil {
		return "", apperr.Wrap(apperr.Invalid, err, "Backup file: cannot be read")
	}
	l.restoring = true
	return mode, nil
}

// mayRestore checks, in the open vault, that a may replace it, and records
// a refusal there.
func (l *Lifecycle) mayRestore(a access.Actor) error {
	err := l.svc.Store.View(func(tx *store.Txn) error {
		if a.Kind != access.KindOperator {
			return apperr.New(apperr.Forbidden, "Only an operator with Run backups may restore a backup")
		}
		p, err := l.svc.Users.Resolve(tx, a)
		if err != nil {
			return err
		}
		if !p.Has(access.BackupRun) {
			return apperr.New(apperr.Forbidden, "You are not allowed to restore backups")
		}
		return nil
	})
	if e := apperr.As(err); e != nil {
		l.svc.Audit.Record(l.svc.Store, audit.Record{Actor: a.Username, ActorKind: string(a.Kind), Source: a.Source,
			Operation: backup.RestoreOperation, Result: audit.Failure, Reason: e.Message})
	}
	return err
}

// prepare builds the restored data directory next to the data directory
// and returns it with the backup's header. Nothing of the current data is
// touched; on failure nothing of the new one is left.
func (l *Lifecycle) prepare(r RestoreRequest, mode masterkey.Mode, stamp string) (_ string, h backup.Header, err error) {
	dir := l.dir + ".restoring-" + stamp
	if err := os.Mkdir(dir, 0o700); err != nil {
		return "", h, fmt.Errorf("restore: %w", err)
	}
	var st *store.Store
	defer func() {
		if st != nil {
			st.Close()
		}
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	f, err := os.Open(r.File)
	if err != nil {
		return "", h, apperr.Wrap(apperr.Invalid, err, "Backup file: cannot be read")
	}
	defer f.Close()

	w := &batchWriter{}
	h, err = backup.Stream(f, r.Passphrase, func(h backup.Header) error {
		st, err = store.Open(StoreDir(dir), h.MasterKey, l.cfg.Log)
		w.st, w.total = st, h.Records
		return err
	}, func(key string, value []byte) error {
		if err := w.put(key, value); err != nil {
			return err
		}
		if r.Progress != nil && w.done%1000 == 0 {
			r.Progress(w.done, w.total)
		}
		return nil
	})
	if err == nil {
		err = w.flush()
	}
	if err != nil {
		return "", h, refusal(err)
	}
	if r.Progress != nil {
		r.Progress(w.done, w.total)
	}
	if err := l.check(st, h, r.Actor); err != nil {
		return "", h, err
	}
	if err := st.Close(); err != nil {
		return "", h, fmt.Errorf("restore: %w", err)
	}
	st = nil
	// The header is made in a directory of its own (masterkey refuses to
	// make one next to data) and moved beside the restored db.
	keyDir := filepath.Join(dir, "key")
	mk := masterkey.New(keyDir, l.keyring)
	if mode == masterkey.ModeKeyring {
		err = mk.ImportInKeyring(h.MasterKey)
	} else {
		err = mk.ImportWithPassphrase(h.MasterKey, r.NewPassphrase)
	}
	if err == nil {
		err = os.Rename(mk.HeaderPath(), filepath.Join(dir, masterkey.HeaderFile))
	}
	if err == nil {
		err = os.Remove(keyDir)
	}
	if err != nil {
		return "", h, fmt.Errorf("restore: keep the master key: %w", err)
	}
	return dir, h, nil
}

// check verifies the restored store against the backup's header — every
// entry, the audit chain to the same head — and records the restore in
// its trail.
func (l *Lifecycle) check(st *store.Store, h backup.Header, a access.Actor) error {
	n := 0
	var seq uint64
	var head string
	if err := st.View(func(tx *store.Txn) error {
		if err := tx.EachRaw("", func(string, []byte) error { n++; return nil }); err != nil {
			return err
		}
		var err error
		seq, head, err = audit.Head(tx)
		return err
	}); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if n != h.Records || seq != h.AuditCount || head != h.AuditHead {
		return apperr.Wrap(apperr.Invalid, backup.ErrTampered,
			"The restored data does not match the backup's header (%d of %d records, audit trail to %d of %d)", n, h.Records, seq, h.AuditCount)
	}
	svc, err := services.New(st, h.MasterKey, services.Config{Clock: l.cfg.Clock, Hasher: l.cfg.Hasher, Resolver: l.cfg.Resolver,
		APIListen: l.cfg.APIListen, Backup: l.cfg.Backup})
	if err != nil {
		return fmt.Errorf("restore: open the restored vault: %w", err)
	}
	defer svc.Close()
	verified, err := svc.Trail.VerifyAll()
	if errors.Is(err, audit.ErrTampered) {
		return apperr.Wrap(apperr.Invalid, err, "The backup's audit trail does not verify: %v", err)
	}
	if err != nil {
		return fmt.Errorf("restore: verify the audit trail: %w", err)
	}
	if verified != h.AuditCount {
		return apperr.New(apperr.Invalid, "The backup's audit trail verifies %d records but its header says %d", verified, h.AuditCount)
	}
	who, kind := a.Username, string(a.Kind)
	if who == "" {
		who, kind = audit.ActorSystem, audit.ActorSystem
	}
	rec := audit.Record{Actor: who, ActorKind: kind, Source: a.Source, Operation: backup.RestoreOperation, Result: audit.Success,
		Reason: fmt.Sprintf("Restored from a backup of %s: %d records; all %d audit records verified",
			h.CreatedAt.UTC().Format(time.RFC3339), h.Records, verified)}
	if err := st.Update(func(tx *store.Txn) error {
		_, err := svc.Audit.Append(tx, rec)
		return err
	}); err != nil {
		return fmt.Errorf("restore: record the restore: %w", err)
	}
	return nil
}

// RefuseRestoreIntoPostgres refuses a restore with a PostgreSQL store: a
// restore swaps the data directory's own store, and the nodes of a shared
// database would each need the swap at once.
func RefuseRestoreIntoPostgres(c Config) error {
	if c.StoreURL == "" {
		return nil
	}
	return apperr.New(apperr.Conflict, "A backup is restored into a data directory's own store, not into PostgreSQL: restore it into a new data directory, then move that into an empty database with `hostbound store copy`")
}

// refusal turns backup's sentinels into errors a person can act on.
func refusal(err error) error {
	msg := ""
	switch {
	case errors.Is(err, backup.ErrWrongPassphrase):
		return apperr.Wrap(apperr.Unauthenticated, err, "Backup passphrase: wrong passphrase, or the file is not a Hostbound backup")
	case errors.Is(err, backup.ErrNotBackup):
		msg = "The file is not a Hostbound backup"
	case errors.Is(err, backup.ErrTruncated):
		msg = "The backup file is incomplete (truncated); nothing was restored"
	case errors.Is(err, backup.ErrTampered):
		msg = "The backup file is damaged or has been changed; nothing was restored"
	case errors.Is(err, backup.ErrNewerFormat):
		msg = "The backup was made by a newer version of Hostbound; update Hostbound to restore it"
	case errors.Is(err, store.ErrDiskFull):
		msg = "Not enough free disk space next to the data directory to restore; nothing was restored"
	default:
		return fmt.Errorf("restore: %w", err)
	}
	return apperr.Wrap(apperr.Invalid, err, "%s", msg)
}

// batchWriter writes entries in transactions of about 512 KiB.
type batchWriter struct {
	st          *store.Store
	keys        []string
	vals        [][]byte
	size        int
	done, total int
}

func (w *batchWriter) put(key string, value []byte) error {
	w.keys, w.vals = append(w.keys, key), append(w.vals, append([]byte(nil), value...))
	w.size += len(key) + len(value) + 32
	w.done++
	if w.size >= 512<<10 || len(w.keys) >= 4000 {
		return w.flush()
	}
	return nil
}

func (w *batchWriter) flush() error {
	if len(w.keys) == 0 {
		return nil
	}
	err := w.st.Update(func(tx *store.Txn) error {
		for i, k := range w.keys {
			if err := tx.PutRaw(k, w.vals[i]); err != nil {
				return err
			}
		}
		return nil
	})
	w.keys, w.vals, w.size = w.keys[:0], w.vals[:0], 0
	return err
}

// swap puts the restored directory prep in place of the data directory's
// vault and opens it; the old vault goes to <dir>.before-restore-<stamp>.
// Called with mu held.
func (l *Lifecycle) swap(prep, stamp string, key []byte) (aside string, err error) {
	oldKey := l.key
	if l.svc != nil {
		l.svc.Close()
		if err := l.svc.Store.Close(); err != nil {
			l.log.WithError(err).Warn("close the store before restore")
		}
		l.svc, l.key = nil, nil
	}
	reopen := func() { l.reopen(oldKey) }
	names := []string{masterkey.HeaderFile, "db"}
	var old []string
	for _, n := range names {
		if _, err := os.Lstat(filepath.Join(l.dir, n)); err == nil {
			old = append(old, n)
		}
	}
	if len(old) > 0 {
		aside = l.dir + ".before-restore-" + stamp
		if err := os.Mkdir(aside, 0o700); err != nil {
			reopen()
			return "", fmt.Errorf("restore: %w", err)
		}
	}
	mb, _ := json.Marshal(marker{Aside: aside, Restoring: prep})
	markerPath := filepath.Join(l.dir, restoreMarker)
	if err := os.WriteFile(markerPath, mb, 0o600); err != nil {
		os.Remove(aside)
		reopen()
		return "", fmt.Errorf("restore: %w", err)
	}
	// Each step is a rename within one filesystem; undo runs them back.
	var undo []func() error
	rollback := func() {
		for i := len(undo) - 1; i >= 0; i-- {
			if err := undo[i](); err != nil {
				// The marker stays: Start will say where everything is.
				l.log.WithError(err).Error("restore: putting the old data back failed")
				l.lock(fmt.Errorf("a restore failed half-way and could not be undone; see %s", markerPath))
				return
			}
		}
		os.Remove(markerPath)
		if aside != "" {
			os.Remove(aside)
		}
		reopen()
	}
	move := func(from, to string) error {
		if err := os.Rename(from, to); err != nil {
			return err
		}
		undo = append(undo, func() error { return os.Rename(to, from) })
		return nil
	}
	for _, n := range old {
		if err := move(filepath.Join(l.dir, n), filepath.Join(aside, n)); err != nil {
			rollback()
			return "", fmt.Errorf("restore: move the old data aside: %w", err)
		}
	}
	for _, n := range []string{"db", masterkey.HeaderFile} {
		if err := move(filepath.Join(prep, n), filepath.Join(l.dir, n)); err != nil {
			rollback()
			return "", fmt.Errorf("restore: move the restored data in: %w", err)
		}
	}
	syncDir(l.dir)
	l.phase, l.lockedReason = PhaseSetup, ""
	l.open(key)
	if l.phase != PhaseOpen {
		reason := l.lockedReason
		rollback()
		return "", apperr.New(apperr.Internal, "The restored vault did not open (%s); the previous data is back in place", reason)
	}
	os.Remove(markerPath)
	os.Remove(prep)
	syncDir(l.dir)
	return aside, nil
}

// reopen opens the data directory again after a restore did not happen:
// with key when its vault was open before (closed for the swap), else as
// Start would. Called with mu held.
func (l *Lifecycle) reopen(key []byte) {
	l.phase, l.lockedReason = PhaseSetup, ""
	if key != nil {
		l.open(key)
		return
	}
	l.start()
}

// readMarker reads the marker of an interrupted restore in dir.
func readMarker(dir string) (marker, error) {
	var m marker
	b, err := os.ReadFile(filepath.Join(dir, restoreMarker))
	if err != nil {
		return m, err
	}
	_ = json.Unmarshal(b, &m)
	return m, nil
}

func interruptedReason(dir string, m marker) string {
	return fmt.Sprintf("A restore into this data directory was interrupted while it swapped the data. Hostbound has not changed anything since. "+
		"The data from before the restore is in %q, the restored data in %q (whatever of it is not yet in %q). "+
		"Move one of them back as db/ and masterkey.json, then remove %s.", m.Aside, m.Restoring, dir, restoreMarker)
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
