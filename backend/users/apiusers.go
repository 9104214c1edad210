package users

import (
	"encoding/hex"
	"strings"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/credentials"
	"hostbound/backend/hostcheck"
	"hostbound/backend/store"
)

const keyHashPrefix = "apikeyhash/"

// keyHashKey indexes API users by the HMAC of their key, so that the REST
// API finds the user of a key in one lookup, whatever the number of users.
func keyHashKey(hash string) string { return keyHashPrefix + hash }

// APIUserInput is the Add API User form (PRODUCT.md §2), in its order.
type APIUserInput struct {
	Username     string
	Host         string
	FullName     string
	Email        string
	Role         string
	Scope        access.Scope
	SSHPublicKey string // optional authorized_keys line
	Certificate  string // optional PEM
	RESTEnabled  bool
	NeverExpires bool
	ExpiresAt    *time.Time // required unless NeverExpires
	Department   string
	Location     string
}

// validate checks every field, collecting all failures, and returns the
// parsed credentials.
//
// current is the expiry already stored (edits): keeping it unchanged is
// allowed even when it has passed, so that an expired user can still be
// edited.
func (in *APIUserInput) validate(f *apperr.Form, creating bool, now time.Time, current *time.Time) (host string, ssh *credentials.SSHKey, cert *credentials.Certificate) {
	in.Username, in.FullName, in.Email = strings.TrimSpace(in.Username), strings.TrimSpace(in.FullName), strings.TrimSpace(in.Email)
	if creating {
		f.Check(ValidateUsername(in.Username))
	}
	if h, err := hostcheck.Parse(in.Host); err != nil {
		f.Add("host", "Host Name: %s", err)
	} else {
		host = h.String()
	}
	f.Check(ValidateFullName(in.FullName))
	f.Check(ValidateEmail(in.Email))
	if in.Role == "" {
		f.Add("role", "Access Level: required")
	}
	if s := strings.TrimSpace(in.SSHPublicKey); s != "" {
		if k, err := credentials.ParseSSHKey(s); err != nil {
			f.Add("sshPublicKey", "Public key for SSH CLI access: %s", err)
		} else {
			ssh = &k
		}
	}
	if s := strings.TrimSpace(in.Certificate); s != "" {
		if c, err := credentials.ParseCertificate(s, now); err != nil {
			f.Add("certificate", "SSL Certificate: %s", err)
		} else {
			cert = &c
		}
	}
	if in.RESTEnabled && !in.NeverExpires {
		switch {
		case in.ExpiresAt == nil:
			f.Add("expiresAt", "Expiry date: choose a date or Never Expires")
		case !in.ExpiresAt.After(now) && (current == nil || !in.ExpiresAt.Equal(*current)):
			f.Add("expiresAt", "Expiry date must be in the future")
		}
	}
	f.Check(ValidateText("department", "Department", in.Department))
	f.Check(ValidateText("location", "Location", in.Location))
	return host, ssh, cert
}

func (in *APIUserInput) expiry() *time.Time {
	if in.NeverExpires || in.ExpiresAt == nil {
		return nil
	}
	t := in.ExpiresAt.UTC()
	return &t
}

// CreateAPIUser adds an API user. With REST API enabled, key is the key that
// was generated and shown in the form; only its HMAC is stored.
func (s *Service) CreateAPIUser(a access.Actor, in APIUserInput, key *apikey.Key) (*User, error) {
	var out *User
	err := s.change(a, "create api user", in.Username, func(tx *store.Txn, p access.Principal) error {
		if err := mayManage(p, KindAPI); err != nil {
			return err
		}
		var err error
		if out, err = s.createAPIUserIn(tx, p, in, key); err != nil {
			return err
		}
		if in.RESTEnabled {
			// The key's generation is its own audit record.
			r := record(a, p.FullName, "generate api key", in.Username)
			r.Result = audit.Success
			_, err = s.audit.Append(tx, r)
		}
		return err
	})
	return out, err
}

// UpdateAPIUser edits an API user; the username is fixed. Turning the REST
// API off keeps the key but refuses it ("REST API access is not enabled");
// turning it on again revives that key unless a new one is given.
func (s *Service) UpdateAPIUser(a access.Actor, username string, in APIUserInput, key *apikey.Key) (*User, error) {
	var out *User
	err := s.change(a, "edit api user", username, func(tx *store.Txn, p access.Principal) error {
		u, err := s.load(tx, username)
		if err != nil {
			return err
		}
		if u.Kind != KindAPI {
			return apperr.New(apperr.Invalid, "%s is not an API user", username)
		}
		if err := s.mayActOn(tx, p, u); err != nil {
			return err
		}
		now := s.clock().UTC()
		var f apperr.Form
		var current *time.Time
		if u.APIKey != nil && key == nil {
			current = u.APIKey.ExpiresAt
		}
		host, ssh, cert := in.validate(&f, false, now, current)
		if in.RESTEnabled && u.APIKey == nil && key == nil {
			f.Add("apiKey", "API Key: generate a key, or turn the REST API off")
		}
		s.certFree(&f, cert, username)
		if err := f.Err(); err != nil {
			return err
		}
		if err := s.checkGrant(tx, p, u, in.Role, in.Scope); err != nil {
			return err
		}
		u.Host, u.FullName, u.Email, u.Role, u.Scope = host, in.FullName, in.Email, in.Role, in.Scope
		u.SSHKey, u.Certificate, u.Department, u.Location = ssh, cert, in.Department, in.Location
		u.UpdatedAt = now
		switch {
		case key != nil:
			if err := s.setKey(tx, u, *key, in.expiry()); err != nil {
				return err
			}
			r := record(a, p.FullName, "generate api key", u.Username)
			r.Result = audit.Success
			if _, err := s.audit.Append(tx, r); err != nil {
				return err
			}
		case u.APIKey != nil && in.RESTEnabled:
			u.APIKey.ExpiresAt = in.expiry()
		}
		u.RESTEnabled = in.RESTEnabled
		out = u
		return s.put(tx, u)
	})
	return out, err
}

// certFree refuses a certificate another user holds: a certificate names
// exactly one API user.
func (s *Service) certFree(f *apperr.Form, cert *credentials.Certificate, username string) {
	if cert == nil {
		return
	}
	x, err := s.index()
	if err != nil {
		f.Add("certificate", "SSL Certificate: could not check that no other API user holds it (%v)", err)
		return
	}
	if holder, ok := x.certUser(cert.Fingerprint); ok && holder != strings.ToLower(username) {
		f.Add("certificate", "SSL Certificate: already used by the API user %s", holder)
	}
}

// MaxGrace is the longest an old key may keep working after Regenerate.
const MaxGrace = 7 * 24 * time.Hour

// RegenerateAPIKey replaces an API user's key with key. The old key stops
// working when this commits, or, with a grace period, at the end of it, so
// that scripts can switch without downtime — but never after its own
// expiry: a grace period does not revive an expired key. The expiry stays
// as it was.
func (s *Service) RegenerateAPIKey(a access.Actor, username string, key apikey.Key, grace time.Duration) (*User, error) {
	var out *User
	err := s.change(a, "regenerate api key", username, func(tx *store.Txn, p access.Principal) error {
		u, err := s.load(tx, username)
		if err != nil {
			return err
		}
		if err := s.mayActOn(tx, p, u); err != nil {
			return err
		}
		if u.Kind != KindAPI || !u.RESTEnabled {
			return apperr.New(apperr.Invalid, "Enable the REST API for %s first", username)
		}
		if grace < 0 || grace > MaxGrace {
			return apperr.Field("grace", "Grace period: from none to 7 days")
		}
		now := s.clock().UTC()
		// The new key keeps the old expiry; when that has passed, it gets
		// the same validity period again from now (never "never expires").
		var exp *time.Time
		if old := u.APIKey; old != nil && old.ExpiresAt != nil {
			e := *old.ExpiresAt
			if !e.After(now) {
				e = now.Add(max(old.ExpiresAt.Sub(old.CreatedAt), 24*time.Hour))
			}
			exp = &e
		}
		var prev *PreviousKey
		if old := u.APIKey; old != nil && grace > 0 {
			until := now.Add(grace)
			if old.ExpiresAt != nil && old.ExpiresAt.Before(until) {
				until = old.ExpiresAt.UTC()
			}
			if until.After(now) {
				prev = &PreviousKey{Hash: old.Hash, ValidUntil: until}
			}
		}
		if err := s.dropKey(tx, u); err != nil {
			return err
		}
		if prev != nil {
			// The old key stays findable until its grace period ends.
			if err := tx.Put(keyHashKey(prev.Hash), strings.ToLower(u.Username)); err != nil {
				return err
			}
		}
		if err := s.setKey(tx, u, key, exp); err != nil {
			return err
		}
		u.APIKey.Previous = prev
		u.UpdatedAt = now
		out = u
		return s.put(tx, u)
	})
	return out, err
}

// setKey stores key's HMAC for u, dropping the old one (its grace entry
// too, unless the caller put it back).
func (s *Service) setKey(tx *store.Txn, u *User, key apikey.Key, exp *time.Time) error {
	if u.APIKey != nil {
		if err := s.dropKey(tx, u); err != nil {
			return err
		}
	}
	h := s.keyHash(key)
	if err := tx.Put(keyHashKey(h), strings.ToLower(u.Username)); err != nil {
		return err
	}
	u.APIKey = &KeyInfo{Hash: h, Hint: key.Hint(), CreatedAt: s.clock().UTC(), ExpiresAt: exp}
	return nil
}

func (s *Service) keyHash(key apikey.Key) string {
	sum := apikey.Hash(s.keyMAC, key)
	return hex.EncodeToString(sum[:])
}

func (s *Service) dropKey(tx *store.Txn, u *User) error {
	if u.APIKey == nil {
		return nil
	}
	for _, h := range u.APIKey.hashes() {
		if err := tx.Delete(keyHashKey(h)); err != nil {
			return err
		}
	}
	u.APIKey = nil
	return nil
}

// hashes are the index entries of a key: its own and, within a grace
// period, the one it replaced.
func (k *KeyInfo) hashes() []string {
	if k.Previous != nil {
		return []string{k.Hash, k.Previous.Hash}
	}
	return []string{k.Hash}
}

// lookup finds the user holding the key whose HMAC is hash: one index read
// and one user read, whatever the number of users.
func (s *Service) lookup(tx *store.Txn, hash string) (*User, error) {
	var name string
	if err := tx.Get(keyHashKey(hash), &name); err != nil {
		return nil, err
	}
	var u User
	if err := tx.Get(userKey(name), &u); err != nil {
		return nil, err
	}
	return &u, nil
}
