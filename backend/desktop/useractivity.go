package desktop

import (
	"slices"
	"strings"
	"time"

	"github.com/samber/lo"

	"hostbound/backend/access"
	"hostbound/backend/audit"
	"hostbound/backend/services"
	"hostbound/backend/vault"
)

// RecentAuditRecords is how many audit records the user detail drawer shows.
const RecentAuditRecords = 10

// auditScanPage is the page size of the walk for records that target the
// user: the trail's target filter is a substring, so some pages hold
// records that only mention a longer name.
const auditScanPage = 200

// UserShare is one share the user holds: a whole resource (AccountName "")
// or one of its accounts.
type UserShare struct {
	ResourceID   string `json:"resourceId"`
	ResourceName string `json:"resourceName"`
	AccountID    string `json:"accountId"`   // "" for the whole resource
	AccountName  string `json:"accountName"` // "" for the whole resource
	Permission   string `json:"permission"`  // view or modify
}

// UserAuditRecord is one recent audit record by or about the user.
type UserAuditRecord struct {
	Seq       uint64 `json:"seq"`
	Time      string `json:"time"` // RFC 3339
	Actor     string `json:"actor"`
	Operation string `json:"operation"`
	Target    string `json:"target"`
	Result    string `json:"result"`
	Source    string `json:"source"` // "desktop", an address, "ssh", "cli"
	Reason    string `json:"reason"`
}

// UserActivity is what the user detail drawer adds to GetUser: the shares
// the user holds (those of resources the operator may manage) and the last
// audit records whose actor or target is the user. AuditHidden: the
// operator may not view the audit trail, so Audit is empty.
type UserActivity struct {
	Shares      []UserShare       `json:"shares"`
	Audit       []UserAuditRecord `json:"audit"`
	AuditHidden bool              `json:"auditHidden"`
}

// GetUserActivity returns the shares and recent audit records of one user
// the operator may view; an unknown user is the same error as GetUser's.
func (u *Users) GetUserActivity(username string) (UserActivity, error) {
	out := UserActivity{Shares: []UserShare{}, Audit: []UserAuditRecord{}}
	err := u.run("view user activity", func(a access.Actor, svc *services.Services) error {
		x, err := svc.Users.Get(a, username)
		if err != nil {
			return err
		}
		shares, err := svc.Vault.SharesOfUser(a, x.Username)
		if err != nil {
			return err
		}
		out.Shares = lo.Map(shares, func(s vault.UserShare, _ int) UserShare {
			v := UserShare{ResourceID: itoa(s.ResourceID), ResourceName: s.ResourceName, AccountName: s.AccountName,
				Permission: string(s.Permission)}
			if s.AccountID != 0 {
				v.AccountID = itoa(s.AccountID)
			}
			return v
		})
		_, p, err := svc.Users.Me(a)
		if err != nil {
			return err
		}
		if !p.Has(access.AuditView) {
			out.AuditHidden = true
			return nil
		}
		recs, err := recentAudit(a, svc.Trail, x.Username, RecentAuditRecords)
		out.Audit = lo.Map(recs, func(r audit.Record, _ int) UserAuditRecord {
			return UserAuditRecord{Seq: r.Seq, Time: r.Time.UTC().Format(time.RFC3339), Actor: r.Actor, Operation: r.Operation,
				Target: r.Target, Result: r.Result, Source: r.Source, Reason: r.Reason}
		})
		return err
	})
	return out, err
}

// recentAudit returns the newest n records whose actor is username or
// whose target names it, newest first: the records the user made (by the
// actor index) merged with those about the user (a walk with the target
// filter, kept when namesUser).
func recentAudit(a access.Actor, trail *audit.Trail, username string, n int) ([]audit.Record, error) {
	byActor, err := trail.Query(a, audit.Filter{Actor: username}, 0, n)
	if err != nil {
		return nil, err
	}
	recs := byActor.Records
	// With n records of its own, a record about the user older than the
	// oldest of them cannot make the newest n: the walk stops there.
	var cutoff uint64
	if len(recs) == n {
		cutoff = recs[n-1].Seq
	}
	var about []audit.Record
walk:
	for before := uint64(0); len(about) < n; {
		page, err := trail.Query(a, audit.Filter{Target: username}, before, auditScanPage)
		if err != nil {
			return nil, err
		}
		for _, r := range page.Records {
			if r.Seq < cutoff || len(about) == n {
				break walk
			}
			if namesUser(r.Target, username) {
				about = append(about, r)
			}
		}
		if page.Next == 0 {
			break
		}
		before = page.Next
	}
	recs = append(recs, about...)
	slices.SortFunc(recs, func(x, y audit.Record) int { return -cmpSeq(x.Seq, y.Seq) })
	recs = slices.CompactFunc(recs, func(x, y audit.Record) bool { return x.Seq == y.Seq })
	if len(recs) > n {
		recs = recs[:n]
	}
	return recs, nil
}

func cmpSeq(x, y uint64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// namesUser reports whether an audit target is about the user: the whole
// target is the username (user changes, logins), or the user is the
// grantee of a share ("db01 / postgres -> bob (view)"). A target that only
// contains the name inside a longer one ("bobby") is not.
func namesUser(target, username string) bool {
	if strings.EqualFold(strings.TrimSpace(target), username) {
		return true
	}
	words := strings.Fields(target)
	for i := 0; i+1 < len(words); i++ {
		if words[i] == "->" && strings.EqualFold(words[i+1], username) {
			return true
		}
	}
	return false
}
