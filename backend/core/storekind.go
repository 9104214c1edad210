package core

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"hostbound/backend/apperr"
	"hostbound/backend/datadir"
	"hostbound/backend/masterkey"
	"hostbound/backend/store"
)

// A data directory keeps its data in db/ (Badger, the default) or in a
// PostgreSQL database (Config.StoreURL). The directory says which in
// store.json once it has used PostgreSQL, so that starting it without the
// URL opens nothing rather than an empty local store beside the real data,
// and a URL given to a directory with local data is refused rather than
// ignoring that data. The URL itself is not kept: it may hold a password.

// storeKindFile records the engine of a data directory that uses PostgreSQL.
const storeKindFile = "store.json"

// EnginePostgres is the engine store.json names.
const EnginePostgres = "postgres"

type storeKind struct {
	Version int    `json:"version"`
	Engine  string `json:"engine"`
}

// IsPostgresURL reports whether s is a PostgreSQL connection string that
// Config.StoreURL takes (postgres:// or postgresql://).
func IsPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// readStoreKind returns the engine store.json names, "" without one.
func readStoreKind(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, storeKindFile))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read %s: %w", storeKindFile, err)
	}
	var k storeKind
	if err := json.Unmarshal(b, &k); err != nil || k.Version != 1 || k.Engine != EnginePostgres {
		return "", fmt.Errorf("%s in %s is damaged: it should say {\"version\":1,\"engine\":\"postgres\"}", storeKindFile, dir)
	}
	return k.Engine, nil
}

// writeStoreKind records that dir keeps its data in PostgreSQL.
func writeStoreKind(dir string) error {
	b, _ := json.Marshal(storeKind{Version: 1, Engine: EnginePostgres})
	return datadir.WriteFileAtomic(filepath.Join(dir, storeKindFile), append(b, '\n'))
}

// hasLocalData reports whether dir's db/ holds a store.
func hasLocalData(dir string) bool {
	entries, err := os.ReadDir(StoreDir(dir))
	return err == nil && len(entries) > 0
}

// checkStoreKind refuses a start whose configuration disagrees with where
// the data directory keeps its data. Called with mu held.
func (l *Lifecycle) checkStoreKind() error {
	kind, err := readStoreKind(l.dir)
	if err != nil {
		return err
	}
	switch {
	case kind == EnginePostgres && l.cfg.StoreURL == "":
		return errStoreKind("This data directory keeps its data in PostgreSQL: start Hostbound with --store postgres://… (or set HOSTBOUND_STORE).")
	case kind == "" && l.cfg.StoreURL != "" && hasLocalData(l.dir):
		return errStoreKind("This data directory keeps its data here, in " + StoreDir(l.dir) + ", not in PostgreSQL: start it without --store, or move the data with `hostbound store copy --from " + l.dir + " --to postgres://…`.")
	}
	return nil
}

// errStoreKind is a refusal to open a directory with the other engine.
type errStoreKind string

func (e errStoreKind) Error() string { return string(e) }

// usesPostgres is the hint added where every node needs the same key.
const usesPostgres = " With a PostgreSQL store every node needs the master key the database was set up with: use passphrase mode and copy masterkey.json (and the passphrase file) from the first node's data directory."

// refuseSetUpDatabase refuses a first run over a PostgreSQL database that
// another data directory already set up: a new master key would not open
// it. Called with mu held.
func (l *Lifecycle) refuseSetUpDatabase() error {
	if l.cfg.StoreURL == "" {
		return nil
	}
	has, err := store.PostgresHasStore(l.cfg.StoreURL)
	if err != nil {
		return apperr.Wrap(apperr.Unavailable, err, "The PostgreSQL database cannot be reached: %v", err)
	}
	if has {
		return apperr.New(apperr.Conflict, "The PostgreSQL database already holds a Hostbound store, set up from another data directory. To add this machine as a node, copy %s (and the passphrase file) from that data directory into %s and start Hostbound again with the same --store.",
			masterkey.HeaderFile, l.dir)
	}
	return nil
}
