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
		x, err := s.index()
		if err != nil {
			return err
		}
		rep = x.report(now, roles)
		return nil
	})
	return rep, err
}

func (x *index) report(now time.Time, roles map[string]access.Role) Report {
	rep := Report{KeyStatus: map[string]int{}, Roles: roles}
	hosts := map[string]int{}
	var super, expiring, idle []*entry
	x.mu.RLock()
	for _, e := range x.entries {
		if access.IsSuperAdmin(roles[e.class.role], e.class.scope) {
			super = append(super, e)
		}
		if e.class.kind != KindAPI {
			continue
		}
		hosts[e.field(segHost)]++
		st := e.keyStatus(now)
		switch st {
		case KeyExpiring:
			exp, _ := e.time(tKeyExpires)
			left := exp.Sub(now)
			switch {
			case left <= 24*time.Hour:
				rep.KeyStatus["expiring1"]++
			case left <= 7*24*time.Hour:
				rep.KeyStatus["expiring7"]++
			default:
				rep.KeyStatus["expiring30"]++
			}
			expiring = append(expiring, e)
		default:
			rep.KeyStatus[st]++
		}
		if e.idle(now) {
			idle = append(idle, e)
		}
	}
	x.mu.RUnlock()
	slices.SortFunc(expiring, func(a, b *entry) int { return compareTime(a, b, tKeyExpires) })
	rep.SuperAdmins, rep.ExpiringSoon, rep.IdleKeys = rowsOf(super), rowsOf(expiring), rowsOf(idle)
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
