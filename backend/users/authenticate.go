package users

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/hostcheck"
	"hostbound/backend/store"
)

// Guard throttles failed authentications per source and records them
// (bounded and aggregated): authguard.Guard.
type Guard interface {
	Blocked(src netip.Addr) (bool, time.Duration)
	Fail(src netip.Addr, rec audit.Record)
}

// KeyRequest is an API key as a face received it.
type KeyRequest struct {
	Key    string     // as the client sent it
	Source netip.Addr // the client's address (after trusted proxies)
	// Operation and Target name what was asked, for the audit record of a
	// refusal.
	Operation, Target string
}

// AuthenticateKey decides whether the key of r may act, for every face that
// takes API keys. It answers the actor, or a refusal (*apperr.Error) that
// carries PMP's message: Unauthenticated for an unknown, malformed,
// expired or disabled key, Forbidden for REST access off or a wrong host,
// RateLimited (with RetryAfter) once the source has failed too often.
//
// The steps cost in this order: the limiter (memory), the key's shape and
// checksum (no store), one index read, then host binding (DNS, cached).
// Refusals go through the guard, which throttles the source and writes
// bounded, aggregated audit records. The actor carries the key's HMAC, so
// that the use case's own transaction checks the key again (Resolve) and
// records its use with the audit record.
func (s *Service) AuthenticateKey(ctx context.Context, r KeyRequest, now time.Time) (access.Actor, error) {
	at, err := s.begin(r.Source, r.Operation, r.Target, "(unknown key)")
	if err != nil {
		return access.Actor{}, err
	}
	key, err := apikey.Parse(strings.TrimSpace(r.Key))
	switch {
	case errors.Is(err, apikey.ErrChecksum):
		return at.refuse(apperr.Unauthenticated, MsgUnknownKey, "API key checksum does not match")
	case err != nil:
		return at.refuse(apperr.Unauthenticated, MsgUnknownKey, "no API key, or not a Hostbound API key")
	}
	hash := s.keyHash(key)
	u, err := s.userByKey(hash)
	if errors.Is(err, store.ErrNotFound) {
		return at.refuse(apperr.Unauthenticated, MsgUnknownKey, "unknown API key")
	}
	if err != nil {
		return access.Actor{}, fmt.Errorf("authenticate api key: %w", err)
	}
	return s.admit(ctx, at, u, credKey+hash, now)
}

// SSHRequest is an SSH public key as the SSH face received it.
type SSHRequest struct {
	Username    string     // the SSH login name: the API username
	Fingerprint string     // SHA256 fingerprint of the offered public key (ssh.FingerprintSHA256)
	Source      netip.Addr // the client's address
	Operation   string     // for the audit record of a refusal
}

// AuthenticateSSH decides whether an API user may log into the SSH CLI
// with the offered public key: the same steps and refusals as
// AuthenticateKey (limiter, user state, validity, host binding), with the
// stored SSH key as the credential.
func (s *Service) AuthenticateSSH(ctx context.Context, r SSHRequest, now time.Time) (access.Actor, error) {
	at, err := s.begin(r.Source, r.Operation, r.Username, "(unknown user)")
	if err != nil {
		return access.Actor{}, err
	}
	var u *User
	err = s.st.View(func(tx *store.Txn) error {
		var err error
		u, err = s.load(tx, r.Username)
		return err
	})
	if apperr.As(err) != nil || (err == nil && u.Kind != KindAPI) {
		return at.refuse(apperr.Unauthenticated, MsgUnknownSSHKey, "no API user of this name")
	}
	if err != nil {
		return access.Actor{}, fmt.Errorf("authenticate ssh key: %w", err)
	}
	return s.admit(ctx, at, u, credSSH+r.Fingerprint, now)
}

// CertRequest is a client certificate as a TLS face received it (the
// handshake proved the client holds its private key).
type CertRequest struct {
	Fingerprint       string     // SHA-256 of the DER, upper-case hex with colons (credentials.Certificate)
	Source            netip.Addr // the client's address (after trusted proxies)
	Operation, Target string     // for the audit record of a refusal
}

// AuthenticateCertificate decides whether the API user whose stored
// certificate has this fingerprint may act: the same steps and refusals as
// AuthenticateKey, with the certificate's validity dates. Any CA: the
// binding is the stored fingerprint.
func (s *Service) AuthenticateCertificate(ctx context.Context, r CertRequest, now time.Time) (access.Actor, error) {
	at, err := s.begin(r.Source, r.Operation, r.Target, "(unknown certificate)")
	if err != nil {
		return access.Actor{}, err
	}
	x, err := s.index()
	if err != nil {
		return access.Actor{}, fmt.Errorf("authenticate client certificate: %w", err)
	}
	name, ok := x.certUser(r.Fingerprint)
	if !ok {
		return at.refuse(apperr.Unauthenticated, MsgUnknownCert, "unknown client certificate "+r.Fingerprint)
	}
	var u *User
	err = s.st.View(func(tx *store.Txn) error {
		var err error
		u, err = s.load(tx, name)
		return err
	})
	if apperr.As(err) != nil {
		return at.refuse(apperr.Unauthenticated, MsgUnknownCert, "unknown client certificate "+r.Fingerprint)
	}
	if err != nil {
		return access.Actor{}, fmt.Errorf("authenticate client certificate: %w", err)
	}
	return s.admit(ctx, at, u, credCert+r.Fingerprint, now)
}

// attempt is one authentication on its way: where it comes from, what it
// asked, and how its refusal is throttled and recorded.
type attempt struct {
	s                  *Service
	src                netip.Addr
	op, target, nobody string // nobody names the actor until a user is known
	u                  *User
}

// begin starts an authentication from src, unless src has failed too
// often (RateLimited, with RetryAfter).
func (s *Service) begin(src netip.Addr, op, target, nobody string) (*attempt, error) {
	if blocked, wait := s.guard.Blocked(src); blocked {
		e := apperr.New(apperr.RateLimited, MsgTooMany)
		e.RetryAfter = wait
		return nil, e
	}
	return &attempt{s: s, src: src, op: op, target: target, nobody: nobody}, nil
}

// refuse counts the failure against the source, records it (bounded and
// aggregated, by the guard) and answers the refusal.
func (at *attempt) refuse(code apperr.Code, msg, reason string) (access.Actor, error) {
	rec := audit.Record{Actor: at.nobody, ActorKind: string(KindAPI), Source: at.src.String(),
		Operation: at.op, Target: at.target, Result: audit.Failure, Reason: reason}
	if at.u != nil {
		rec.Actor, rec.ActorName = at.u.Username, at.u.FullName
	}
	at.s.guard.Fail(at.src, rec)
	return access.Actor{}, apperr.New(code, "%s", msg)
}

// admit finishes an authentication of u: the credential must be valid for
// u now and the source must be u's host.
func (s *Service) admit(ctx context.Context, at *attempt, u *User, credential string, now time.Time) (access.Actor, error) {
	at.u = u
	if msg := keyRefusal(u, credential, now); msg != "" {
		reason := map[string]string{
			MsgRESTOff:       "REST API not enabled",
			MsgAPIDisabled:   "API user is disabled",
			MsgUnknownKey:    "replaced API key past its grace period",
			MsgUnknownSSHKey: "not the user's stored SSH key",
			MsgUnknownCert:   "not the user's stored certificate",
		}[msg]
		if strings.HasPrefix(msg, MsgRevoked) {
			reason = "revoked: " + u.Revoked.Reason
		}
		if msg == MsgCertExpired || msg == MsgCertNotYetValid {
			reason = fmt.Sprintf("certificate valid from %s to %s", u.Certificate.NotBefore.Format(time.RFC3339), u.Certificate.NotAfter.Format(time.RFC3339))
		}
		if msg == MsgExpired {
			reason = "key expired on " + u.APIKey.ExpiresAt.Format(time.RFC3339)
		}
		return at.refuse(refusalCode(msg), msg, reason)
	}
	host, err := hostcheck.Parse(u.Host)
	if err != nil {
		return at.refuse(apperr.Forbidden, MsgWrongHost, "stored host is invalid: "+u.Host)
	}
	if m := s.matcher.Match(ctx, host, at.src); !m.OK {
		reason := fmt.Sprintf("wrong host: request from %s, expected %s", at.src, u.Host)
		if host.Kind == hostcheck.KindHostname {
			reason += fmt.Sprintf(" (resolves to %s)", strings.Join(m.Resolved, ", "))
		}
		return at.refuse(apperr.Forbidden, MsgWrongHost, reason)
	}
	a := ActorOf(u, at.src.String())
	a.Credential = credential
	return a, nil
}
