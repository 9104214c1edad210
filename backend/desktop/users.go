package desktop

import (
	"crypto/subtle"
	"strings"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/apperr"
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
	KeyStatus    string `json:"keyStatus"` // active, expiring, expired, none, disabled
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

// run holds the session lock, checks the login and idle timer, and maps
// errors for the frontend.
func (u *Users) run(op string, fn func(actor *users.User) error) error {
	u.s.mu.Lock()
	defer u.s.mu.Unlock()
	actor, err := u.s.authorize(op)
	if err != nil {
		return err
	}
	if err := fn(actor); err != nil {
		return u.s.fail(op, err)
	}
	return nil
}

// ListUsers returns one page of users matching the query.
func (u *Users) ListUsers(q users.Query) (UserPage, error) {
	var page UserPage
	err := u.run("list users", func(actor *users.User) error {
		// Managing users, reading reports and choosing whom to share with
		// all need the list; nothing else does.
		r, _ := u.s.users.RoleOf(actor)
		if !r.Has(access.UsersManage) && !r.Has(access.APIUsersManage) && !r.Has(access.ReportsView) && !r.Has(access.PasswordsShare) {
			return apperr.New(apperr.Forbidden, "You are not allowed to list users")
		}
		p := u.s.users.List(q)
		page.Total = p.Total
		page.Rows = make([]UserRow, len(p.Rows))
		for i, r := range p.Rows {
			page.Rows[i] = u.row(r)
		}
		return nil
	})
	return page, err
}

// GetUser returns one user for the edit form.
func (u *Users) GetUser(username string) (UserDetail, error) {
	var d UserDetail
	err := u.run("view user", func(*users.User) error {
		x, err := u.s.users.Get(username)
		if err != nil {
			return apperr.Wrap(apperr.NotFound, err, "No user named %s", username)
		}
		d = u.detail(x)
		return nil
	})
	return d, err
}

// GenerateAPIKey makes a new key for the Add / Edit API User form. It is
// held here until Save or Cancel and never stored in the clear.
func (u *Users) GenerateAPIKey() (string, error) {
	var key string
	err := u.run("generate api key", func(actor *users.User) error {
		if err := u.mayManageAPIUsers(actor); err != nil {
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

func (u *Users) mayManageAPIUsers(actor *users.User) error {
	r, _ := u.s.users.RoleOf(actor)
	if !r.Has(access.APIUsersManage) && !r.Has(access.UsersManage) {
		return apperr.New(apperr.Forbidden, "You are not allowed to add API users")
	}
	return nil
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
	err := u.run("create api user", func(actor *users.User) error {
		in, err := apiInput(req)
		if err != nil {
			return err
		}
		key, err := u.takeKey(req.APIKey)
		if err != nil {
			return err
		}
		x, err := u.s.users.CreateAPIUser(actor, in, key)
		if err != nil {
			return err
		}
		u.s.pendingKey = nil
		row = u.rowOf(x)
		return nil
	})
	return row, err
}

// UpdateAPIUser saves an edited API user.
func (u *Users) UpdateAPIUser(username string, req APIUserRequest) (UserRow, error) {
	var row UserRow
	err := u.run("edit api user", func(actor *users.User) error {
		in, err := apiInput(req)
		if err != nil {
			return err
		}
		key, err := u.takeKey(req.APIKey)
		if err != nil {
			return err
		}
		x, err := u.s.users.UpdateAPIUser(actor, username, in, key)
		if err != nil {
			return err
		}
		if key != nil {
			u.s.pendingKey = nil
		}
		row = u.rowOf(x)
		return nil
	})
	return row, err
}

// RegenerateAPIKey issues a new key for an API user and returns it once;
// the old key stops working at once, or after graceMinutes.
func (u *Users) RegenerateAPIKey(username string, graceMinutes int) (RegeneratedKey, error) {
	var out RegeneratedKey
	err := u.run("regenerate api key", func(actor *users.User) error {
		k, err := apikey.Generate()
		if err != nil {
			return err
		}
		x, err := u.s.users.RegenerateAPIKey(actor, username, k, time.Duration(graceMinutes)*time.Minute)
		if err != nil {
			return err
		}
		out = RegeneratedKey{APIKey: k.String(), User: u.rowOf(x)}
		return nil
	})
	return out, err
}

// changeRow runs a change that returns the changed user, as a list row.
func (u *Users) changeRow(op string, fn func(actor *users.User) (*users.User, error)) (UserRow, error) {
	var row UserRow
	err := u.run(op, func(actor *users.User) error {
		x, err := fn(actor)
		if err == nil {
			row = u.rowOf(x)
		}
		return err
	})
	return row, err
}

// CreateOperator adds an operator.
func (u *Users) CreateOperator(req OperatorRequest) (UserRow, error) {
	return u.changeRow("create user", func(actor *users.User) (*users.User, error) {
		return u.s.users.CreateOperator(actor, operatorInput(req))
	})
}

// UpdateOperator edits an operator; an empty password keeps the old one.
func (u *Users) UpdateOperator(username string, req OperatorRequest) (UserRow, error) {
	return u.changeRow("edit user", func(actor *users.User) (*users.User, error) {
		return u.s.users.UpdateOperator(actor, username, operatorInput(req))
	})
}

// SetUserDisabled disables or enables a user.
func (u *Users) SetUserDisabled(username string, disabled bool) (UserRow, error) {
	return u.changeRow("disable user", func(actor *users.User) (*users.User, error) { return u.s.users.SetDisabled(actor, username, disabled) })
}

// DeleteUser deletes a user.
func (u *Users) DeleteUser(username string) error {
	return u.run("delete user", func(actor *users.User) error { return u.s.users.Delete(actor, username) })
}

// ListRoles returns every role with its holders count.
func (u *Users) ListRoles() ([]RoleView, error) {
	var out []RoleView
	err := u.run("list roles", func(*users.User) error {
		rs, err := u.s.users.ListRoles()
		for _, r := range rs {
			perms := make([]string, len(r.Permissions))
			for i, p := range r.Permissions {
				perms[i] = string(p)
			}
			out = append(out, RoleView{ID: r.ID, Name: r.Name, BuiltIn: r.BuiltIn, Permissions: perms, Users: r.Users,
				MayHaveAllPasswords: r.MayHaveAllPasswords()})
		}
		return err
	})
	return out, err
}

// ListPermissions names every permission, in display order.
func (u *Users) ListPermissions() []PermissionView {
	out := make([]PermissionView, len(access.AllPermissions))
	for i, p := range access.AllPermissions {
		out[i] = PermissionView{ID: string(p), Label: access.PermissionLabel[p]}
	}
	return out
}

// CreateRole adds a custom role.
func (u *Users) CreateRole(req RoleRequest) (RoleView, error) {
	var out RoleView
	err := u.run("create role", func(actor *users.User) error {
		r, err := u.s.users.CreateRole(actor, roleInput(req))
		out = RoleView{ID: r.ID, Name: r.Name, Permissions: req.Permissions, MayHaveAllPasswords: r.MayHaveAllPasswords()}
		return err
	})
	return out, err
}

// UpdateRole changes a custom role.
func (u *Users) UpdateRole(id string, req RoleRequest) (RoleView, error) {
	var out RoleView
	err := u.run("edit role", func(actor *users.User) error {
		r, err := u.s.users.UpdateRole(actor, id, roleInput(req))
		out = RoleView{ID: r.ID, Name: r.Name, Permissions: req.Permissions, MayHaveAllPasswords: r.MayHaveAllPasswords()}
		return err
	})
	return out, err
}

// DeleteRole removes a custom role nobody holds.
func (u *Users) DeleteRole(id string) error {
	return u.run("delete role", func(actor *users.User) error { return u.s.users.DeleteRole(actor, id) })
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
	perms := make([]access.Permission, len(r.Permissions))
	for i, p := range r.Permissions {
		perms[i] = access.Permission(p)
	}
	return users.RoleInput{Name: r.Name, Permissions: perms}
}

func rfc3339(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func (u *Users) row(r *users.Row) UserRow {
	role, super := u.s.users.RoleOf(&users.User{Role: r.Role, Scope: r.Scope})
	return UserRow{
		Username: r.Username, Kind: string(r.Kind), FullName: r.FullName, Email: r.Email, Host: r.Host,
		Role: r.Role, RoleName: role.Name, Scope: string(r.Scope), SuperAdmin: super,
		Department: r.Department, Location: r.Location, Disabled: r.Disabled, RESTEnabled: r.RESTEnabled,
		KeyStatus: r.KeyStatus(u.s.cfg.Clock()), KeyHint: r.KeyHint, KeyCreatedAt: rfc3339(r.KeyCreatedAt),
		KeyExpiresAt: rfc3339(r.KeyExpiresAt), LastUsedAt: rfc3339(r.LastUsedAt), LastUsedFrom: r.LastUsedFrom,
		UseCount: r.UseCount, CreatedAt: rfc3339(&r.CreatedAt),
	}
}

func (u *Users) rowOf(x *users.User) UserRow { return u.row(users.RowOf(x)) }

func (u *Users) detail(x *users.User) UserDetail {
	d := UserDetail{UserRow: u.rowOf(x)}
	if k := x.SSHKey; k != nil {
		d.SSHPublicKey, d.SSHFingerprint = k.Line, k.Fingerprint
	}
	if c := x.Certificate; c != nil {
		d.Certificate, d.CertificateSubject, d.CertificateThumbprint = c.PEM, c.Subject, c.Fingerprint
		d.CertificateNotAfter = rfc3339(&c.NotAfter)
	}
	return d
}
