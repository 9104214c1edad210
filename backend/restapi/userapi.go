package restapi

import (
	"fmt"
	"strings"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/apperr"
	"hostbound/backend/users"
)

// The user API (PRODUCT.md §11): an API user holding users.manage or
// apiusers.manage adds, finds, locks, unlocks and deletes users, under the
// same rules as the Users screen (target ⊆ actor, no All Passwords from
// whoever lacks it).

// addUser is POST /user. ISAPIUSER=true adds an API user bound to HOSTNAME
// whose new key is answered once in Details.APIKEY; otherwise an operator
// who logs in with PASSWORD.
func (a *API) addUser(actor access.Actor, c *call) (reply, error) {
	d := c.in
	name := d.text("USERNAME", 256)
	full := d.text("FULLNAME", 256)
	if full == "" {
		full = strings.TrimSpace(d.text("FIRSTNAME", 128) + " " + d.text("LASTNAME", 128))
	}
	role := d.text("ROLE", 128)
	scope := access.ScopeOwnedShared
	if super, _ := d.flag("ISSUPERADMIN"); super {
		scope = access.ScopeAll
	}
	isAPI, _ := d.flag("ISAPIUSER")
	email, dept, loc := d.text("EMAIL", 256), d.text("DEPARTMENT", 256), d.text("LOCATION", 256)
	if !isAPI {
		pw := d.text("PASSWORD", 1024)
		if err := d.err(); err != nil {
			return reply{}, err
		}
		u, err := a.cfg.Users.CreateOperator(actor, users.OperatorInput{Username: name, FullName: full, Email: email,
			Password: pw, ConfirmPassword: pw, Role: role, Scope: scope, Department: dept, Location: loc})
		if err != nil {
			return reply{}, err
		}
		return success(c.op, fmt.Sprintf("User %s added successfully", u.Username),
			map[string]string{"USERID": u.ID, "USERNAME": u.Username}), nil
	}
	in := users.APIUserInput{Username: name, Host: d.text("HOSTNAME", 256), FullName: full, Email: email, Role: role,
		Scope: scope, RESTEnabled: true, Department: dept, Location: loc,
		SSHPublicKey: d.text("SSHPUBLICKEY", 16384), Certificate: d.text("CERTIFICATE", 32768)}
	if exp, ok := d.str("EXPIRYDATE", 64); ok {
		in.NeverExpires, in.ExpiresAt = expiry(d, exp)
	}
	if err := d.err(); err != nil {
		return reply{}, err
	}
	key, err := apikey.Generate()
	if err != nil {
		return reply{}, err
	}
	u, err := a.cfg.Users.CreateAPIUser(actor, in, &key)
	if err != nil {
		return reply{}, err
	}
	return success(c.op, fmt.Sprintf("API user %s added successfully", u.Username),
		map[string]string{"USERID": u.ID, "USERNAME": u.Username, "APIKEY": key.String()}), nil
}

// expiry reads EXPIRYDATE: "NeverExpires", a date (the key works through
// that day, UTC) or an RFC 3339 time.
func expiry(d details, s string) (never bool, at *time.Time) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(strings.ReplaceAll(s, " ", ""), "NeverExpires") {
		return true, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		end := t.Add(24*time.Hour - time.Second)
		return false, &end
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return false, &t
	}
	d.form.Add("EXPIRYDATE", "EXPIRYDATE: NeverExpires, a date (2027-12-31) or an RFC 3339 time")
	return false, nil
}

func (a *API) userID(actor access.Actor, c *call) (reply, error) {
	name := c.query("USERNAME")
	if name == "" {
		name = c.in.text("USERNAME", 256)
	}
	if name == "" {
		return reply{}, apperr.Field("USERNAME", "USERNAME: required")
	}
	u, err := a.cfg.Users.Get(actor, name)
	if err != nil {
		return reply{}, err
	}
	return success(c.op, "User ID fetched successfully", map[string]string{"USERID": u.ID, "USERNAME": u.Username}), nil
}

func (a *API) lockUser(actor access.Actor, c *call) (reply, error) {
	return a.setLocked(actor, c, true)
}
func (a *API) unlockUser(actor access.Actor, c *call) (reply, error) {
	return a.setLocked(actor, c, false)
}

// setLocked disables or enables the user named by USERID or USERNAME
// (INPUT_DATA or query).
func (a *API) setLocked(actor access.Actor, c *call, locked bool) (reply, error) {
	uid, name := c.in.text("USERID", 64), c.in.text("USERNAME", 256)
	if uid == "" && name == "" {
		uid, name = c.query("USERID"), c.query("USERNAME")
	}
	if err := c.in.err(); err != nil {
		return reply{}, err
	}
	var u *users.User
	var err error
	switch {
	case uid != "":
		u, err = a.cfg.Users.SetDisabledByID(actor, uid, locked)
	case name != "":
		u, err = a.cfg.Users.SetDisabled(actor, name, locked)
	default:
		return reply{}, apperr.Field("USERID", "USERID or USERNAME: required")
	}
	if err != nil {
		return reply{}, err
	}
	verb := "unlocked"
	if locked {
		verb = "locked"
	}
	return success(c.op, fmt.Sprintf("User %s %s successfully", u.Username, verb), nil), nil
}

func (a *API) deleteUser(actor access.Actor, c *call) (reply, error) {
	if err := a.cfg.Users.DeleteByID(actor, c.uid); err != nil {
		return reply{}, err
	}
	return success(c.op, "User deleted successfully", nil), nil
}
