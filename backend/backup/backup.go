// Package backup writes and reads Hostbound's backup files: one file per
// backup, encrypted and authenticated under a passphrase the operator
// chooses, so that it can be restored on another machine with another
// keyring. Badger's own backup stream is plaintext and is never used.
//
// # Format (version 1)
//
// A backup file is a short cleartext preamble and then an age file
// (filippo.io/age, one scrypt passphrase recipient):
//
//	hostbound-backup\n                  magic
//	version 1\n                         format version
//	age-header sha256:<64 hex>\n        SHA-256 of the age header that follows
//	age-encryption.org/v1 …             the age header (scrypt stanza, MAC)
//	<nonce, payload chunks>             the age payload
//
// The preamble tells a backup from another file and a damaged header from a
// wrong passphrase without knowing the passphrase; it holds no secret. The
// age payload (the plaintext, 64 KiB ChaCha20-Poly1305 chunks) is a sequence
// of frames, each a kind byte, a big-endian uint32 length and the payload:
//
//	'H'  header: JSON (format, created at, record counts per key prefix, the
//	     audit trail's count and head hash, and the master key)
//	'R'  one store entry: uvarint key length, key, value (as stored)
//	…
//	'T'  trailer: uint64 count of 'R' frames, SHA-256 of every frame before
//
// then zero bytes up to a multiple of 64 KiB, so that every age chunk is
// full and a short last chunk can only mean a truncated file. The trailer
// lets Read tell a complete file from one cut at a frame boundary, whatever
// age's own framing says.
//
// # Why the master key is inside
//
// API keys are stored as HMAC(pepper, key) and the audit chain is keyed,
// both with subkeys of the master key (package keys): a restored vault must
// keep the same master key or every API key and the whole audit trail
// break. The key travels in the encrypted header and nowhere else.
//
// # Threat model
//
// Whoever holds the file and the passphrase holds the vault. Without the
// passphrase the file gives away its size and creation order, nothing else;
// scrypt (work factor 2^18, about 1 s here) slows guessing. Any change to
// the file is refused (ErrTampered, or ErrWrongPassphrase for a change to
// the scrypt stanza that still matches the preamble's hash, which needs the
// file to be rewritten).
package backup

import "time"

// FormatVersion is the version this package writes and reads.
const FormatVersion = 1

// Magic is the first line of every backup file.
const Magic = "hostbound-backup\n"

// MinPassphraseLen is the shortest backup passphrase accepted.
const MinPassphraseLen = 12

// DefaultWorkFactor is scrypt's log2(N) for new backups: about 1 s to
// derive the key on a current machine (measured 0.7–2.0 s on this
// project's 2-CPU build box; 2^17 took 0.4–0.6 s), and age's own default.
const DefaultWorkFactor = 18

// maxWorkFactor bounds what Read accepts, so that a crafted file cannot make
// a restore compute for minutes.
const maxWorkFactor = 22

// Header describes a backup. Write returns it; Read returns it as the file
// says (after checking it against the records).
type Header struct {
	Format    int       `json:"format"`
	CreatedAt time.Time `json:"createdAt"`
	// Records is the number of store entries in the file; Counts splits it
	// by key prefix ("user/", "vault/res/", "audit/rec/", …).
	Records int            `json:"records"`
	Counts  map[string]int `json:"counts"`
	// AuditCount and AuditHead are the audit trail's length and the chain
	// value of its newest record when the backup was taken.
	AuditCount uint64 `json:"auditCount"`
	AuditHead  string `json:"auditHead"`
	// MasterKey is the vault's master key: filled by Read, never shown,
	// logged or sent to a face.
	MasterKey []byte `json:"-"`
}

// fileHeader is the 'H' frame: the header with the key.
type fileHeader struct {
	Header
	Key []byte `json:"masterKey"`
}

// Frame kinds.
const (
	frameHeader  = 'H'
	frameRecord  = 'R'
	frameTrailer = 'T'
)

// Limits of what Read accepts in a frame.
const (
	maxHeaderFrame = 1 << 20
	maxFrame       = 64 << 20
)

// chunkSize is age's plaintext chunk size; the plaintext is padded to a
// multiple of it.
const chunkSize = 64 << 10

// Prefix is the key prefix a store key is counted under: up to its second
// "/" ("vault/res/1" → "vault/res/"), else up to its first ("user/ada" →
// "user/"), else the whole key.
func Prefix(key string) string {
	first := -1
	for i := 0; i < len(key); i++ {
		if key[i] != '/' {
			continue
		}
		if first >= 0 {
			return key[:i+1]
		}
		first = i
	}
	if first >= 0 {
		return key[:first+1]
	}
	return key
}
