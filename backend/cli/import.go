package cli

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"github.com/spf13/cobra"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/onboard"
	"hostbound/backend/users"
)

// addAPIUserImport hangs `apiuser import` on the apiuser command (it is
// registered after addAPIUser).
func addAPIUserImport(root *cobra.Command, env *Env) {
	for _, c := range root.Commands() {
		if c.Name() == "apiuser" {
			c.AddCommand(apiUserImport(env))
			return
		}
	}
}

func apiUserImport(env *Env) *cobra.Command {
	var d users.BulkDefaults
	var scope, expires, keysPath, outDir string
	var noREST, skipBad, seal bool
	cmd := &cobra.Command{
		Use:   "import FILE.csv",
		Short: "Create many API users from a CSV file, their keys written once to a file",
		Long: `Create one API user per row of a CSV file, as Add API Users in Bulk does in the
app. The header names the columns, in any order and case: ` + strings.Join(onboard.Columns, ", ") + `.
Host Name is required; an empty cell takes the flag's value (the Username
becomes <prefix>@<host>). An unknown column is refused by its name.

Every row is checked first, with the Add API User form's rules; while any row
is bad nothing is created (exit 1, each bad row's messages on stderr), unless
--skip-bad leaves them out. The users are created in batches, each one
transaction, audited per user with source "cli"; Ctrl-C stops after the
current batch.

The keys are written once: as CSV (username, host, key) to stdout, or to
--keys FILE (mode 0600). With --seal-to-ssh-keys, a row with an ed25519 or RSA
SSH public key gets its key sealed with age to that key in --out DIR as
<username>.key.age instead (open it on the host: age -d -i ~/.ssh/id_ed25519
FILE); the other rows' keys go to the CSV.`,
		Example: `  hostbound apiuser import hosts.csv --prefix backup --never-expires --keys keys.csv --operator admin
  hostbound apiuser import hosts.csv --expires 2027-12-31 --seal-to-ssh-keys --out sealed/ --keys rest.csv --operator admin`,
		Args: exactArgs("FILE.csv"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var ok bool
			if d.Scope, ok = scopes[strings.ToLower(scope)]; !ok {
				return usagef("--scope: owned or all, not %q", scope)
			}
			d.RESTEnabled = !noREST
			switch {
			case noREST && (expires != "" || d.NeverExpires || keysPath != "" || seal):
				return usagef("--no-rest makes no API keys: --expires, --never-expires, --keys and --seal-to-ssh-keys do not go with it")
			case expires != "" && d.NeverExpires:
				return usagef("--expires and --never-expires: give one")
			case seal != (outDir != ""):
				return usagef("--seal-to-ssh-keys and --out DIR go together")
			}
			if expires != "" {
				t, ok := parseExpiry(expires)
				if !ok {
					return apperr.Field("expiresAt", "Expiry date: a date (2027-12-31) or an RFC 3339 time")
				}
				d.ExpiresAt = &t
			}
			if seal {
				if fi, err := os.Stat(outDir); err != nil || !fi.IsDir() {
					return failf("--out %s: not a directory", outDir)
				}
			}
			f, err := os.Open(args[0])
			if err != nil {
				return failf("%s: %v", args[0], unwrapPath(err))
			}
			rows, err := onboard.ParseCSV(f)
			f.Close()
			if err != nil {
				return failf("%s: %v", args[0], err)
			}
			s, err := env.Open(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			checks, err := s.Services.Users.CheckBulk(s.Actor, rows, d)
			if err != nil {
				return err
			}
			bad := 0
			for i, c := range checks {
				if len(c.Errors) > 0 {
					bad++
					for _, e := range c.Errors {
						env.Errorf("line %d (%s): %s\n", rows[i].Line, c.Input.Username, e.Message)
					}
				}
			}
			if bad > 0 && !skipBad {
				return failf("%d of %d rows have errors: fix them, or leave them out with --skip-bad; nothing was created", bad, len(rows))
			}
			return env.importRows(cmd, s, rows, d, importOptions{skipBad: skipBad, keys: keysPath, sealDir: outDir, total: len(rows) - bad})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&d.Prefix, "prefix", "", "a row without a Username gets <prefix>@<host> (the host itself without one)")
	fl.StringVar(&d.Role, "role", access.PasswordUser, "access level of rows without one: a role's id or name")
	fl.StringVar(&scope, "scope", "owned", "access scope of rows without one: owned or all")
	fl.StringVar(&expires, "expires", "", "the keys work through this day, UTC (YYYY-MM-DD), or until an RFC 3339 time")
	fl.BoolVar(&d.NeverExpires, "never-expires", false, "the keys never expire (rows without an Expiry Date)")
	fl.BoolVar(&noREST, "no-rest", false, "REST API off: no API keys")
	fl.BoolVar(&skipBad, "skip-bad", false, "create the good rows and leave out the bad ones")
	fl.StringVar(&keysPath, "keys", "", "write the key CSV to this file (mode 0600) instead of stdout")
	fl.BoolVar(&seal, "seal-to-ssh-keys", false, "seal each key to its row's ed25519 or RSA SSH key with age, into --out")
	fl.StringVar(&outDir, "out", "", "directory for the sealed key files (<username>.key.age)")
	return cmd
}

type importOptions struct {
	skipBad       bool
	keys, sealDir string
	total         int
}

// importRows creates the rows and writes each batch's keys as it commits.
func (e *Env) importRows(cmd *cobra.Command, s *Session, rows []onboard.Row, d users.BulkDefaults, o importOptions) error {
	var kf *onboard.KeyFile
	var w *csv.Writer
	switch {
	case !d.RESTEnabled:
	case o.keys != "":
		var err error
		if kf, err = onboard.CreateKeyFile(o.keys); err != nil {
			return failf("--keys %s: %v", o.keys, unwrapPath(err))
		}
		defer kf.Close()
	default:
		w = csv.NewWriter(e.Stdout)
		if err := w.Write(onboard.KeyFileHeader); err != nil {
			return err
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	p := e.Progress(int64(o.total), "import")
	sealed := 0
	res, err := s.Services.Users.CreateBulk(ctx, s.Actor, rows, d, users.BulkOptions{SkipBad: o.skipBad,
		Deliver: func(pr users.BulkProgress, keys []onboard.Issued) error {
			var plain []onboard.Issued
			for _, it := range keys {
				if o.sealDir != "" && onboard.Sealable(it.SSHPublicKey) {
					if _, err := onboard.WriteSealed(o.sealDir, it); err != nil {
						return fmt.Errorf("seal the key of %s: %w", it.Username, err)
					}
					sealed++
					continue
				}
				plain = append(plain, it)
			}
			switch {
			case kf != nil:
				if err := kf.Write(plain); err != nil {
					return err
				}
			case w != nil:
				for _, it := range plain {
					if err := w.Write([]string{it.Username, it.Host, it.Key}); err != nil {
						return err
					}
				}
				w.Flush()
				if err := w.Error(); err != nil {
					return err
				}
			}
			p.Set(int64(pr.Done))
			return nil
		}})
	said := fmt.Sprintf("Created %d of %d API users", res.Created, res.Total)
	if res.Skipped > 0 {
		said += fmt.Sprintf(" (%d bad rows skipped)", res.Skipped)
	}
	if sealed > 0 {
		said += fmt.Sprintf("; %d keys sealed in %s", sealed, o.sealDir)
	}
	if kf != nil {
		said += fmt.Sprintf("; %d keys in %s", kf.Rows(), o.keys)
	}
	p.Done(said + ".")
	s.Log.WithField("op", "import api users").WithField("created", res.Created).WithField("skipped", res.Skipped).Info("bulk import")
	switch {
	case errors.Is(err, context.Canceled):
		return failf("interrupted: %d of %d API users were created", res.Created, res.Total)
	case err != nil && res.Created > 0 && apperr.As(err) == nil:
		return failf("%d API users were created, but writing their keys failed (%v): regenerate the keys of those missing from the files", res.Created, err)
	}
	return err
}
