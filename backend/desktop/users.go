package desktop

import (
	"crypto/subtle"
	"strings"
	"time"

	"github.com/samber/lo"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/apperr"
	"hostbound/backend/services"
	"hostbound/backend/users"
)

// Users is bound to the frontend: the Users and Roles screens. It shares
// the Session's lock, login and idle timer.
type Users struct{ s *Session }

// NewUsers returns the Users facade over a session.
func NewUsers(s *Session) *Users { return &Users{s: s} }

// UserRow is one line of the Users list. Times are RFC 3339 ("" for none).
type UserRow struct {
	Username     string `json:"username"`
	Kind         string `json:"kind"` // "operator" or "api"
	FullName     string `json:"fullName"`
	Email        string `json:"email"`
	Host         string `json:"host"`
	Role         string `json:"role"`
	RoleName     string `json:"roleName"`
	Scope        string `json:"scope"`
	SuperAdmin   bool   `json:"superAdmin"`
	Department   string `json:"department"`
	Location     string `json:"location"`
	Disabled     bool   `json:"disabled"`
	RESTEnabled  bool   `json:"restEnabled"`
	KeyStatus    string `json:"keyStatus"` // active, expiring, expired, none, disabled, revoked
	KeyHint      string `json:"keyHint"`
	KeyCreatedAt string `json:"keyCreatedAt"`
	KeyExpiresAt string `json:"keyExpiresAt"`
	LastUsedAt   string `json:"lastUsedAt"`
	LastUsedFrom string `json:"lastUsedFrom"`
	UseCount     int64  `json:"useCount"`
	CreatedAt    string `json:"createdAt"`
}

// UserDetail adds what the edit form shows.
type UserDetail struct {
	UserRow
	SSHPublicKey          string `json:"sshPublicKey"`
	SSHFingerprint        string `json:"sshFingerprint"`
	Certificate           string `json:"certificate"`
	CertificateSubject    string `json:"certificateSubject"`
	CertificateNotAfter   string `json:"certificateNotAfter"`
	CertificateThumbprint string `json:"certificateFingerprint"`
}

// UserPage is a page of the list.
type UserPage struct {
	Total int       `json:"total"`
	Rows  []UserRow `json:"rows"`
}

// APIUserRequest is the Add / Edit API User form.
type APIUserRequest struct {
	Username     string `json:"username"`
	Host         string `json:"host"`
	FullName     string `json:"fullName"`
	Email        string `json:"email"`
	Role         string `json:"role"`
	Scope        string `json:"scope"`
	SSHPublicKey string `json:"sshPublicKey"`
	Certificate  string `json:"certificate"`
	RESTEnabled  bool   `json:"restEnabled"`
	APIKey       string `json:"apiKey"` // the key Generate showed; "" keeps the current one on edit
	NeverExpires bool   `json:"neverExpires"`
	ExpiresAt    string `json:"expiresAt"` // RFC 3339
	Department   string `json:"department"`
	Location     string `json:"location"`
}

// OperatorRequest is the Add / Edit User form for operators.
type OperatorRequest struct {
	Username        string `json:"username"`
	FullName        string `json:"fullName"`
	Email           string `json:"email"`
	Password        string `json:"password"`
	ConfirmPassword string `json:"confirmPassword"`
	Role            string `json:"role"`
	Scope           string `json:"scope"`
	Department      string `json:"department"`
	Location        string `json:"location"`
}

// RoleView is a role with its holders count.
type RoleView struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	BuiltIn     bool     `json:"builtIn"`
	Permissions []string `json:"permissions"`
	Users       int      `json:"users"`
	// MayHaveAllPasswords: the All Passwords scope may go with this role.
	MayHaveAllPasswords bool `json:"mayHaveAllPasswords"`
}

// RoleRequest is the Roles form.
type RoleRequest struct {
	Name        string   `json:"name"`
	Permissions []string `json:"permissions"`
}

// PermissionView names a permission for the Roles form.
type PermissionView struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// RegeneratedKey is the new key, shown once, and the updated row.
type RegeneratedKey struct {
	APIKey string  `json:"apiKey"`
	User   UserRow `json:"user"`
}

func (u *Users) run(op string, fn func(a access.Actor, svc *services.Services) error) error {
	return u.s.run(op, fn)
}

// ListUsers returns one page of users matching the query.
func (u *Users) ListUsers(q users.Query) (UserPage, error) {
	var page UserPage
	err := u.run("list users", func(a access.Actor, svc *services.Services) error {
		p, err := svc.Users.List(a, q)
		if err != nil {
			return err
		}
		page.Total = p.Total
		page.Rows = rows(p.Rows, p.Roles, u.s.cfg.Clock())
		return nil
	})
	return page, err
}

// GetUser returns one user for the edit form.
func (u *Users) GetUser(username string) (UserDetail, error) {
	var d UserDetail
	err := u.run("view user", func(a access.Actor, svc *services.Services) error {
		x, err := svc.Users.Get(a, username)
		if err != nil {
			return err
		}
		d, err = u.detail(a, svc, x)
		return err
	})
	return d, err
}

// GenerateAPIKey makes a new key for the Add / Edit API User form. It is
// held here until Save or Cancel and never stored in the clear.
func (u *Users) GenerateAPIKey() (string, error) {
	var key string
	err := u.run("generate api key", func(a access.Actor, svc *services.Services) error {
		if err := svc.Users.MayManageAPIUsers(a); err != nil {
			return err
		}
		k, err := apikey.Generate()
		if err != nil {
			return err
		}
		u.s.pendingKey = &k
		key = k.String()
		return nil
	})
	return key, err
}

// DiscardAPIKey forgets the generated key (the form was cancelled).
func (u *Users) DiscardAPIKey() {
	u.s.mu.Lock()
	defer u.s.mu.Unlock()
	u.s.pendingKey = nil
}

// takeKey returns the pending key when text is the key that was shown.
func (u *Users) takeKey(text string) (*apikey.Key, error) {
	if text == "" {
		return nil, nil
	}
	p := u.s.pendingKey
	if p == nil || subtle.ConstantTimeCompare([]byte(p.String()), []byte(text)) != 1 {
		return nil, apperr.Field("apiKey", "API Key: generate a new key (the one in the form was not made by this session)")
	}
	return p, nil
}

// CreateAPIUser saves a new API user; its key is the one Generate showed.
func (u *Users) CreateAPIUser(req APIUserRequest) (UserRow, error) {
	var row UserRow
	err := u.run("create api user", func(a access.Actor, svc *services.Services) error {
		in, err := apiInput(req)
		if err != nil {
			return err
		}
		key, err := u.takeKey(req.APIKey)
		if err != nil {
			return err
		}
		x, err := svc.Users.CreateAPIUser(a, in, key)
		if err != nil {
			return err
		}
		u.s.pendingKey = nil
		row, err = u.rowOf(a, svc, x)
		return err
	})
	return row, err
}

// UpdateAPIUser saves an edited API user.
func (u *Users) UpdateAPIUser(username string, req APIUserRequest) (UserRow, error) {
	var row UserRow
	err := u.run("edit api user", func(a access.Actor, svc *services.Services) error {
		in, err := apiInput(req)
		if err != nil {
			return err
		}
		key, err := u.takeKey(req.APIKey)
		if err != nil {
			return err
		}
		x, err := svc.Users.UpdateAPIUser(a, username, in, key)
		if err != nil {
			return err
		}
		if key != nil {
			u.s.pendingKey = nil
		}
		row, err = u.rowOf(a, svc, x)
		return err
	})
	return row, err
}

// RegenerateAPIKey issues a new key for an API user and returns it once;
// the old key stops working at once, or after graceMinutes.
func (u *Users) RegenerateAPIKey(username string, graceMinutes int) (RegeneratedKey, error) {
	var out RegeneratedKey
	err := u.run("regenerate api key", func(a access.Actor, svc *services.Services) error {
		k, err := apikey.Generate()
		if err != nil {
			return err
		}
		x, err := svc.Users.RegenerateAPIKey(a, username, k, time.Duration(graceMinutes)*time.Minute)
		if err != nil {
			return err
		}
		row, err := u.rowOf(a, svc, x)
		out = RegeneratedKey{APIKey: k.String(), User: row}
		return err
	})
	return out, err
}

// changeRow runs a change that returns the changed user, as a list row.
func (u *Users) changeRow(op string, fn func(a access.Actor, svc *services.Services) (*users.User, error)) (UserRow, error) {
	var row UserRow
	err := u.run(op, func(a access.Actor, svc *services.Services) error {
		x, err := fn(a, svc)
		if err == nil {
			row, err = u.rowOf(a, svc, x)
		}
		return err
	})
	return row, err
}

// CreateOperator adds an operator.
func (u *Users) CreateOperator(req OperatorRequest) (UserRow, error) {
	return u.changeRow("create user", func(a access.Actor, svc *services.Services) (*users.User, error) {
		return svc.Users.CreateOperator(a, operatorInput(req))
	})
}

// UpdateOperator edits an operator; an empty password keeps the old one.
func (u *Users) UpdateOperator(username string, req OperatorRequest) (UserRow, error) {
	return u.changeRow("edit user", func(a access.Actor, svc *services.Services) (*users.User, error) {
		return svc.Users.UpdateOperator(a, username, operatorInput(req))
	})
}

// SetUserDisabled disables or enables a user.
func (u *Users) SetUserDisabled(username string, disabled bool) (UserRow, error) {
	return u.changeRow("disable user", func(a access.Actor, svc *services.Services) (*users.User, error) {
		return svc.Users.SetDisabled(a, username, disabled)
	})
}

// DeleteUser deletes a user.
func (u *Users) DeleteUser(username string) error {
	return u.run("delete user", func(a access.Actor, svc *services.Services) error { return svc.Users.Delete(a, username) })
}

// ListRoles returns every role with its holders count.
func (u *Users) ListRoles() ([]RoleView, error) {
	var out []RoleView
	err := u.run("list roles", func(a access.Actor, svc *services.Services) error {
		rs, err := svc.Users.ListRoles(a)
		out = lo.Map(rs, func(r users.RoleInfo, _ int) RoleView {
			return RoleView{ID: r.ID, Name: r.Name, BuiltIn: r.BuiltIn, Permissions: permStrings(r.Permissions), Users: r.Users,
				MayHaveAllPasswords: r.MayHaveAllPasswords()}
		})
		return err
	})
	return out, err
}

// ListPermissions names every permission, in display order.
func (u *Users) ListPermissions() []PermissionView {
	return lo.Map(access.AllPermissions, func(p access.Permission, _ int) PermissionView {
		return PermissionView{ID: string(p), Label: access.PermissionLabel[p]}
	})
}

func permStrings(ps []access.Permission) []string {
	return lo.Map(ps, func(p access.Permission, _ int) string { return string(p) })
}

// CreateRole adds a custom role.
func (u *Users) CreateRole(req RoleRequest) (RoleView, error) {
	var out RoleView
	err := u.run("create role", func(a access.Actor, svc *services.Services) error {
		r, err := svc.Users.CreateRole(a, roleInput(req))
		out = RoleView{ID: r.ID, Name: r.Name, Permissions: req.Permissions, MayHaveAllPasswords: r.MayHaveAllPasswords()}
		return err
	})
	return out, err
}

// UpdateRole changes a custom role.
func (u *Users) UpdateRole(id string, req RoleRequest) (RoleView, error) {
	var out RoleView
	err := u.run("edit role", func(a access.Actor, svc *services.Services) error {
		r, err := svc.Users.UpdateRole(a, id, roleInput(req))
		out = RoleView{ID: r.ID, Name: r.Name, Permissions: req.Permissions, MayHaveAllPasswords: r.MayHaveAllPasswords()}
		return err
	})
	return out, err
}

// DeleteRole removes a custom role nobody holds.
func (u *Users) DeleteRole(id string) error {
	return u.run("delete role", func(a access.Actor, svc *services.Services) error { return svc.Users.DeleteRole(a, id) })
}

func apiInput(r APIUserRequest) (users.APIUserInput, error) {
	in := users.APIUserInput{Username: r.Username, Host: r.Host, FullName: r.FullName, Email: r.Email, Role: r.Role,
		Scope: access.Scope(r.Scope), SSHPublicKey: r.SSHPublicKey, Certificate: r.Certificate, RESTEnabled: r.RESTEnabled,
		NeverExpires: r.NeverExpires, Department: r.Department, Location: r.Location}
	if s := strings.TrimSpace(r.ExpiresAt); s != "" && !r.NeverExpires {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return in, apperr.Field("expiresAt", "Expiry date: not a date")
		}
		in.ExpiresAt = &t
	}
	return in, nil
}

func operatorInput(r OperatorRequest) users.OperatorInput {
	return users.OperatorInput{Username: r.Username, FullName: r.FullName, Email: r.Email, Password: r.Password,
		ConfirmPassword: r.ConfirmPassword, Role: r.Role, Scope: access.Scope(r.Scope), Department: r.Department, Location: r.Location}
}

func roleInput(r RoleRequest) users.RoleInput {
	return users.RoleInput{Name: r.Name, Permissions: lo.Map(r.Permissions, func(p string, _ int) access.Permission { return access.Permission(p) })}
}

func rfc3339(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// row is r as the list shows it; roles names its role.
func row(r *users.Row, roles map[string]access.Role, now time.Time) UserRow {
	role, ok := roles[r.Role]
	if !ok {
		role = access.Role{ID: r.Role, Name: r.Role}
	}
	return UserRow{
		Username: r.Username, Kind: string(r.Kind), FullName: r.FullName, Email: r.Email, Host: r.Host,
		Role: r.Role, RoleName: role.Name, Scope: string(r.Scope), SuperAdmin: access.IsSuperAdmin(role, r.Scope),
		Department: r.Department, Location: r.Location, Disabled: r.Disabled, RESTEnabled: r.RESTEnabled,
		KeyStatus: r.KeyStatus(now), KeyHint: r.KeyHint, KeyCreatedAt: rfc3339(r.KeyCreatedAt),
		KeyExpiresAt: rfc3339(r.KeyExpiresAt), LastUsedAt: rfc3339(r.LastUsedAt), LastUsedFrom: r.LastUsedFrom,
		UseCount: r.UseCount, CreatedAt: rfc3339(&r.CreatedAt),
	}
}

func rows(rs []*users.Row, roles map[string]access.Role, now time.Time) []UserRow {
	return lo.Map(rs, func(r *users.Row, _ int) UserRow { return row(r, roles, now) })
}

// rowOf is x as the list shows it, with its role's name.
func (u *Users) rowOf(a access.Actor, svc *services.Services, x *users.User) (UserRow, error) {
	roles, err := svc.Users.Roles(a)
	if err != nil {
		return UserRow{}, err
	}
	return row(users.RowOf(x), roles, u.s.cfg.Clock()), nil
}

func (u *Users) detail(a access.Actor, svc *services.Services, x *users.User) (UserDetail, error) {
	r, err := u.rowOf(a, svc, x)
	d := UserDetail{UserRow: r}
	if k := x.SSHKey; k != nil {
		d.SSHPublicKey, d.SSHFingerprint = k.Line, k.Fingerprint
	}
	if c := x.Certificate; c != nil {
		d.Certificate, d.CertificateSubject, d.CertificateThumbprint = c.PEM, c.Subject, c.Fingerprint
		d.CertificateNotAfter = rfc3339(&c.NotAfter)
	}
	return d, err
}
