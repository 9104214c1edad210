package access

import "testing"

func TestBuiltInRoles(t *testing.T) {
	t.Parallel()
	cases := []struct {
		role         string
		managesUsers bool
		settings     bool
		allPasswords bool
	}{
		{PrivilegedAdmin, true, true, true},
		{Admin, true, false, true},
		{PasswordAdmin, false, false, true},
		{PasswordAuditor, false, false, false},
		{PasswordUser, false, false, false},
	}
	for _, c := range cases {
		t.Run(c.role+" has the permissions of PRODUCT.md", func(t *testing.T) {
			r, ok := BuiltIn(c.role)
			if !ok {
				t.Fatalf("role %s missing", c.role)
			}
			if got := r.Has(UsersManage) && r.Has(APIUsersManage); got != c.managesUsers {
				t.Errorf("manages users = %v, want %v", got, c.managesUsers)
			}
			if got := r.Has(SettingsManage); got != c.settings {
				t.Errorf("settings = %v, want %v", got, c.settings)
			}
			if got := r.MayHaveAllPasswords(); got != c.allPasswords {
				t.Errorf("may have All Passwords = %v, want %v", got, c.allPasswords)
			}
			if IsSuperAdmin(r, ScopeOwnedShared) {
				t.Error("Owned and Shared scope is never a Super Administrator")
			}
		})
	}
	if _, ok := BuiltIn("nobody"); ok {
		t.Error("unknown role found")
	}
	custom := Role{ID: "ops", Permissions: []Permission{ResourcesManage}}
	if !custom.MayHaveAllPasswords() {
		t.Error("a custom role with resources.manage may have All Passwords")
	}
}

func TestNobodyGrantsWhatTheyDoNotHold(t *testing.T) {
	t.Parallel()
	admin, _ := BuiltIn(Admin)
	priv, _ := BuiltIn(PrivilegedAdmin)
	pwAdmin, _ := BuiltIn(PasswordAdmin)
	if m := Missing(admin, priv); len(m) != 1 || m[0] != SettingsManage {
		t.Errorf("an Administrator granting Privileged Administrator lacks %v", m)
	}
	if m := Missing(priv, admin); len(m) != 0 {
		t.Errorf("a Privileged Administrator lacks %v", m)
	}
	if m := Missing(pwAdmin, Role{Permissions: []Permission{UsersManage}}); len(m) != 1 {
		t.Errorf("a Password Administrator may grant users.manage: %v", m)
	}
	for _, p := range AllPermissions {
		if !Valid(p) || PermissionLabel[p] == "" {
			t.Errorf("%s has no label", p)
		}
	}
	if Valid("root") {
		t.Error("unknown permission accepted")
	}
}
