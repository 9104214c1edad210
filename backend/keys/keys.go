// Package keys derives purpose-bound subkeys from the master key with
// HKDF-SHA256, so that no two uses (API key pepper, audit chain, …) ever
// share a key and the master key itself is used only to open the store.
package keys

import (
	"crypto/hkdf"
	"crypto/sha256"
	"fmt"
)

// Purposes of derived keys. Changing one invalidates what it protects.
const (
	AuditChain   = "hostbound audit chain v1"
	APIKeyPepper = "hostbound api key pepper v1"
	// StoreRedoLog encrypts the embedded store's redo log (backend/store/redo.go).
	StoreRedoLog = "hostbound store redo log v1"
	// StoreLedger encrypts the embedded store's append-only segments
	// (backend/store/ledger.go).
	StoreLedger = "hostbound store ledger v1"
	// StorePostgresValues seals the PostgreSQL engine's values
	// (backend/store/pg.go).
	StorePostgresValues = "hostbound store postgres values v1"
	// StorePostgresKeys derives the synthetic IVs of the PostgreSQL
	// engine's key pieces (HMAC); StorePostgresKeysCTR encrypts them
	// (backend/store/pg_keys.go).
	StorePostgresKeys    = "hostbound store postgres keys v1"
	StorePostgresKeysCTR = "hostbound store postgres keys ctr v1"
	// StorePostgresNotify makes the tags (HMAC) that name watched prefixes
	// and message topics in the PostgreSQL engine's notifications;
	// StorePostgresMessages seals the messages nodes publish to each other
	// (backend/store/pg_notify.go).
	StorePostgresNotify   = "hostbound store postgres notify v1"
	StorePostgresMessages = "hostbound store postgres messages v1"
)

// Derive returns a 32-byte key for purpose.
func Derive(master []byte, purpose string) []byte {
	k, err := hkdf.Key(sha256.New, master, nil, purpose, 32)
	if err != nil {
		// Only possible for lengths over 255*32 bytes.
		panic(fmt.Sprintf("derive %s: %v", purpose, err))
	}
	return k
}
