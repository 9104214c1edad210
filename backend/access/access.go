// Package access defines roles, permissions and access scopes, and answers
// "may this actor do X" and "may this actor grant Y".
//
// A role is a name plus a set of permissions. The five built-in roles are
// fixed sets; custom roles (a later issue) are the same shape, stored.
package access

import "slices"

// Permission is one thing an operator may do.
type Permission string

const (
	UsersManage     Permission = "users.manage"
	APIUsersManage  Permission = "apiusers.manage"
	RolesManage     Permission = "roles.manage"
	ResourcesCreate Permission = "resources.create"
	ResourcesManage Permission = "resources.manage"
	PasswordsView   Permission = "passwords.view"
	PasswordsModify Permission = "passwords.modify"
	PasswordsShare  Permission = "passwords.share"
	AuditView       Permission = "audit.view"
	ReportsView     Permission = "reports.view"
	SettingsManage  Permission = "settings.manage"
	BackupRun       Permission = "backup.run"
)

// AllPermissions in the order the UI lists them.
var AllPermissions = []Permission{
	UsersManage, APIUsersManage, RolesManage, ResourcesCreate, ResourcesManage,
	PasswordsView, PasswordsModify, PasswordsShare, AuditView, ReportsView,
	SettingsManage, BackupRun,
}

// Scope is an access scope.
type Scope string

const (
	ScopeOwnedShared Scope = "owned_shared" // "Passwords Owned and Shared" (default)
	ScopeAll         Scope = "all"          // "All Passwords": a Super Administrator
)

// Role is a named set of permissions.
type Role struct {
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	Permissions []Permission `json:"permissions"`
	BuiltIn     bool         `json:"builtIn"`
}

// Built-in role ids.
const (
	PrivilegedAdmin = "privileged_admin"
	Admin           = "admin"
	PasswordAdmin   = "password_admin"
	PasswordAuditor = "password_auditor"
	PasswordUser    = "password_user"
)

// BuiltInRoles are the fixed roles of PRODUCT.md §1.
var BuiltInRoles = []Role{
	{ID: PrivilegedAdmin, Name: "Privileged Administrator", BuiltIn: true, Permissions: slices.Clone(AllPermissions)},
	{ID: Admin, Name: "Administrator", BuiltIn: true, Permissions: []Permission{
		UsersManage, APIUsersManage, RolesManage, ResourcesCreate, ResourcesManage,
		PasswordsView, PasswordsModify, PasswordsShare, AuditView, ReportsView, BackupRun,
	}},
	{ID: PasswordAdmin, Name: "Password Administrator", BuiltIn: true, Permissions: []Permission{
		ResourcesCreate, ResourcesManage, PasswordsView, PasswordsModify, PasswordsShare, AuditView, ReportsView,
	}},
	{ID: PasswordAuditor, Name: "Password Auditor", BuiltIn: true, Permissions: []Permission{
		PasswordsView, AuditView, ReportsView,
	}},
	{ID: PasswordUser, Name: "Password User", BuiltIn: true, Permissions: []Permission{
		PasswordsView, PasswordsModify,
	}},
}

// BuiltIn returns the built-in role with this id.
func BuiltIn(id string) (Role, bool) {
	i := slices.IndexFunc(BuiltInRoles, func(r Role) bool { return r.ID == id })
	if i < 0 {
		return Role{}, false
	}
	return BuiltInRoles[i], true
}

// Has reports whether the role grants p.
func (r Role) Has(p Permission) bool { return slices.Contains(r.Permissions, p) }

// MayHaveAllPasswords reports whether a holder of this role may be given the
// All Passwords scope: the administrator roles, and custom roles holding
// resources.manage.
func (r Role) MayHaveAllPasswords() bool {
	switch r.ID {
	case PrivilegedAdmin, Admin, PasswordAdmin:
		return true
	}
	return !r.BuiltIn && r.Has(ResourcesManage)
}

// IsSuperAdmin reports whether a user with this role and scope is shown as
// a Super Administrator.
func IsSuperAdmin(r Role, s Scope) bool { return s == ScopeAll && r.MayHaveAllPasswords() }
