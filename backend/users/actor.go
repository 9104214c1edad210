package users

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/store"
)

// ActorOf names u acting from source ("desktop", "cli", an address).
func ActorOf(u *User, source string) access.Actor {
	return access.Actor{UserID: u.ID, Username: u.Username, Kind: u.Kind, Source: source}
}

// newID returns a fresh user id: 96 random bits, never reused.
func newID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b) // crypto/rand never fails (Go 1.24+)
	return "u" + hex.EncodeToString(b)
}

// Resolve re-reads actor a inside tx and returns it as the store says it
// is now. It refuses an actor whose user was deleted (or deleted and
// re-created: the id differs), disabled, or, for an API user, whose key was
// replaced, expired or turned off meanwhile. For an API user it records
// the key's use (time, source, count) in tx, so that the use commits with
// the call's audit record; tx must then be writable (audit.Log.Read sees
// to it).
func (s *Service) Resolve(tx *store.Txn, a access.Actor) (access.Principal, error) {
	_, p, err := s.resolve(tx, a)
	if err != nil {
		return p, err
	}
	return p, s.Used(tx, a)
}

func (s *Service) resolve(tx *store.Txn, a access.Actor) (*User, access.Principal, error) {
	var u User
	err := tx.Get(userKey(a.Username), &u)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (u.ID != a.UserID || u.Kind != a.Kind)) {
		return nil, access.Principal{}, s.gone(a)
	}
	if err != nil {
		return nil, access.Principal{}, err
	}
	if a.Kind == KindAPI {
		if msg := keyRefusal(&u, a.Credential, s.clock()); msg != "" {
			return nil, access.Principal{}, apperr.New(refusalCode(msg), "%s", msg)
		}
	} else if u.Disabled {
		return nil, access.Principal{}, apperr.New(apperr.Unauthenticated, MsgDisabled)
	}
	r, err := role(tx, u.Role)
	if err != nil {
		return nil, access.Principal{}, err
	}
	return &u, access.Principal{Actor: a, FullName: u.FullName, Role: r, Scope: u.Scope}, nil
}

func (s *Service) gone(a access.Actor) error {
	if a.Kind == KindAPI {
		return apperr.New(apperr.Unauthenticated, MsgUnknownKey)
	}
	return apperr.New(apperr.Unauthenticated, MsgGone)
}

// Credentials an API actor carries (access.Actor.Credential): the kind,
// a colon, and what identifies it.
const (
	credKey  = "key:"  // the HMAC of the API key
	credSSH  = "ssh:"  // the SHA256 fingerprint of the SSH public key
	credCert = "cert:" // the SHA-256 fingerprint of the client certificate
)

// keyRefusal says why u may not act with credential at now ("" when it
// may). An empty credential checks the user's state only.
func keyRefusal(u *User, credential string, now time.Time) string {
	if msg := revokedRefusal(u, credential, now); msg != "" {
		return msg // the kill switch, before anything else, for every face
	}
	if u.Disabled {
		return MsgAPIDisabled
	}
	kind, value, _ := strings.Cut(credential, ":")
	// The user's validity period is its API key's: an expired user is
	// refused whatever the credential.
	expired := u.APIKey != nil && u.APIKey.ExpiresAt != nil && !now.Before(*u.APIKey.ExpiresAt)
	switch kind + ":" {
	case credSSH:
		if u.SSHKey == nil || u.SSHKey.Fingerprint != value {
			return MsgUnknownSSHKey
		}
		if expired {
			return MsgExpired
		}
		return ""
	case credCert:
		c := u.Certificate
		switch {
		case c == nil || c.Fingerprint != value:
			return MsgUnknownCert
		case now.After(c.NotAfter):
			return MsgCertExpired
		case now.Before(c.NotBefore):
			return MsgCertNotYetValid
		case expired:
			return MsgExpired
		}
		return ""
	case credKey:
	default:
		if credential == "" {
			return ""
		}
		return MsgUnknownKey
	}
	switch k := u.APIKey; {
	case !u.RESTEnabled || k == nil:
		return MsgRESTOff
	case k.Hash == value:
		if k.ExpiresAt != nil && !now.Before(*k.ExpiresAt) {
			return MsgExpired
		}
		return ""
	case k.Previous != nil && k.Previous.Hash == value && now.Before(k.Previous.ValidUntil):
		return "" // a replaced key within its grace period
	}
	return MsgUnknownKey
}

// refusalCode is the code of a key refusal: Forbidden for what the key's
// holder may not do (REST access off, a wrong host), Unauthenticated for
// the key itself.
func refusalCode(msg string) apperr.Code {
	if msg == MsgRESTOff || msg == MsgWrongHost {
		return apperr.Forbidden
	}
	return apperr.Unauthenticated
}

// mayActOn checks that p may change target (edit, disable, enable, delete,
// reset the password of, regenerate the key of): the permission to manage
// its kind, and target ⊆ actor — p could grant the target's role and
// scope. Otherwise an Administrator holding apiusers.manage could take over
// the key of an All Passwords API user.
func (s *Service) mayActOn(tx *store.Txn, p access.Principal, target *User) error {
	if err := mayManage(p, target.Kind); err != nil {
		return err
	}
	r, err := role(tx, target.Role)
	if err != nil {
		return err
	}
	if !p.MayGrant(r, target.Scope) {
		return forbidden("You cannot change %s: their access level or scope is beyond yours", target.Username)
	}
	return nil
}

func isSelf(p access.Principal, u *User) bool {
	return u.ID == p.UserID && strings.EqualFold(u.Username, p.Username)
}

// UserID returns the id and the username as stored of the user named
// username (any case), for a share (the
// vault keeps shares by id). A missing user is a field error of the Share
// dialog.
func (s *Service) UserID(tx *store.Txn, username string) (id, name string, err error) {
	u, err := s.load(tx, username)
	if apperr.As(err) != nil {
		return "", "", apperr.Field("grantee", "Share with: no user named %s", username)
	}
	if err != nil {
		return "", "", err
	}
	return u.ID, u.Username, nil
}
