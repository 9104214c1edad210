package access

import (
	"slices"

	"github.com/samber/lo"
)

// Missing returns the permissions of role that holder lacks: an operator
// may grant a role (or create one) only when this is empty.
func Missing(holder, role Role) []Permission {
	return lo.Reject(role.Permissions, func(p Permission, _ int) bool { return holder.Has(p) })
}

// Valid reports whether p is a known permission.
func Valid(p Permission) bool { return slices.Contains(AllPermissions, p) }

// PermissionLabel is how the UI names a permission.
var PermissionLabel = map[Permission]string{
	UsersManage:     "Manage users",
	APIUsersManage:  "Manage API users",
	RolesManage:     "Manage roles",
	ResourcesCreate: "Create resources",
	ResourcesManage: "Manage resources",
	PasswordsView:   "View passwords",
	PasswordsModify: "Modify passwords",
	PasswordsShare:  "Share passwords",
	AuditView:       "View audit trail",
	ReportsView:     "View reports",
	SettingsManage:  "Manage security settings",
	BackupRun:       "Run backups",
}
