package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/backup"
	"hostbound/backend/core"
	"hostbound/backend/masterkey"
	"hostbound/backend/users"
)

// BackupPassphraseFileEnv names the file holding a backup's passphrase
// (backup, restore), for scripts; without it the passphrase is asked on the
// terminal.
const BackupPassphraseFileEnv = "HOSTBOUND_BACKUP_PASSPHRASE_FILE"

// backupPassphraseFlag adds --backup-passphrase-file to cmd (the data
// directory's own --passphrase-file is another secret).
func backupPassphraseFlag(cmd *cobra.Command) {
	cmd.Flags().String("backup-passphrase-file", "", "file holding the backup's passphrase (default: $"+BackupPassphraseFileEnv+"; else asked on the terminal)")
}

// backupPassphrase reads the backup's passphrase: --backup-passphrase-file,
// $HOSTBOUND_BACKUP_PASSPHRASE_FILE, or the terminal (twice when confirm).
func (e *Env) backupPassphrase(cmd *cobra.Command, confirm bool) (string, error) {
	return e.Secret("the backup passphrase", BackupPassphraseFileEnv, flag(cmd, "backup-passphrase-file"), confirm)
}

// lazyProgress is a progress callback of the domain (done of total, the
// total known only once work starts) over Env.Progress.
type lazyProgress struct {
	env  *Env
	what string
	p    Progress
}

func (l *lazyProgress) set(done, total int) {
	if l.p == nil {
		l.p = l.env.Progress(int64(total), l.what)
	}
	l.p.Set(int64(done))
}

func (l *lazyProgress) done() {
	if l.p != nil {
		l.p.Done("")
	}
}

func addBackup(root *cobra.Command, env *Env) {
	var jsonOut bool
	cmd := &cobra.Command{
		Use:   "backup FILE",
		Short: "Write an encrypted backup of the data directory",
		Long: `Write the whole vault (passwords, users, roles, settings, the audit trail and
the master key) to FILE, encrypted and authenticated under a backup passphrase
of at least 12 characters (age, scrypt), so that it can be restored on another
machine with another keyring. Whoever has the file and its passphrase has the
vault: choose the passphrase well and keep it apart from the file.

The passphrase is asked twice on the terminal without echo, or read from the
file --backup-passphrase-file or $HOSTBOUND_BACKUP_PASSPHRASE_FILE names. The
file is written under FILE.partial (mode 0600) and renamed when complete; an
existing FILE is replaced. Needs Run backups (backup.run); audited with
source "cli". Prints the file, its record count and size (--json: an object
on stdout).`,
		Example: `  hostbound backup /srv/backups/hostbound-$(date +%F).hbk --operator admin
  HOSTBOUND_BACKUP_PASSPHRASE_FILE=/root/backup-passphrase \
    hostbound backup /srv/backups/hostbound.hbk --json --operator admin`,
		Args: exactArgs("FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			path, err := filepath.Abs(args[0])
			if err != nil {
				return failf("%w", err)
			}
			if st, err := os.Stat(filepath.Dir(path)); err != nil || !st.IsDir() {
				return failf("cannot write %s: there is no directory %s", path, filepath.Dir(path))
			}
			s, err := env.Open(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			pass, err := env.backupPassphrase(cmd, true)
			if err != nil {
				return err
			}
			if err := backup.CheckPassphrase(pass); err != nil {
				return err
			}
			p := &lazyProgress{env: env, what: "backup"}
			h, err := s.Services.Backup.Backup(s.Actor, path, pass, p.set)
			p.done()
			if err != nil {
				return err
			}
			var size int64
			if st, err := os.Stat(path); err == nil {
				size = st.Size()
			}
			if jsonOut {
				return env.printJSON(map[string]any{"file": path, "records": h.Records, "bytes": size,
					"createdAt": h.CreatedAt.UTC().Format(time.RFC3339), "auditRecords": h.AuditCount, "counts": h.Counts})
			}
			env.Errorf("Wrote %s: %d record%s (audit trail to record %d), %s.\n", path, h.Records, plural(h.Records), h.AuditCount, byteSize(size))
			env.Errorf("Keep the backup passphrase apart from the file: without it the backup cannot be restored.\n")
			return nil
		},
	}
	operatorFlags(cmd)
	backupPassphraseFlag(cmd)
	cmd.Flags().BoolVar(&jsonOut, "json", false, `print {"file", "records", "bytes", "createdAt", "auditRecords", "counts"}`)
	root.AddCommand(cmd)
}

func addRestore(root *cobra.Command, env *Env) {
	var jsonOut bool
	cmd := &cobra.Command{
		Use:   "restore FILE",
		Short: "Replace the data directory's vault with an encrypted backup",
		Long: `Restore the backup in FILE into the data directory (made when missing). The
whole file and its audit chain are read and verified into a new directory
next to the data directory before anything is replaced; a wrong passphrase,
a truncated, damaged or changed file, or another file is refused (exit 1)
and the current data is left as it was.

Then the current vault (db/ and masterkey.json) is moved aside to
<data dir>.before-restore-<time>, the restored one takes its place and opens.
Hostbound never deletes the moved-aside data: delete it yourself once the
restored vault is known good.

The backup passphrase is asked on the terminal without echo, or read from the
file --backup-passphrase-file or $HOSTBOUND_BACKUP_PASSPHRASE_FILE names.
When the current vault opens, an operator with Run backups (backup.run) must
log in (--operator; the password from the terminal or
$HOSTBOUND_OPERATOR_PASSWORD_FILE). In passphrase mode (and on a new data
directory when a passphrase file is given) the restored master key is
wrapped with the passphrase of --passphrase-file or $HOSTBOUND_PASSPHRASE_FILE,
which must also unlock the current vault; otherwise it goes to the OS
keyring. Refused while the desktop app or serve holds the data directory.`,
		Example: `  hostbound restore /srv/backups/hostbound.hbk --operator admin
  # a new box, passphrase mode, unattended
  HOSTBOUND_PASSPHRASE_FILE=/etc/hostbound/passphrase \
  HOSTBOUND_BACKUP_PASSPHRASE_FILE=/root/backup-passphrase \
    hostbound restore hostbound.hbk --data-dir /srv/hostbound`,
		Args: exactArgs("FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return env.runRestore(cmd, args[0], jsonOut)
		},
	}
	operatorFlags(cmd)
	backupPassphraseFlag(cmd)
	cmd.Flags().BoolVar(&jsonOut, "json", false, `print {"file", "dataDir", "createdAt", "records", "auditRecords", "movedAside"}`)
	root.AddCommand(cmd)
}

func (e *Env) runRestore(cmd *cobra.Command, file string, jsonOut bool) error {
	file, err := filepath.Abs(file)
	if err != nil {
		return failf("%w", err)
	}
	if st, err := os.Stat(file); err != nil {
		return failf("cannot read the backup file %s: %w", file, unwrapPath(err))
	} else if st.IsDir() {
		return failf("%s is a directory, not a backup file", file)
	}
	dir, lock, err := e.lockDir(cmd, true)
	if err != nil {
		return err
	}
	log, err := e.logger(cmd, dir)
	if err != nil {
		lock.Release()
		return err
	}
	cfg, err := e.coreConfig(cmd, log)
	if err == nil {
		err = core.RefuseRestoreIntoPostgres(cfg)
	}
	if err != nil {
		lock.Release()
		return err
	}
	passFile := e.passphraseFile(cmd)
	kr := e.keyring()
	storage := core.NewLifecycle(dir, kr, cfg).State().KeyStorage
	if passFile != "" && storage == "" {
		// A data directory without a key: a passphrase file asks for
		// passphrase mode, as with init.
		kr = passphraseOnly{kr}
	}
	life := core.NewLifecycle(dir, kr, cfg)
	s := &Session{Dir: dir, Life: life, lock: lock}
	defer s.Close()

	var newPass string
	if storage == string(masterkey.ModePassphrase) || kr.Probe() != nil {
		if passFile == "" {
			return failf("the restored vault's master key will be wrapped with a passphrase (this data directory is in passphrase mode, or there is no usable OS keyring): put it in a file readable only by you and set %s (or give --passphrase-file)", PassphraseFileEnv)
		}
		if newPass, err = readSecretFile(passFile, "passphrase file"); err != nil {
			return err
		}
	}
	actor := access.Actor{Kind: access.KindOperator, Source: access.SourceCLI}
	if life.Start() == core.PhaseUnlock {
		if err := life.Unlock(newPass); err != nil {
			if e := apperr.As(err); e != nil && e.Code == apperr.Unauthenticated {
				return failf("the passphrase file does not unlock the current vault in %s; nothing was changed (to restore without it, move the data directory away and restore into an empty one)", dir)
			}
			return err
		}
	}
	if life.State().Phase == core.PhaseOpen {
		// The current vault opens: only an operator allowed to run backups
		// may replace it.
		if actor, err = e.login(cmd, life); err != nil {
			return err
		}
	}
	pass, err := e.backupPassphrase(cmd, false)
	if err != nil {
		return err
	}
	p := &lazyProgress{env: e, what: "restore"}
	res, err := life.Restore(core.RestoreRequest{File: file, Passphrase: pass, NewPassphrase: newPass, Actor: actor, Progress: p.set})
	p.done()
	if err != nil {
		if errors.Is(err, backup.ErrWrongPassphrase) {
			return failf("%s; nothing was restored", apperr.As(err).Message)
		}
		return err
	}
	h := res.Header
	if jsonOut {
		if err := e.printJSON(map[string]any{"file": file, "dataDir": dir, "createdAt": h.CreatedAt.UTC().Format(time.RFC3339),
			"records": h.Records, "auditRecords": h.AuditCount, "movedAside": res.Aside}); err != nil {
			return err
		}
	}
	e.Errorf("Restored %s into %s: a backup of %s, %d record%s; all %d audit records verified.\n",
		file, dir, h.CreatedAt.UTC().Format("2006-01-02 15:04:05 UTC"), h.Records, plural(h.Records), h.AuditCount)
	if res.Aside != "" {
		e.Errorf("The data from before the restore was moved to %s.\nDelete it once the restored vault is known good (Hostbound never removes it).\n", res.Aside)
	}
	return nil
}

// login logs in, in the open lifecycle, as the operator of --operator or
// $HOSTBOUND_OPERATOR (asked on a terminal), as Open does.
func (e *Env) login(cmd *cobra.Command, life *core.Lifecycle) (access.Actor, error) {
	name := flag(cmd, "operator")
	if name == "" {
		name = e.getenv(OperatorEnv)
	}
	if name == "" && e.Terminal != nil {
		var err error
		if name, err = e.Terminal.ReadLine("Operator: "); err != nil {
			return access.Actor{}, failf("read the operator's name: %w", err)
		}
	}
	if strings.TrimSpace(name) == "" {
		return access.Actor{}, usagef("%s: the current vault opens, so an operator must say who restores: --operator NAME (or set %s)", cmd.CommandPath(), OperatorEnv)
	}
	password, err := e.Secret("the password of "+name, OperatorPasswordFileEnv, "", false)
	if err != nil {
		return access.Actor{}, err
	}
	u, err := life.Services().Users.Login(name, password, access.SourceCLI)
	if err != nil {
		return access.Actor{}, err
	}
	return users.ActorOf(u, access.SourceCLI), nil
}

// byteSize is n bytes for a person: "812 B", "1.4 MiB".
func byteSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
