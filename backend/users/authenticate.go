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
	if blocked, wait := s.guard.Blocked(r.Source); blocked {
		e := apperr.New(apperr.RateLimited, MsgTooMany)
		e.RetryAfter = wait
		return access.Actor{}, e
	}
	var u *User
	refuse := func(code apperr.Code, msg, reason string) (access.Actor, error) {
		rec := audit.Record{Actor: "(unknown key)", ActorKind: string(KindAPI), Source: r.Source.String(),
			Operation: r.Operation, Target: r.Target, Result: audit.Failure, Reason: reason}
		if u != nil {
			rec.Actor, rec.ActorName = u.Username, u.FullName
		}
		s.guard.Fail(r.Source, rec)
		return access.Actor{}, apperr.New(code, "%s", msg)
	}
	key, err := apikey.Parse(strings.TrimSpace(r.Key))
	switch {
	case errors.Is(err, apikey.ErrChecksum):
		return refuse(apperr.Unauthenticated, MsgUnknownKey, "API key checksum does not match")
	case err != nil:
		return refuse(apperr.Unauthenticated, MsgUnknownKey, "no API key, or not a Hostbound API key")
	}
	hash := s.keyHash(key)
	err = s.st.View(func(tx *store.Txn) error {
		var err error
		u, err = s.lookup(tx, hash)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return refuse(apperr.Unauthenticated, MsgUnknownKey, "unknown API key")
	}
	if err != nil {
		return access.Actor{}, fmt.Errorf("authenticate api key: %w", err)
	}
	if msg := keyRefusal(u, hash, now); msg != "" {
		reason := map[string]string{
			MsgRESTOff:     "REST API not enabled",
			MsgAPIDisabled: "API user is disabled",
			MsgUnknownKey:  "replaced API key past its grace period",
		}[msg]
		if msg == MsgExpired {
			reason = "API key expired on " + u.APIKey.ExpiresAt.Format(time.RFC3339)
		}
		return refuse(refusalCode(msg), msg, reason)
	}
	host, err := hostcheck.Parse(u.Host)
	if err != nil {
		return refuse(apperr.Forbidden, MsgWrongHost, "stored host is invalid: "+u.Host)
	}
	if m := s.matcher.Match(ctx, host, r.Source); !m.OK {
		reason := fmt.Sprintf("wrong host: request from %s, expected %s", r.Source, u.Host)
		if host.Kind == hostcheck.KindHostname {
			reason += fmt.Sprintf(" (resolves to %s)", strings.Join(m.Resolved, ", "))
		}
		return refuse(apperr.Forbidden, MsgWrongHost, reason)
	}
	a := ActorOf(u, r.Source.String())
	a.Credential = hash
	return a, nil
}
