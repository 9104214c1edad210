package desktop

import (
	"context"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apiserver"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/store"
	"hostbound/backend/users"
	"hostbound/backend/vault"
)

// Vault is bound to the frontend: the Resources screen and the REST API
// settings. Ids cross as decimal strings, as PMP clients see them.
type Vault struct{ s *Session }

// NewVault returns the Vault facade over a session.
func NewVault(s *Session) *Vault { return &Vault{s: s} }

// ResourceView is one resource in the list.
type ResourceView struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	DNSName     string `json:"dnsName"`
	Type        string `json:"type"`
	Description string `json:"description"`
	Department  string `json:"department"`
	Location    string `json:"location"`
	URL         string `json:"url"`
	Owner       string `json:"owner"`
	Accounts    int    `json:"accounts"`
}

// AccountView is an account without its password.
type AccountView struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Notes     string `json:"notes"`
	UpdatedAt string `json:"updatedAt"`
}

// ShareView is one share of a resource or account.
type ShareView struct {
	Grantee    string `json:"grantee"`
	AccountID  string `json:"accountId"` // "" for the whole resource
	Permission string `json:"permission"`
}

// ResourceDetail is a resource with its accounts and shares.
type ResourceDetail struct {
	Resource ResourceView  `json:"resource"`
	Accounts []AccountView `json:"accounts"`
	Shares   []ShareView   `json:"shares"`
}

// ResourceRequest is the Add / Edit Resource form.
type ResourceRequest struct {
	Name        string `json:"name"`
	DNSName     string `json:"dnsName"`
	Type        string `json:"type"`
	Description string `json:"description"`
	Department  string `json:"department"`
	Location    string `json:"location"`
	URL         string `json:"url"`
}

// AccountRequest is the Add / Edit Account form; an empty password keeps
// the old one on edit.
type AccountRequest struct {
	Name     string `json:"accountName"`
	Password string `json:"password"`
	Notes    string `json:"notes"`
}

// ShareRequest shares a resource (AccountID "") or an account.
type ShareRequest struct {
	ResourceID string `json:"resourceId"`
	AccountID  string `json:"accountId"`
	Grantee    string `json:"grantee"`
	Permission string `json:"permission"` // view or modify
}

// APIServerInfo is the REST API section of Settings.
type APIServerInfo struct {
	apiserver.Status
	Listen         string `json:"listen"`
	Enabled        bool   `json:"enabled"`
	TrustedProxies string `json:"trustedProxies"`
}

func (v *Vault) run(op string, fn func(a vault.Actor, u *users.User) error) error {
	v.s.mu.Lock()
	defer v.s.mu.Unlock()
	u, err := v.s.authorize(op)
	if err != nil {
		return err
	}
	r, _ := v.s.users.RoleOf(u)
	a := vault.Actor{Principal: vault.Principal{Username: u.Username, Role: r, Scope: u.Scope}, FullName: u.FullName,
		Kind: audit.ActorOperator, Source: "desktop"}
	if err := fn(a, u); err != nil {
		if errorsIsNotFound(err) {
			err = apperr.Wrap(apperr.NotFound, err, "No such resource or account")
		}
		return v.s.fail(op, err)
	}
	return nil
}

func errorsIsNotFound(err error) bool { return apperr.As(err) == nil && isNotFound(err) }

func parseIDs(ids ...string) ([]uint64, error) {
	out := make([]uint64, len(ids))
	for i, s := range ids {
		n, ok := vault.ParseID(s)
		if !ok {
			return nil, apperr.New(apperr.NotFound, "No such resource or account")
		}
		out[i] = n
	}
	return out, nil
}

func accountView(x vault.Account) AccountView {
	return AccountView{ID: itoa(x.ID), Name: x.Name, Notes: x.Notes, UpdatedAt: x.UpdatedAt.Format(time.RFC3339)}
}

func resourceView(r vault.Resource, accounts int) ResourceView {
	return ResourceView{ID: itoa(r.ID), Name: r.Name, DNSName: r.DNSName, Type: r.Type, Description: r.Description,
		Department: r.Department, Location: r.Location, URL: r.URL, Owner: r.Owner, Accounts: accounts}
}

// ListResources returns the resources the operator may see.
func (v *Vault) ListResources() ([]ResourceView, error) {
	var out []ResourceView
	err := v.run("list resources", func(a vault.Actor, _ *users.User) error {
		return v.s.st.View(func(tx *store.Txn) error {
			rs, err := vault.ListResources(tx, a.Principal)
			if err != nil {
				return err
			}
			out = make([]ResourceView, 0, len(rs))
			for _, r := range rs {
				accts, err := vault.Accounts(tx, a.Principal, r.ID)
				if err != nil {
					return err
				}
				out = append(out, resourceView(r, len(accts)))
			}
			return nil
		})
	})
	return out, err
}

// GetResource returns a resource with its accounts and shares.
func (v *Vault) GetResource(id string) (ResourceDetail, error) {
	var d ResourceDetail
	err := v.run("view resource", func(a vault.Actor, _ *users.User) error {
		ids, err := parseIDs(id)
		if err != nil {
			return err
		}
		err = v.s.st.View(func(tx *store.Txn) error {
			r, err := vault.GetResource(tx, a.Principal, ids[0])
			if err != nil {
				return err
			}
			accts, err := vault.Accounts(tx, a.Principal, r.ID)
			if err != nil {
				return err
			}
			d.Resource = resourceView(r, len(accts))
			d.Accounts = make([]AccountView, len(accts))
			for i, x := range accts {
				d.Accounts[i] = accountView(x)
			}
			return nil
		})
		if err != nil {
			return err
		}
		grants, err := v.s.vault.Shares(a.Principal, ids[0])
		for _, g := range grants {
			sv := ShareView{Grantee: g.Grantee, Permission: string(g.Permission)}
			if g.AccountID != 0 {
				sv.AccountID = itoa(g.AccountID)
			}
			d.Shares = append(d.Shares, sv)
		}
		return err
	})
	return d, err
}

// CreateResource adds a resource owned by the operator.
func (v *Vault) CreateResource(req ResourceRequest) (ResourceView, error) {
	var out ResourceView
	err := v.run("create resource", func(a vault.Actor, _ *users.User) error {
		r, err := v.s.vault.CreateResource(a, vault.ResourceInput(req))
		out = resourceView(r, 0)
		return err
	})
	return out, err
}

// UpdateResource edits a resource.
func (v *Vault) UpdateResource(id string, req ResourceRequest) (ResourceView, error) {
	var out ResourceView
	err := v.run("edit resource", func(a vault.Actor, _ *users.User) error {
		ids, err := parseIDs(id)
		if err != nil {
			return err
		}
		r, err := v.s.vault.UpdateResource(a, ids[0], vault.ResourceInput(req))
		out = resourceView(r, 0)
		return err
	})
	return out, err
}

// DeleteResource deletes a resource with its accounts.
func (v *Vault) DeleteResource(id string) error {
	return v.run("delete resource", func(a vault.Actor, _ *users.User) error {
		ids, err := parseIDs(id)
		if err != nil {
			return err
		}
		return v.s.vault.DeleteResource(a, ids[0])
	})
}

// CreateAccount adds an account to a resource.
func (v *Vault) CreateAccount(resourceID string, req AccountRequest) (AccountView, error) {
	var out AccountView
	err := v.run("create account", func(a vault.Actor, _ *users.User) error {
		ids, err := parseIDs(resourceID)
		if err != nil {
			return err
		}
		x, err := v.s.vault.CreateAccount(a, ids[0], vault.AccountInput(req))
		out = accountView(x)
		return err
	})
	return out, err
}

// UpdateAccount edits an account.
func (v *Vault) UpdateAccount(resourceID, accountID string, req AccountRequest) (AccountView, error) {
	var out AccountView
	err := v.run("edit account", func(a vault.Actor, _ *users.User) error {
		ids, err := parseIDs(resourceID, accountID)
		if err != nil {
			return err
		}
		x, err := v.s.vault.UpdateAccount(a, ids[0], ids[1], vault.AccountInput(req))
		out = accountView(x)
		return err
	})
	return out, err
}

// DeleteAccount deletes an account.
func (v *Vault) DeleteAccount(resourceID, accountID string) error {
	return v.run("delete account", func(a vault.Actor, _ *users.User) error {
		ids, err := parseIDs(resourceID, accountID)
		if err != nil {
			return err
		}
		return v.s.vault.DeleteAccount(a, ids[0], ids[1])
	})
}

// RevealPassword returns a password for display or copying ("reveal" or
// "copy"); the audit record commits before the password is returned.
func (v *Vault) RevealPassword(resourceID, accountID, purpose string) (string, error) {
	var pw string
	op := "reveal password"
	if purpose == "copy" {
		op = "copy password"
	}
	err := v.run(op, func(a vault.Actor, _ *users.User) error {
		ids, err := parseIDs(resourceID, accountID)
		if err != nil {
			return err
		}
		rec := audit.Record{Actor: a.Username, ActorName: a.FullName, ActorKind: a.Kind, Source: a.Source, Operation: op,
			Target: resourceID + "/" + accountID}
		return v.s.audit.Update(v.s.st, rec, func(tx *store.Txn) error {
			_, x, err := vault.Password(tx, a.Principal, ids[0], ids[1])
			pw = x.Password
			return err
		})
	})
	if err != nil {
		return "", err
	}
	return pw, nil
}

// ShareResource shares a resource or an account with a user or API user.
func (v *Vault) ShareResource(req ShareRequest) error {
	return v.run("share", func(a vault.Actor, _ *users.User) error {
		// Permission first, so that the grantee check below tells nothing
		// about who exists to someone who may not share.
		if !a.Role.Has(access.PasswordsShare) {
			return apperr.New(apperr.Forbidden, "You are not allowed to share passwords")
		}
		in, err := v.shareInput(req)
		if err != nil {
			return err
		}
		return v.s.vault.Share(a, in)
	})
}

// UnshareResource removes a share.
func (v *Vault) UnshareResource(req ShareRequest) error {
	return v.run("unshare", func(a vault.Actor, _ *users.User) error {
		in, err := v.shareInput(req)
		if err != nil {
			return err
		}
		return v.s.vault.Unshare(a, in)
	})
}

func (v *Vault) shareInput(req ShareRequest) (vault.ShareInput, error) {
	ids, err := parseIDs(req.ResourceID)
	if err != nil {
		return vault.ShareInput{}, err
	}
	in := vault.ShareInput{ResourceID: ids[0], Grantee: req.Grantee, Permission: vault.Permission(req.Permission)}
	if req.AccountID != "" {
		a, err := parseIDs(req.AccountID)
		if err != nil {
			return in, err
		}
		in.AccountID = a[0]
	}
	if _, err := v.s.users.Get(req.Grantee); err != nil {
		return in, apperr.Field("grantee", "Share with: no user named %s", req.Grantee)
	}
	return in, nil
}

// GetAPIServer returns the REST API's status and settings.
func (v *Vault) GetAPIServer() (APIServerInfo, error) {
	var out APIServerInfo
	err := v.run("view api server", func(vault.Actor, *users.User) error {
		set, err := apiserver.LoadSettings(v.s.st, v.s.cfg.APIListen)
		out = APIServerInfo{Status: v.s.server.Status(), Listen: set.Listen, Enabled: set.Enabled, TrustedProxies: set.TrustedProxies}
		return err
	})
	return out, err
}

// SaveAPIServer changes the REST API settings and restarts it with them.
func (v *Vault) SaveAPIServer(listen string, enabled bool, trustedProxies string) (APIServerInfo, error) {
	err := v.run("change api server settings", func(a vault.Actor, _ *users.User) error {
		set := apiserver.Settings{Listen: listen, Enabled: enabled, TrustedProxies: trustedProxies}
		rec := audit.Record{Actor: a.Username, ActorName: a.FullName, ActorKind: a.Kind, Source: a.Source,
			Operation: "change api server settings", Target: listen}
		err := v.s.audit.Update(v.s.st, rec, func(tx *store.Txn) error {
			if !a.Role.Has(access.SettingsManage) {
				return apperr.New(apperr.Forbidden, "You are not allowed to change security settings")
			}
			return set.Save(tx)
		})
		if err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = v.s.server.Stop(ctx)
		v.s.startAPIServer()
		return nil
	})
	if err != nil {
		return APIServerInfo{}, err
	}
	return v.GetAPIServer()
}
