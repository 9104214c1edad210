package masterkey

import (
	"encoding/base64"
	"fmt"
)

// ImportInKeyring gives a fresh data directory an existing master key (a
// restore: the backup's key, which its API keys and audit chain depend on),
// stored in the OS keyring under a new account, and writes the header. It
// refuses when a header already exists.
func (m *Manager) ImportInKeyring(key []byte) error {
	if len(key) != Size {
		return fmt.Errorf("import master key: %d bytes, want %d", len(key), Size)
	}
	if err := m.mustBeFresh(); err != nil {
		return err
	}
	_, h, err := m.newKey(ModeKeyring)
	if err != nil {
		return err
	}
	h.Check = check(key)
	h.Account = "master-key-" + h.InstallID
	if err := m.keyring.Set(Service, h.Account, base64.StdEncoding.EncodeToString(key)); err != nil {
		return fmt.Errorf("store master key in keyring: %w", err)
	}
	if _, err := m.fromKeyring(h); err != nil {
		return fmt.Errorf("read back master key from keyring: %w", err)
	}
	return m.writeHeader(h)
}

// ImportWithPassphrase is ImportInKeyring for passphrase mode: the key is
// wrapped with passphrase in the header.
func (m *Manager) ImportWithPassphrase(key []byte, passphrase string) error {
	if len(key) != Size {
		return fmt.Errorf("import master key: %d bytes, want %d", len(key), Size)
	}
	if len([]rune(passphrase)) < MinPassphraseLen {
		return fmt.Errorf("passphrase: at least %d characters", MinPassphraseLen)
	}
	if err := m.mustBeFresh(); err != nil {
		return err
	}
	_, h, err := m.newKey(ModePassphrase)
	if err != nil {
		return err
	}
	h.Check = check(key)
	kdf := DefaultKDF
	kdf.Salt = make([]byte, 16)
	h.Nonce = make([]byte, 12)
	if err := m.read(kdf.Salt, h.Nonce); err != nil {
		return err
	}
	h.KDF = &kdf
	aead, err := kdfAEAD(passphrase, &kdf)
	if err != nil {
		return err
	}
	h.WrappedKey = aead.Seal(nil, h.Nonce, key, aad(h))
	return m.writeHeader(h)
}
