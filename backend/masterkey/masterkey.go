// Package masterkey creates, stores and recovers the 32-byte master key that
// encrypts Hostbound's data directory.
//
// The key lives in one of two places, recorded in the directory's header
// file (masterkey.json, 0600):
//
//   - keyring: the OS keyring holds the key (base64) under service
//     "hostbound" and an account unique to the data directory;
//   - passphrase: the header holds the key sealed with AES-256-GCM under a
//     key derived from the passphrase with argon2id (t=3, 64 MiB, p=2).
//
// Either way the header keeps a check value (an HMAC of a constant under the
// key) so that a wrong key is told apart from damaged data before the store
// is opened. A missing or wrong key never leads to a new key over old data.
package masterkey

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"golang.org/x/crypto/argon2"

	"hostbound/backend/datadir"
)

// Size of the master key in bytes.
const Size = 32

// HeaderFile is the name of the header inside the data directory.
const HeaderFile = "masterkey.json"

// Service is the keyring service name.
const Service = "hostbound"

// Mode says where the master key is kept.
type Mode string

const (
	ModeKeyring    Mode = "keyring"
	ModePassphrase Mode = "passphrase"
)

// MinPassphraseLen is the shortest passphrase accepted.
const MinPassphraseLen = 12

// KDF holds the argon2id parameters, stored so that they can change later.
type KDF struct {
	Name    string `json:"name"`
	Time    uint32 `json:"time"`
	Memory  uint32 `json:"memoryKiB"`
	Threads uint8  `json:"threads"`
	Salt    []byte `json:"salt"`
}

// DefaultKDF is what new passphrase headers use.
var DefaultKDF = KDF{Name: "argon2id", Time: 3, Memory: 64 * 1024, Threads: 2}

// Header is the content of masterkey.json. It holds no key material in
// the clear.
type Header struct {
	Version    int       `json:"version"`
	Mode       Mode      `json:"mode"`
	InstallID  string    `json:"installId"`
	Account    string    `json:"keyringAccount,omitempty"`
	KDF        *KDF      `json:"kdf,omitempty"`
	Nonce      []byte    `json:"nonce,omitempty"`
	WrappedKey []byte    `json:"wrappedKey,omitempty"`
	Check      []byte    `json:"check"`
	CreatedAt  time.Time `json:"createdAt"`
}

// Manager handles the master key of one data directory.
type Manager struct {
	dir     string
	keyring Keyring
	rand    io.Reader
}

// New returns a manager for dir using kr as the OS keyring.
func New(dir string, kr Keyring) *Manager {
	return &Manager{dir: dir, keyring: kr, rand: rand.Reader}
}

// HeaderPath is the path of masterkey.json.
func (m *Manager) HeaderPath() string { return filepath.Join(m.dir, HeaderFile) }

// Header reads the header: ErrNotInitialized on a fresh directory,
// ErrHeaderMissing when data exists without one.
func (m *Manager) Header() (*Header, error) {
	b, err := os.ReadFile(m.HeaderPath())
	if errors.Is(err, os.ErrNotExist) {
		if hasData(filepath.Join(m.dir, "db")) {
			return nil, ErrHeaderMissing
		}
		return nil, ErrNotInitialized
	}
	if err != nil {
		return nil, fmt.Errorf("read master key header: %w", err)
	}
	var h Header
	if err := json.Unmarshal(b, &h); err != nil || h.Version != 1 || len(h.Check) == 0 {
		return nil, ErrBadHeader
	}
	if h.Mode != ModeKeyring && h.Mode != ModePassphrase {
		return nil, ErrBadHeader
	}
	return &h, nil
}

// CreateInKeyring makes a new master key, stores it in the OS keyring and
// writes the header. It refuses when a header already exists.
func (m *Manager) CreateInKeyring() ([]byte, error) {
	if err := m.mustBeFresh(); err != nil {
		return nil, err
	}
	key, h, err := m.newKey(ModeKeyring)
	if err != nil {
		return nil, err
	}
	h.Account = "master-key-" + h.InstallID
	if err := m.keyring.Set(Service, h.Account, base64.StdEncoding.EncodeToString(key)); err != nil {
		return nil, fmt.Errorf("store master key in keyring: %w", err)
	}
	// Read it back: a keyring that accepts and forgets is not usable.
	if _, err := m.fromKeyring(h); err != nil {
		return nil, fmt.Errorf("read back master key from keyring: %w", err)
	}
	if err := m.writeHeader(h); err != nil {
		return nil, err
	}
	return key, nil
}

// CreateWithPassphrase makes a new master key wrapped with the passphrase.
func (m *Manager) CreateWithPassphrase(passphrase string) ([]byte, error) {
	if len([]rune(passphrase)) < MinPassphraseLen {
		return nil, fmt.Errorf("passphrase: at least %d characters", MinPassphraseLen)
	}
	if err := m.mustBeFresh(); err != nil {
		return nil, err
	}
	key, h, err := m.newKey(ModePassphrase)
	if err != nil {
		return nil, err
	}
	kdf := DefaultKDF
	kdf.Salt = make([]byte, 16)
	h.Nonce = make([]byte, 12)
	if err := m.read(kdf.Salt, h.Nonce); err != nil {
		return nil, err
	}
	h.KDF = &kdf
	aead, err := kdfAEAD(passphrase, &kdf)
	if err != nil {
		return nil, err
	}
	h.WrappedKey = aead.Seal(nil, h.Nonce, key, aad(h))
	if err := m.writeHeader(h); err != nil {
		return nil, err
	}
	return key, nil
}

// Load returns the key from the OS keyring (keyring mode).
func (m *Manager) Load() ([]byte, error) {
	h, err := m.Header()
	if err != nil {
		return nil, err
	}
	if h.Mode != ModeKeyring {
		return nil, fmt.Errorf("load master key: this data directory uses a passphrase")
	}
	return m.fromKeyring(h)
}

// Unlock returns the key unwrapped with the passphrase (passphrase mode).
func (m *Manager) Unlock(passphrase string) ([]byte, error) {
	h, err := m.Header()
	if err != nil {
		return nil, err
	}
	if h.Mode != ModePassphrase || h.KDF == nil {
		return nil, fmt.Errorf("unlock: this data directory keeps its key in the OS keyring")
	}
	aead, err := kdfAEAD(passphrase, h.KDF)
	if err != nil {
		return nil, err
	}
	key, err := aead.Open(nil, h.Nonce, h.WrappedKey, aad(h))
	if err != nil {
		return nil, ErrWrongPassphrase
	}
	if !hmac.Equal(check(key), h.Check) {
		return nil, ErrBadHeader
	}
	return key, nil
}

func (m *Manager) fromKeyring(h *Header) ([]byte, error) {
	s, err := m.keyring.Get(Service, h.Account)
	if err != nil {
		return nil, err
	}
	key, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(key) != Size || !hmac.Equal(check(key), h.Check) {
		return nil, ErrKeyMismatch
	}
	return key, nil
}

func (m *Manager) mustBeFresh() error {
	_, err := m.Header()
	switch {
	case errors.Is(err, ErrNotInitialized):
		return nil
	case err == nil:
		return fmt.Errorf("create master key: this data directory already has one")
	default:
		return err
	}
}

func (m *Manager) newKey(mode Mode) ([]byte, *Header, error) {
	key := make([]byte, Size)
	id := make([]byte, 8)
	if err := m.read(key, id); err != nil {
		return nil, nil, err
	}
	return key, &Header{
		Version:   1,
		Mode:      mode,
		InstallID: hex.EncodeToString(id),
		Check:     check(key),
		CreatedAt: time.Now().UTC(),
	}, nil
}

func (m *Manager) read(bufs ...[]byte) error {
	for _, b := range bufs {
		if _, err := io.ReadFull(m.rand, b); err != nil {
			return fmt.Errorf("read random bytes: %w", err)
		}
	}
	return nil
}

// writeHeader writes the header atomically: temp file, fsync, rename.
func (m *Manager) writeHeader(h *Header) error {
	if err := os.MkdirAll(m.dir, 0o700); err != nil {
		return fmt.Errorf("write master key header: %w", err)
	}
	b, err := json.MarshalIndent(h, "", "  ")
	if err != nil {
		return fmt.Errorf("write master key header: %w", err)
	}
	if err := datadir.WriteFileAtomic(m.HeaderPath(), b); err != nil {
		return fmt.Errorf("write master key header: %w", err)
	}
	return nil
}

func kdfAEAD(passphrase string, k *KDF) (cipher.AEAD, error) {
	if k.Name != "argon2id" || k.Time == 0 || k.Memory == 0 || k.Threads == 0 {
		return nil, ErrBadHeader
	}
	kek := argon2.IDKey([]byte(passphrase), k.Salt, k.Time, k.Memory, k.Threads, Size)
	if k.Memory >= 16<<10 {
		// Argon2's blocks (64 MiB by default) are garbage now, but the Go
		// runtime keeps freed heap resident for reuse: `serve` idled at
		// 150 MB, 64 of them this (measured). Give them back to the OS.
		debug.FreeOSMemory()
	}
	block, err := aes.NewCipher(kek)
	if err != nil {
		return nil, fmt.Errorf("passphrase cipher: %w", err)
	}
	return cipher.NewGCM(block)
}

func aad(h *Header) []byte { return []byte("hostbound-masterkey-v1:" + h.InstallID) }

func check(key []byte) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("hostbound master key check v1"))
	return mac.Sum(nil)[:16]
}

func hasData(dir string) bool {
	entries, err := os.ReadDir(dir)
	return err == nil && len(entries) > 0
}
