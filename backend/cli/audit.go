package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"hostbound/backend/audit"
)

func addAudit(root *cobra.Command, env *Env) {
	cmd := group(&cobra.Command{
		Use:   "audit",
		Short: "Verify and export the audit trail",
		Long: `The audit trail is append-only and hash-chained: each record holds the keyed
hash of the one before, so an edited, removed or reordered record breaks the
chain. Reading it needs audit.view; verifying and exporting are themselves
audited (source "cli").`,
		Example: `  hostbound audit verify --operator admin
  hostbound audit export --format csv --out audit.csv --operator admin`,
	})
	operatorFlags(cmd)
	cmd.AddCommand(auditVerify(env), auditExport(env))
	root.AddCommand(cmd)
}

func auditVerify(env *Env) *cobra.Command {
	var jsonOut bool
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Check the whole hash chain of the audit trail",
		Long: `Walk the whole audit trail and check every record's hash and its link to the
one before. Exit 0 when the chain is intact; exit 1 when it is broken, naming
the first bad record.`,
		Example: `  hostbound audit verify --operator admin
  hostbound audit verify --json --operator admin`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := env.Open(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			total, err := s.Services.Trail.Count()
			if err != nil {
				return err
			}
			p := env.Progress(int64(total), "verify audit trail")
			n, verr := s.Services.Trail.VerifyProgress(s.Actor, func(checked uint64) { p.Set(int64(checked)) })
			if verr != nil && !errors.Is(verr, audit.ErrTampered) {
				p.Done("")
				return verr
			}
			p.Set(int64(n))
			p.Done("")
			if jsonOut {
				out := map[string]any{"records": n, "intact": verr == nil}
				if verr != nil {
					out["error"] = verr.Error()
				}
				if err := env.printJSON(out); err != nil {
					return err
				}
			}
			if verr != nil {
				return failf("the audit trail is broken: %s (%d records checked)", strings.TrimPrefix(verr.Error(), audit.ErrTampered.Error()+": "), n)
			}
			if !jsonOut {
				env.Printf("All %d audit records verified: the chain is intact.\n", n)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&jsonOut, "json", false, `print {"records": n, "intact": bool, "error": "…"}`)
	return cmd
}

func auditExport(env *Env) *cobra.Command {
	var format, out string
	var f audit.Filter
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export the audit trail as CSV or JSON Lines",
		Long: `Write the audit trail, newest record first, as CSV (RFC 4180, with a header
row; cells that a spreadsheet would run as formulas get a leading ') or as
JSON Lines (one record per line, with its hash). To stdout, or, with --out,
to a new file (mode 0600) written under a temporary name and renamed when
complete. The filters keep only the matching records.`,
		Example: `  hostbound audit export --operator admin > audit.csv
  hostbound audit export --format json --out audit.jsonl --source cli --operator admin`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch strings.ToLower(format) {
			case "csv":
				format = audit.CSV
			case "json", "jsonl":
				format = audit.JSONL
			default:
				return usagef("--format: csv or json, not %q", format)
			}
			s, err := env.Open(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			total, err := s.Services.Trail.Count()
			if err != nil {
				return err
			}
			w, name := env.Stdout, "stdout"
			var file *os.File
			if out != "" {
				name = filepath.Base(out)
				if file, err = os.OpenFile(out+".partial", os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600); err != nil {
					return failf("create %s: %w", out+".partial", unwrapPath(err))
				}
				defer os.Remove(file.Name()) // gone once renamed
				w = file
			}
			p := env.Progress(int64(total), "export audit trail")
			n, err := s.Services.Trail.Export(s.Actor, name, format, f, w, func(n int) { p.Set(int64(n)) })
			if err == nil && file != nil {
				err = closeAndRename(file, out)
			}
			if err != nil {
				if file != nil {
					file.Close()
				}
				p.Done("")
				return err
			}
			where := ""
			if out != "" {
				where = " to " + out
			}
			p.Done("")
			env.Errorf("Exported %d audit record%s%s.\n", n, plural(n), where)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&format, "format", "f", "csv", "csv or json (JSON Lines)")
	fl.StringVarP(&out, "out", "o", "", "write to this file instead of stdout")
	fl.StringVar(&f.Actor, "actor", "", "only records of this actor (username)")
	fl.StringVar(&f.Operation, "operation", "", `only this operation ("login", "create api user", …)`)
	fl.StringVar(&f.Source, "source", "", `only from this source ("desktop", "cli", an address)`)
	fl.StringVar(&f.Result, "result", "", "only success or failure")
	return cmd
}

// closeAndRename syncs and closes f and gives it its final name.
func closeAndRename(f *os.File, name string) error {
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), name); err != nil {
		return failf("rename to %s: %w", name, unwrapPath(err))
	}
	return nil
}
