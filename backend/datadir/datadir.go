// Package datadir finds Hostbound's data directory, creates it private to
// the user, and holds the lock that keeps a second process out of it.
package datadir

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// EnvVar overrides the default directory; the --data-dir flag overrides both.
const EnvVar = "HOSTBOUND_DATA_DIR"

// ErrInUse: another Hostbound process holds this data directory.
var ErrInUse = errors.New("Hostbound is already running with this data directory")

// Resolve picks the data directory: the flag value, else $HOSTBOUND_DATA_DIR,
// else <OS user config dir>/hostbound. The result is absolute.
func Resolve(flagValue string) (string, error) {
	dir := flagValue
	if dir == "" {
		dir = os.Getenv(EnvVar)
	}
	if dir == "" {
		base, err := os.UserConfigDir()
		if err != nil {
			return "", fmt.Errorf("find the user config directory (set --data-dir): %w", err)
		}
		dir = filepath.Join(base, "hostbound")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("data directory %q: %w", dir, err)
	}
	return abs, nil
}

// Ensure creates dir with mode 0700 and tightens an existing one.
func Ensure(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create data directory: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("restrict data directory: %w", err)
	}
	return nil
}

// ID is a short stable name for dir, used where a per-directory identity is
// needed (the single-instance lock of the window system).
func ID(dir string) string {
	sum := sha256.Sum256([]byte(dir))
	return hex.EncodeToString(sum[:8])
}

// lockGrace is how long Acquire retries a lock another holder has.
const lockGrace = 300 * time.Millisecond

// Lock is an exclusive lock on a data directory, held until Release or exit.
type Lock struct{ f *os.File }

// Acquire takes the lock file dir/hostbound.lock without waiting; ErrInUse
// when another process has it.
func Acquire(dir string) (*Lock, error) {
	f, err := os.OpenFile(filepath.Join(dir, "hostbound.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	// A lock just released can still be held for a moment by a child
	// this process is forking (its copy of the descriptor lives until
	// exec): try again briefly before saying the directory is in use.
	err = lockFile(f)
	for deadline := time.Now().Add(lockGrace); errors.Is(err, ErrInUse) && time.Now().Before(deadline); err = lockFile(f) {
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return &Lock{f: f}, nil
}

// Release drops the lock.
func (l *Lock) Release() error { return l.f.Close() }
