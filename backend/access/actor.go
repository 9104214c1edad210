package access

// Kind tells operators (people at the desktop or CLI) from API users
// (machines). It is the user's kind and the audit record's actor kind.
type Kind string

const (
	KindOperator Kind = "operator"
	KindAPI      Kind = "api"
)

// Sources of actions that do not come from a network address.
const (
	SourceDesktop = "desktop"
	SourceCLI     = "cli"
)

// Actor is who acts, as every face passes it to the domain: which user (by
// immutable id and, for messages, name), what kind, and from where. A face
// builds it from a login or an authenticated credential; the domain never
// trusts it as it stands but re-resolves it inside the transaction of every
// use case (the user may have been disabled, deleted and re-created, or
// given another role since).
type Actor struct {
	UserID   string
	Username string
	Kind     Kind
	// Source is "desktop", "cli", or the client's address.
	Source string
	// Credential is, for API users, what authenticated the request ("key:"
	// and the key's HMAC, "ssh:" or "cert:" and a fingerprint): replaced or
	// expired meanwhile, it fails the re-check.
	Credential string
	// App is the client application's own name for itself (PMP's APP_NAME
	// and APP_TYPE), recorded in the audit trail and otherwise ignored.
	App string
}

// Principal is an Actor as the store says it is now: with the full name the
// audit trail shows, the role and the access scope.
type Principal struct {
	Actor
	FullName string
	Role     Role
	Scope    Scope
}

// Has reports whether the principal's role grants p.
func (p Principal) Has(perm Permission) bool { return p.Role.Has(perm) }

// SeesAll reports whether the principal is a Super Administrator (All
// Passwords scope on a role that may have it).
func (p Principal) SeesAll() bool { return IsSuperAdmin(p.Role, p.Scope) }

// MayGrant reports whether p could give role and scope to someone: p holds
// every permission of role, and All Passwords needs p to be a Super
// Administrator. It is the test of "target ⊆ actor" for acting on a user.
func (p Principal) MayGrant(role Role, scope Scope) bool {
	if len(Missing(p.Role, role)) > 0 {
		return false
	}
	return scope != ScopeAll || p.SeesAll()
}
