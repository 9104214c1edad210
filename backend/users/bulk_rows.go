package users

import (
	"strings"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/onboard"
)

// BulkDefaults are the fields a bulk run sets once for all rows; a row's own
// cell, when it has one, overrides them.
type BulkDefaults struct {
	// Prefix makes the Username of a row without one: <Prefix>@<host>, or
	// the host itself when Prefix is "".
	Prefix       string
	Role         string // Access Level: a role's id or name
	Scope        access.Scope
	RESTEnabled  bool
	NeverExpires bool
	ExpiresAt    *time.Time
	// Zone is where an Expiry Date cell's day ends (nil: UTC); the desktop
	// passes time.Local, as the form's date does.
	Zone *time.Location
}

// DefaultUsername is the Username a row of host gets under prefix.
func DefaultUsername(prefix, host string) string {
	prefix = strings.TrimSpace(prefix)
	if prefix == "" {
		return host
	}
	return prefix + "@" + host
}

// BulkInputs turns the rows of a bulk run into the inputs of the Add API
// User form: each row's cells over the defaults. A row without a Full Name
// takes its Username. The errors are those of cells that mean nothing
// (an Expiry Date that is no date), per row; everything else is
// validation's.
func BulkInputs(rows []onboard.Row, d BulkDefaults) ([]APIUserInput, [][]apperr.FieldError) {
	ins := make([]APIUserInput, len(rows))
	errs := make([][]apperr.FieldError, len(rows))
	zone := d.Zone
	if zone == nil {
		zone = time.UTC
	}
	for i, r := range rows {
		in := APIUserInput{
			Username: r.Username, Host: r.Host, FullName: r.FullName, Role: d.Role, Scope: d.Scope,
			SSHPublicKey: r.SSHPublicKey, RESTEnabled: d.RESTEnabled, NeverExpires: d.NeverExpires, ExpiresAt: d.ExpiresAt,
			Department: r.Department, Location: r.Location,
		}
		if strings.TrimSpace(in.Username) == "" {
			in.Username = DefaultUsername(d.Prefix, strings.TrimSpace(r.Host))
		}
		if strings.TrimSpace(in.FullName) == "" {
			in.FullName = in.Username
		}
		if r.AccessLevel != "" {
			in.Role = r.AccessLevel
		}
		if r.AccessScope != "" {
			in.Scope = scopeOf(r.AccessScope)
		}
		if r.ExpiryDate != "" {
			never, at, ok := expiryOf(r.ExpiryDate, zone)
			switch {
			case !ok:
				errs[i] = append(errs[i], apperr.FieldError{Field: "expiresAt",
					Message: "Expiry Date: a date (YYYY-MM-DD) or Never Expires"})
			case never:
				in.NeverExpires, in.ExpiresAt = true, nil
			default:
				in.NeverExpires, in.ExpiresAt = false, &at
			}
		}
		ins[i] = in
	}
	return ins, errs
}

// scopeOf reads an Access Scope cell: the form's labels or the ids, any
// case. Anything else stays as written, for the grant rules to refuse
// with the form's message.
func scopeOf(cell string) access.Scope {
	switch strings.Join(strings.Fields(strings.ToLower(strings.ReplaceAll(cell, "_", " "))), " ") {
	case "all passwords", "all":
		return access.ScopeAll
	case "passwords owned and shared", "owned and shared", "owned shared":
		return access.ScopeOwnedShared
	}
	return access.Scope(cell)
}

// expiryOf reads an Expiry Date cell: "Never" or "Never Expires", a day
// (YYYY-MM-DD, ending at 23:59:59 in zone, as the form's date does) or an
// RFC 3339 time.
func expiryOf(cell string, zone *time.Location) (never bool, at time.Time, ok bool) {
	switch strings.ToLower(strings.Join(strings.Fields(cell), " ")) {
	case "never", "never expires":
		return true, time.Time{}, true
	}
	if d, err := time.ParseInLocation(time.DateOnly, cell, zone); err == nil {
		return false, time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 0, zone), true
	}
	if t, err := time.Parse(time.RFC3339, cell); err == nil {
		return false, t, true
	}
	return false, time.Time{}, false
}
