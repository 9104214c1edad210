package onboard

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"filippo.io/age"
	"filippo.io/age/agessh"
	"golang.org/x/crypto/ssh"
)

// Issued is one created API user's key, to be delivered. Key is the
// plaintext key: it lives in memory until it is written to its file.
type Issued struct {
	Username     string
	Host         string
	Key          string
	SSHPublicKey string // the user's authorized_keys line, "" without one
}

// KeyFileHeader is the first row of a key file.
var KeyFileHeader = []string{"username", "host", "key"}

// KeyFile is the CSV file of a run's keys. It is written batch by batch
// (Write syncs to disk before it returns), so that every committed batch's
// keys are on disk before the next batch starts.
type KeyFile struct {
	f    *os.File
	w    *csv.Writer
	rows int
}

// CreateKeyFile creates (or empties) the file at path with mode 0600 and
// writes the header. The file is written in place: a key goes nowhere but
// into the file the operator chose.
func CreateKeyFile(path string) (*KeyFile, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, err
	}
	// An existing file keeps its mode through O_TRUNC; a key file is 0600.
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return nil, err
	}
	k := &KeyFile{f: f, w: csv.NewWriter(f)}
	if err := k.put(KeyFileHeader); err != nil {
		f.Close()
		return nil, err
	}
	return k, k.sync()
}

// Write appends one row (username, host, key) for each of keys and syncs
// the file.
func (k *KeyFile) Write(keys []Issued) error {
	for _, it := range keys {
		if err := k.put([]string{it.Username, it.Host, it.Key}); err != nil {
			return err
		}
		k.rows++
	}
	return k.sync()
}

// Rows is how many keys the file holds.
func (k *KeyFile) Rows() int { return k.rows }

// Name is the file's path.
func (k *KeyFile) Name() string { return k.f.Name() }

func (k *KeyFile) put(rec []string) error { return k.w.Write(rec) }

func (k *KeyFile) sync() error {
	k.w.Flush()
	if err := k.w.Error(); err != nil {
		return err
	}
	return k.f.Sync()
}

// Close closes the file.
func (k *KeyFile) Close() error { return k.f.Close() }

// Sealable reports whether age can seal to the authorized_keys line
// sshPublicKey (ssh-ed25519 or ssh-rsa).
func Sealable(sshPublicKey string) bool {
	_, err := recipient(sshPublicKey)
	return err == nil
}

func recipient(sshPublicKey string) (age.Recipient, error) {
	pk, _, _, _, err := ssh.ParseAuthorizedKey([]byte(strings.TrimSpace(sshPublicKey)))
	if err != nil {
		return nil, fmt.Errorf("%w: not an authorized_keys line", ErrNotSealable)
	}
	if t := pk.Type(); t != ssh.KeyAlgoED25519 && t != ssh.KeyAlgoRSA {
		return nil, fmt.Errorf("%w (the key is %s)", ErrNotSealable, t)
	}
	// agessh's ssh-ed25519 and ssh-rsa recipients: the host's own key
	// opens the file with the age binary.
	r, err := agessh.ParseRecipient(string(ssh.MarshalAuthorizedKey(pk)))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotSealable, err)
	}
	return r, nil
}

// Seal writes key, with a line end, to w encrypted with age to the SSH
// public key sshPublicKey: the host's private key opens it
// (age -d -i ~/.ssh/id_ed25519).
func Seal(w io.Writer, key, sshPublicKey string) error {
	r, err := recipient(sshPublicKey)
	if err != nil {
		return err
	}
	enc, err := age.Encrypt(w, r)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(enc, key+"\n"); err != nil {
		return err
	}
	return enc.Close()
}

// SealedName is the file name of username's sealed key.
func SealedName(username string) string { return username + ".key.age" }

// WriteSealed writes it's key sealed to its SSH public key as
// dir/<username>.key.age, mode 0600, and returns the path. A file that
// could not be written whole is removed.
func WriteSealed(dir string, it Issued) (string, error) {
	name := SealedName(it.Username)
	if filepath.Base(name) != name || strings.ContainsAny(name, `/\`) {
		return "", fmt.Errorf("username %q cannot name a file", it.Username)
	}
	path := filepath.Join(dir, name)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return "", err
	}
	err = f.Chmod(0o600)
	if err == nil {
		err = Seal(f, it.Key, it.SSHPublicKey)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return "", err
	}
	return path, nil
}
