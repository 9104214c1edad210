package settings

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"

	"golang.org/x/crypto/ssh"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/store"
)

// DefaultSSHListen is the SSH CLI's address unless told otherwise: this
// machine only, PMP's port (PRODUCT.md §9).
const DefaultSSHListen = "127.0.0.1:5522"

const (
	sshKey     = "settings/sshcli"
	hostKeyKey = "sshcli/hostkey"
)

// SSH are the SSH CLI server's settings. It is off until enabled.
type SSH struct {
	Listen  string `json:"listen"`
	Enabled bool   `json:"enabled"`
}

// Validate checks the fields, naming each.
func (s SSH) Validate() error {
	var f apperr.Form
	if !validListen(s.Listen) {
		f.Add("sshListen", "SSH listen address: host:port, e.g. 127.0.0.1:5522 or 0.0.0.0:5522")
	}
	return f.Err()
}

// CurrentSSH returns the stored SSH settings, or the defaults (off, on
// DefaultSSHListen), for the server that applies them.
func (s *Service) CurrentSSH() (SSH, error) {
	out := SSH{Listen: DefaultSSHListen}
	err := s.st.View(func(tx *store.Txn) error { return tx.Get(sshKey, &out) })
	if errors.Is(err, store.ErrNotFound) {
		err = nil
	}
	return out, err
}

// GetSSH returns the SSH settings to a who may see the settings.
func (s *Service) GetSSH(a access.Actor) (SSH, error) {
	if err := s.MayView(a); err != nil {
		return SSH{}, err
	}
	return s.CurrentSSH()
}

// SaveSSH stores new SSH settings for a holder of settings.manage.
func (s *Service) SaveSSH(a access.Actor, set SSH) error {
	return s.audit.Act(s.st, s.resolver, a, "change ssh cli settings", set.Listen, func(tx *store.Txn, p access.Principal, _ *audit.Record) error {
		if !p.Has(access.SettingsManage) {
			return apperr.New(apperr.Forbidden, "You are not allowed to change security settings")
		}
		if err := set.Validate(); err != nil {
			return err
		}
		return tx.Put(sshKey, set)
	})
}

// SSHHostKey returns the SSH CLI's host key and its SHA256 fingerprint,
// creating an ed25519 key on first use; it lives only in the encrypted
// store.
func (s *Service) SSHHostKey() (ssh.Signer, string, error) {
	var seed []byte
	err := s.st.Update(func(tx *store.Txn) error {
		err := tx.Get(hostKeyKey, &seed)
		if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return err
		}
		seed = priv.Seed()
		return tx.Put(hostKeyKey, seed)
	})
	if err != nil {
		return nil, "", fmt.Errorf("ssh host key: %w", err)
	}
	signer, err := ssh.NewSignerFromKey(ed25519.NewKeyFromSeed(seed))
	if err != nil {
		return nil, "", fmt.Errorf("ssh host key: %w", err)
	}
	return signer, ssh.FingerprintSHA256(signer.PublicKey()), nil
}
