package desktop

import (
	"github.com/samber/lo"

	"hostbound/backend/access"
	"hostbound/backend/services"
	"hostbound/backend/users"
)

// KillSwitch is bound to the frontend: the Users screen's "Revoke keys…"
// dialog and the "Restore access" action of an API user. The rules live in
// users (killswitch.go).
type KillSwitch struct{ s *Session }

// NewKillSwitch returns the KillSwitch facade over a session.
func NewKillSwitch(s *Session) *KillSwitch { return &KillSwitch{s: s} }

// AffectedRow is a selected API user and what the revocation does to it:
// "revoke", "not yours to revoke" or "already revoked".
type AffectedRow struct {
	UserRow
	Status string `json:"status"`
}

// RevocationPreview is who a revocation affects: the counts, and one
// window of the users.
type RevocationPreview struct {
	Total          int           `json:"total"`
	Revoke         int           `json:"revoke"`
	NotYours       int           `json:"notYours"`
	AlreadyRevoked int           `json:"alreadyRevoked"`
	Rows           []AffectedRow `json:"rows"`
}

// RevokeResult is what a revocation did; Batches is the number of
// transactions it took.
type RevokeResult struct {
	Revoked        int `json:"revoked"`
	NotYours       int `json:"notYours"`
	AlreadyRevoked int `json:"alreadyRevoked"`
	Batches        int `json:"batches"`
}

// RevocationView is an API user's revocation; At is RFC 3339 ("" when
// not revoked).
type RevocationView struct {
	Revoked bool   `json:"revoked"`
	At      string `json:"at"`
	By      string `json:"by"`
	Reason  string `json:"reason"`
}

// PreviewRevocation shows the counts and the window [offset, offset+limit)
// of the API users sel selects.
func (k *KillSwitch) PreviewRevocation(sel users.Selection, offset, limit int) (RevocationPreview, error) {
	var out RevocationPreview
	err := k.s.run("preview revoke access", func(a access.Actor, svc *services.Services) error {
		p, err := svc.Users.PreviewRevocation(a, sel, offset, limit)
		if err != nil {
			return err
		}
		roles, err := svc.Users.Roles(a)
		if err != nil {
			return err
		}
		now := k.s.cfg.Clock()
		out = RevocationPreview{Total: p.Total, Revoke: p.Revoke, NotYours: p.NotYours, AlreadyRevoked: p.AlreadyRevoked,
			Rows: lo.Map(p.Rows, func(x users.Affected, _ int) AffectedRow {
				return AffectedRow{UserRow: row(x.Row, roles, now), Status: x.Status}
			})}
		return nil
	})
	return out, err
}

// RevokeAccess revokes REST, SSH and certificate access of the API users
// sel selects, with reason (required).
func (k *KillSwitch) RevokeAccess(sel users.Selection, reason string) (RevokeResult, error) {
	var out RevokeResult
	err := k.s.run("revoke access", func(a access.Actor, svc *services.Services) error {
		r, err := svc.Users.RevokeAccess(a, sel, reason)
		out = RevokeResult{Revoked: r.Revoked, NotYours: r.NotYours, AlreadyRevoked: r.AlreadyRevoked, Batches: r.Batches}
		return err
	})
	return out, err
}

// GetRevocation says whether an API user's access is revoked, by whom,
// when and why (the Edit API User form).
func (k *KillSwitch) GetRevocation(username string) (RevocationView, error) {
	var out RevocationView
	err := k.s.run("view user", func(a access.Actor, svc *services.Services) error {
		u, err := svc.Users.Get(a, username)
		if err == nil {
			out = revocationView(u)
		}
		return err
	})
	return out, err
}

// RestoreAccess lifts an API user's revocation: its key, SSH key and
// certificate work again as they were.
func (k *KillSwitch) RestoreAccess(username string) (RevocationView, error) {
	var out RevocationView
	err := k.s.run("restore access", func(a access.Actor, svc *services.Services) error {
		u, err := svc.Users.RestoreAccess(a, username)
		if err == nil {
			out = revocationView(u)
		}
		return err
	})
	return out, err
}

func revocationView(u *users.User) RevocationView {
	r := u.Revoked
	if r == nil {
		return RevocationView{}
	}
	return RevocationView{Revoked: true, At: rfc3339(&r.At), By: r.By, Reason: r.Reason}
}
