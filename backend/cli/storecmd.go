package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"hostbound/backend/core"
)

// localSource marks a command whose data directory is read from its own
// store whatever --store or $HOSTBOUND_STORE say (store copy's source).
const localSource = "local-source"

func addStore(root *cobra.Command, env *Env) {
	cmd := group(&cobra.Command{
		Use:   "store",
		Short: "Move the data directory's data to a PostgreSQL database",
	})
	var from, to string
	var jsonOut bool
	cp := &cobra.Command{
		Use:   "copy",
		Short: "Copy a data directory's own store into an empty PostgreSQL database, verified",
		Long: `Copy everything in the data directory --from (passwords, users, roles,
settings, the whole audit trail) into the empty PostgreSQL database --to
(else $HOSTBOUND_STORE), encrypted as the PostgreSQL store keeps it, under the
same master key. The copy is read back and compared entry by entry, and its
audit chain verified to the same head, before the data directory switches:
from then on it uses the database (start serve and the commands with --store
or $HOSTBOUND_STORE), and its db/ is no longer read (keep it as an encrypted
copy of the data as it was, or remove it). A copy that fails takes out what
it wrote; the data directory stays as it was.

Needs Run backups (backup.run); audited in the copy with source "cli". Stop the
desktop app and serve on --from first. Other nodes join afterwards with a copy
of masterkey.json (passphrase mode) and the same --store.`,
		Example: `  PGPASSFILE=/etc/hostbound/pgpass \
    hostbound store copy --from /srv/hostbound --to 'postgres://hostbound@db1/hostbound' --operator admin`,
		Args:        exactArgs(),
		Annotations: map[string]string{localSource: "true"},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if flag(cmd, "store") != "" {
				return usagef("store copy: the source is the data directory --from; name the database with --to")
			}
			if to == "" {
				to = strings.TrimSpace(env.getenv(StoreEnv))
			}
			if to == "" {
				return usagef("store copy: say where to: --to postgres://… (or set %s)", StoreEnv)
			}
			if !core.IsPostgresURL(to) {
				return usagef("store copy: --to is not a PostgreSQL connection string (postgres://user@host/database)")
			}
			if from != "" {
				if err := cmd.Flags().Set("data-dir", from); err != nil {
					return usagef("store copy: --from: %v", err)
				}
			}
			s, err := env.Open(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			p := &lazyProgress{env: env, what: "store copy"}
			res, err := s.Life.CopyTo(to, s.Actor, p.set)
			p.done()
			if err != nil {
				return err
			}
			if jsonOut {
				return env.printJSON(map[string]any{"dataDir": s.Dir, "entries": res.Entries, "bytes": res.Bytes, "auditRecords": res.AuditRecords})
			}
			env.Errorf("Copied %d entr%s (%s) from %s to PostgreSQL; the audit trail verifies (%d records).\n",
				res.Entries, map[bool]string{true: "y", false: "ies"}[res.Entries == 1], byteSize(res.Bytes), s.Dir, res.AuditRecords)
			env.Errorf("%s now uses the PostgreSQL store: start serve and the commands with --store (or %s). Its db/ is no longer read: keep it as an encrypted copy of the data as it was, or remove it.\n", s.Dir, StoreEnv)
			return nil
		},
	}
	cp.Flags().StringVar(&from, "from", "", "data directory to copy (default: --data-dir, $"+"HOSTBOUND_DATA_DIR or the default)")
	cp.Flags().StringVar(&to, "to", "", "the empty PostgreSQL database, postgres://… (default: $"+StoreEnv+")")
	cp.Flags().BoolVar(&jsonOut, "json", false, "print the result as a JSON object on stdout")
	operatorFlags(cp)
	cmd.AddCommand(cp)
	root.AddCommand(cmd)
}
