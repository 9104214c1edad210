package users

import (
	"slices"
	"strings"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/store"
)

// IdleAfter: a key unused this long (or never used) counts as idle.
const IdleAfter = 90 * 24 * time.Hour

// Report is the Reports screen: API keys by status, idle keys, Super
// Administrators and API users per host.
type Report struct {
	KeyStatus    map[string]int `json:"keyStatus"`    // active, expiring30, expiring7, expiring1, expired, none, disabled
	ExpiringSoon []*Row         `json:"expiringSoon"` // within 30 days, soonest first
	IdleKeys     []*Row         `json:"idleKeys"`     // active keys unused for 90 days or never used
	SuperAdmins  []*Row         `json:"superAdmins"`
	PerHost      []HostCount    `json:"perHost"` // most API users first
	// Roles names every role id of the rows.
	Roles map[string]access.Role `json:"-"`
}

// HostCount is the number of API users bound to one host.
type HostCount struct {
	Host  string `json:"host"`
	Count int    `json:"count"`
}

// Report computes the report at now for a holder of reports.view.
func (s *Service) Report(a access.Actor, now time.Time) (Report, error) {
	var rep Report
	err := s.read(a, "view reports", "", func(tx *store.Txn, p access.Principal) error {
		if !p.Has(access.ReportsView) {
			return forbidden("You are not allowed to view reports")
		}
		roles, err := s.roleNames(tx)
		if err != nil {
			return err
		}
		rep = s.report(now, roles)
		return nil
	})
	return rep, err
}

func (s *Service) report(now time.Time, roles map[string]access.Role) Report {
	rep := Report{KeyStatus: map[string]int{}, Roles: roles}
	hosts := map[string]int{}
	s.idx.mu.RLock()
	for _, r := range s.idx.rows {
		if access.IsSuperAdmin(roles[r.Role], r.Scope) {
			rep.SuperAdmins = append(rep.SuperAdmins, r)
		}
		if r.Kind != KindAPI {
			continue
		}
		hosts[r.Host]++
		st := r.KeyStatus(now)
		switch st {
		case KeyExpiring:
			left := r.KeyExpiresAt.Sub(now)
			switch {
			case left <= 24*time.Hour:
				rep.KeyStatus["expiring1"]++
			case left <= 7*24*time.Hour:
				rep.KeyStatus["expiring7"]++
			default:
				rep.KeyStatus["expiring30"]++
			}
			rep.ExpiringSoon = append(rep.ExpiringSoon, r)
		default:
			rep.KeyStatus[st]++
		}
		if r.idle(now) {
			rep.IdleKeys = append(rep.IdleKeys, r)
		}
	}
	s.idx.mu.RUnlock()
	slices.SortFunc(rep.ExpiringSoon, func(a, b *Row) int { return a.KeyExpiresAt.Compare(*b.KeyExpiresAt) })
	for h, n := range hosts {
		rep.PerHost = append(rep.PerHost, HostCount{Host: h, Count: n})
	}
	slices.SortFunc(rep.PerHost, func(a, b HostCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Host, b.Host)
	})
	return rep
}
