// Package users holds Hostbound's one user table: operators, who log into
// the app, and API users (a later issue), who call the REST API. Usernames
// are one case-insensitive name space.
//
// This file has the model and its validation; operators.go first-run setup
// and login with lockout.
package users

import (
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/credentials"
)

// Kind tells operators from API users.
type Kind = access.Kind

const (
	KindOperator = access.KindOperator
	KindAPI      = access.KindAPI
)

// User is one row of the user table.
type User struct {
	// ID never changes and is never reused: shares and ownership belong to
	// it, so a new user with an old name inherits nothing.
	ID           string       `json:"id"`
	Username     string       `json:"username"` // as typed; the key is its lower case
	Kind         Kind         `json:"kind"`
	FullName     string       `json:"fullName"`
	Email        string       `json:"email"`
	Role         string       `json:"role"`
	Scope        access.Scope `json:"scope"`
	PasswordHash string       `json:"passwordHash,omitempty"` // operators only
	Department   string       `json:"department,omitempty"`
	Location     string       `json:"location,omitempty"`
	Disabled     bool         `json:"disabled"`
	CreatedAt    time.Time    `json:"createdAt"`
	CreatedBy    string       `json:"createdBy"`
	UpdatedAt    time.Time    `json:"updatedAt"`

	// API users only.
	Host        string                   `json:"host,omitempty"`
	SSHKey      *credentials.SSHKey      `json:"sshKey,omitempty"`
	Certificate *credentials.Certificate `json:"certificate,omitempty"`
	RESTEnabled bool                     `json:"restEnabled"`
	APIKey      *KeyInfo                 `json:"apiKey,omitempty"`
	// Revoked is set by the kill switch (killswitch.go): every credential
	// is refused until access is restored; none of them is deleted.
	Revoked *Revocation `json:"revoked,omitempty"`
}

// Revocation is who revoked an API user's access, when and why.
type Revocation struct {
	At     time.Time `json:"at"`
	By     string    `json:"by"` // the operator's username
	Reason string    `json:"reason"`
}

// KeyInfo is what is kept of an API key: its HMAC, never the key.
type KeyInfo struct {
	Hash         string     `json:"hash"` // hex HMAC-SHA256(pepper, key)
	Hint         string     `json:"hint"` // first characters, safe to show
	CreatedAt    time.Time  `json:"createdAt"`
	ExpiresAt    *time.Time `json:"expiresAt,omitempty"` // nil: never expires
	LastUsedAt   *time.Time `json:"lastUsedAt,omitempty"`
	LastUsedFrom string     `json:"lastUsedFrom,omitempty"`
	UseCount     int64      `json:"useCount"`
	// Previous is the key this one replaced, still accepted until its
	// ValidUntil (rotation without downtime); nil once it stopped.
	Previous *PreviousKey `json:"previous,omitempty"`
}

// PreviousKey is a replaced key within its grace period.
type PreviousKey struct {
	Hash       string    `json:"hash"`
	ValidUntil time.Time `json:"validUntil"` // never after the replaced key's own expiry
}

// Limits of the form fields.
const (
	MaxUsernameLen    = 64
	MaxFullNameLen    = 128
	MaxEmailLen       = 254
	MaxTextLen        = 128
	MinPasswordLen    = 12
	MaxPasswordLen    = 1024
	PasswordRuleText  = "at least 12 characters"
	UsernameRuleText  = "1–64 characters: letters, digits, . _ - @"
	FullNameRuleText  = "required, at most 128 characters"
	EmailRuleText     = "not a valid email address"
	ConfirmMismatched = "Confirm Password: does not match the password"
)

var usernameRE = regexp.MustCompile(`^[A-Za-z0-9._@-]{1,64}$`)

// userKey is the store key of a username (case-insensitive).
func userKey(username string) string { return "user/" + strings.ToLower(username) }

const userPrefix = "user/"

// ValidateUsername checks the Username rule of PRODUCT.md §2.
func ValidateUsername(s string) error {
	if !usernameRE.MatchString(s) {
		return apperr.Field("username", "Username: %s", UsernameRuleText)
	}
	return nil
}

// ValidateFullName checks the Full Name rule.
func ValidateFullName(s string) error {
	if strings.TrimSpace(s) == "" || utf8.RuneCountInString(s) > MaxFullNameLen || !utf8.ValidString(s) {
		return apperr.Field("fullName", "Full Name: %s", FullNameRuleText)
	}
	return nil
}

// ValidateEmail checks the optional Email field.
func ValidateEmail(s string) error {
	if s == "" {
		return nil
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > MaxEmailLen {
		return apperr.Field("email", "Email: %s", EmailRuleText)
	}
	return nil
}

// ValidatePassword checks an operator password and its confirmation.
func ValidatePassword(password, confirm string) error {
	n := utf8.RuneCountInString(password)
	if n < MinPasswordLen || n > MaxPasswordLen {
		return apperr.Field("password", "Password: %s", PasswordRuleText)
	}
	if password != confirm {
		return apperr.Field("confirmPassword", ConfirmMismatched)
	}
	return nil
}

// ValidateText checks an optional free-text field (Department, Location).
func ValidateText(field, label, s string) error {
	if utf8.RuneCountInString(s) > MaxTextLen || !utf8.ValidString(s) {
		return apperr.Field(field, "%s: at most %d characters", label, MaxTextLen)
	}
	return nil
}
