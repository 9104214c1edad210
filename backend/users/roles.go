package users

import (
	"errors"
	"slices"
	"strings"

	"github.com/samber/lo"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/store"
)

const rolePrefix = "role/"

func roleKey(id string) string { return rolePrefix + id }

// role resolves a role id: a built-in role, or a custom one from the store.
func role(tx *store.Txn, id string) (access.Role, error) {
	if r, ok := access.BuiltIn(id); ok {
		return r, nil
	}
	var r access.Role
	err := tx.Get(roleKey(id), &r)
	if errors.Is(err, store.ErrNotFound) {
		return access.Role{}, apperr.Field("role", "Access Level: no such role")
	}
	return r, err
}

// roleIDOf returns the id of the role named or identified by name (any
// case), as clients of PMP's API name roles ("Password User"); ok is
// false when none matches, and role() then refuses the name.
func roleIDOf(tx *store.Txn, name string) (string, bool) {
	if _, err := role(tx, name); err == nil {
		return name, true
	}
	norm := strings.Join(strings.Fields(strings.ToLower(strings.ReplaceAll(name, "_", " "))), " ")
	for _, r := range access.BuiltInRoles {
		if strings.ToLower(r.Name) == norm || strings.ReplaceAll(r.ID, "_", " ") == norm {
			return r.ID, true
		}
	}
	var found string
	_ = tx.Each(rolePrefix, func(_ string, decode func(any) error) (bool, error) {
		var r access.Role
		if err := decode(&r); err == nil && strings.EqualFold(r.Name, strings.TrimSpace(name)) {
			found = r.ID
			return false, nil
		}
		return true, nil
	})
	return found, found != ""
}

// RoleInfo is a role with the number of users holding it.
type RoleInfo struct {
	access.Role
	Users int `json:"users"`
}

// ListRoles returns the built-in roles, then the custom ones by name, to
// any operator (the forms offer them).
func (s *Service) ListRoles(a access.Actor) ([]RoleInfo, error) {
	var out []RoleInfo
	for _, r := range access.BuiltInRoles {
		out = append(out, RoleInfo{Role: r})
	}
	err := s.read(a, "list roles", "", func(tx *store.Txn, _ access.Principal) error {
		var custom []RoleInfo
		err := tx.Each(rolePrefix, func(_ string, decode func(any) error) (bool, error) {
			var r access.Role
			err := decode(&r)
			custom = append(custom, RoleInfo{Role: r})
			return true, err
		})
		slices.SortFunc(custom, func(a, b RoleInfo) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
		out = append(out, custom...)
		return err
	})
	if err != nil {
		return nil, err
	}
	x, err := s.index()
	if err != nil {
		return nil, err
	}
	counts := x.roleCounts()
	for i := range out {
		out[i].Users = counts[out[i].ID]
	}
	return out, nil
}

// RoleInput is the Roles form.
type RoleInput struct {
	Name        string
	Permissions []access.Permission
}

func (in *RoleInput) validate(f *apperr.Form) {
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || len([]rune(in.Name)) > 64 {
		f.Add("name", "Role Name: required, at most 64 characters")
	}
	if len(in.Permissions) == 0 {
		f.Add("permissions", "Permissions: choose at least one")
	}
	for _, p := range in.Permissions {
		if !access.Valid(p) {
			f.Add("permissions", "Permissions: unknown permission %q", p)
		}
	}
	// Sorted and deduplicated in a copy: the caller's slice (perhaps
	// access.AllPermissions) stays as it was.
	in.Permissions = slices.Compact(slices.Sorted(slices.Values(in.Permissions)))
}

// CreateRole adds a custom role. The actor needs roles.manage and every
// permission the role grants.
//
// Its id is random, never derived from the name: "Ops Team" and "ops-team"
// are two roles, and neither overwrites the other.
func (s *Service) CreateRole(a access.Actor, in RoleInput) (access.Role, error) {
	var r access.Role
	err := s.change(a, "create role", in.Name, func(tx *store.Txn, p access.Principal) error {
		if !p.Has(access.RolesManage) {
			return forbidden("You are not allowed to manage roles")
		}
		var f apperr.Form
		in.validate(&f)
		if err := f.Err(); err != nil {
			return err
		}
		if err := mayGrantPermissions(p.Role, in.Permissions); err != nil {
			return err
		}
		if taken, err := roleNameTaken(tx, in.Name, ""); err != nil || taken {
			if err == nil {
				err = apperr.Field("name", "Role Name: a role with this name already exists")
			}
			return err
		}
		id := "custom_" + newID()[1:]
		r = access.Role{ID: id, Name: in.Name, Permissions: in.Permissions}
		s.changed(tx)
		return tx.Put(roleKey(id), r)
	})
	return r, err
}

// UpdateRole changes a custom role's name and permissions.
func (s *Service) UpdateRole(a access.Actor, id string, in RoleInput) (access.Role, error) {
	var r access.Role
	err := s.change(a, "edit role", id, func(tx *store.Txn, p access.Principal) error {
		if !p.Has(access.RolesManage) {
			return forbidden("You are not allowed to manage roles")
		}
		if _, ok := access.BuiltIn(id); ok {
			return forbidden("Built-in roles cannot be changed")
		}
		old, err := role(tx, id)
		if err != nil {
			return apperr.New(apperr.NotFound, "No such role")
		}
		var f apperr.Form
		in.validate(&f)
		if err := f.Err(); err != nil {
			return err
		}
		// Both what is taken away and what is added must be the actor's to give.
		if err := mayGrantPermissions(p.Role, append(slices.Clone(old.Permissions), in.Permissions...)); err != nil {
			return err
		}
		if taken, err := roleNameTaken(tx, in.Name, id); err != nil || taken {
			if err == nil {
				err = apperr.Field("name", "Role Name: a role with this name already exists")
			}
			return err
		}
		r = access.Role{ID: id, Name: in.Name, Permissions: in.Permissions}
		s.changed(tx)
		return tx.Put(roleKey(id), r)
	})
	return r, err
}

// DeleteRole removes a custom role that nobody holds.
func (s *Service) DeleteRole(a access.Actor, id string) error {
	return s.change(a, "delete role", id, func(tx *store.Txn, p access.Principal) error {
		if !p.Has(access.RolesManage) {
			return forbidden("You are not allowed to manage roles")
		}
		if _, ok := access.BuiltIn(id); ok {
			return forbidden("Built-in roles cannot be deleted")
		}
		r, err := role(tx, id)
		if err != nil {
			return apperr.New(apperr.NotFound, "No such role")
		}
		x, err := s.index()
		if err != nil {
			return err
		}
		if n := x.roleCounts()[id]; n > 0 {
			return apperr.New(apperr.Conflict, "The role %s is held by %d %s; give them another role first", r.Name, n, plural(n, "user", "users"))
		}
		s.changed(tx)
		return tx.Delete(roleKey(id))
	})
}

func roleNameTaken(tx *store.Txn, name, except string) (bool, error) {
	for _, r := range access.BuiltInRoles {
		if strings.EqualFold(r.Name, name) {
			return true, nil
		}
	}
	taken := false
	err := tx.Each(rolePrefix, func(key string, decode func(any) error) (bool, error) {
		var r access.Role
		if err := decode(&r); err != nil {
			return false, err
		}
		taken = r.ID != except && strings.EqualFold(r.Name, name)
		return !taken, nil
	})
	return taken, err
}

func mayGrantPermissions(actor access.Role, perms []access.Permission) error {
	if missing := access.Missing(actor, access.Role{Permissions: perms}); len(missing) > 0 {
		return forbidden("You cannot grant permissions you do not hold (%s)", joinPerms(missing))
	}
	return nil
}

func joinPerms(ps []access.Permission) string {
	return strings.Join(lo.Map(ps, func(p access.Permission, _ int) string { return string(p) }), ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// roleNames maps every role id to its role, for rows that show role names.
func (s *Service) roleNames(tx *store.Txn) (map[string]access.Role, error) {
	out := map[string]access.Role{}
	for _, r := range access.BuiltInRoles {
		out[r.ID] = r
	}
	err := tx.Each(rolePrefix, func(_ string, decode func(any) error) (bool, error) {
		var r access.Role
		err := decode(&r)
		out[r.ID] = r
		return true, err
	})
	return out, err
}

// Roles maps every role id to its role (names and permissions are shown
// next to users), for any operator.
func (s *Service) Roles(a access.Actor) (map[string]access.Role, error) {
	var out map[string]access.Role
	err := s.read(a, "list roles", "", func(tx *store.Txn, _ access.Principal) error {
		var err error
		out, err = s.roleNames(tx)
		return err
	})
	return out, err
}
