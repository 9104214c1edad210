package desktop

import (
	"fmt"
	"strings"
	"time"

	"github.com/samber/lo"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/passgen"
	"hostbound/backend/services"
	"hostbound/backend/settings"
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
	ID              string `json:"id"`
	Name            string `json:"name"`
	Notes           string `json:"notes"`
	ReasonRequired  bool   `json:"reasonRequired"`  // a retrieval must give a reason
	TicketRequired  bool   `json:"ticketRequired"`  // a retrieval is asked for a ticket id
	TicketMandatory bool   `json:"ticketMandatory"` // ... and must give one
	UpdatedAt       string `json:"updatedAt"`
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
	// Owner is a username: blank for the operator on add, unchanged on
	// edit. Giving a resource to someone else needs the All Passwords
	// scope; the domain refuses others under the field "owner".
	Owner string `json:"owner"`
}

func (req ResourceRequest) input() vault.ResourceInput {
	return vault.ResourceInput{Name: req.Name, DNSName: req.DNSName, Type: req.Type, Description: req.Description,
		Department: req.Department, Location: req.Location, URL: req.URL, Owner: req.Owner}
}

// PolicyView is a password policy the account form's Generate offers.
type PolicyView struct {
	Name        string `json:"name"`
	Length      int    `json:"length"`
	Description string `json:"description"` // e.g. "14 characters: lower, upper and digits, at least 1 of each"
}

// AccountRequest is the Add / Edit Account form; an empty password keeps
// the old one on edit.
type AccountRequest struct {
	Name            string `json:"accountName"`
	Password        string `json:"password"`
	Notes           string `json:"notes"`
	ReasonRequired  bool   `json:"reasonRequired"`
	TicketRequired  bool   `json:"ticketRequired"`
	TicketMandatory bool   `json:"ticketMandatory"`
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
	settings.APIStatus
	Listen         string `json:"listen"`
	Enabled        bool   `json:"enabled"`
	TrustedProxies string `json:"trustedProxies"`
	// RefusalsAsPMP: refusals are answered with HTTP 200 and the Failed
	// envelope, as PMP does (off: 4xx).
	RefusalsAsPMP bool `json:"refusalsAsPmp"`
}

func (v *Vault) run(op string, fn func(a access.Actor, svc *services.Services) error) error {
	return v.s.run(op, fn)
}

func parseIDs(ids ...string) ([]uint64, error) {
	out := make([]uint64, len(ids))
	for i, s := range ids {
		n, ok := vault.ParseID(s)
		if !ok {
			return nil, apperr.New(apperr.NotFound, vault.MsgNotFound)
		}
		out[i] = n
	}
	return out, nil
}

func accountView(x vault.Account) AccountView {
	return AccountView{ID: itoa(x.ID), Name: x.Name, Notes: x.Notes, ReasonRequired: x.ReasonRequired,
		TicketRequired: x.TicketRequired, TicketMandatory: x.TicketMandatory, UpdatedAt: x.UpdatedAt.Format(time.RFC3339)}
}

func resourceView(r vault.Resource, accounts int) ResourceView {
	return ResourceView{ID: itoa(r.ID), Name: r.Name, DNSName: r.DNSName, Type: r.Type, Description: r.Description,
		Department: r.Department, Location: r.Location, URL: r.URL, Owner: r.Owner, Accounts: accounts}
}

// ListResources returns the resources the operator may see.
func (v *Vault) ListResources() ([]ResourceView, error) {
	var out []ResourceView
	err := v.run("list resources", func(a access.Actor, svc *services.Services) error {
		rs, err := svc.Vault.ListResources(a)
		out = lo.Map(rs, func(r vault.Summary, _ int) ResourceView { return resourceView(r.Resource, r.Accounts) })
		return err
	})
	return out, err
}

// GetResource returns a resource with its accounts and shares.
func (v *Vault) GetResource(id string) (ResourceDetail, error) {
	var d ResourceDetail
	err := v.run("view resource", func(a access.Actor, svc *services.Services) error {
		ids, err := parseIDs(id)
		if err != nil {
			return err
		}
		x, err := svc.Vault.GetResource(a, ids[0])
		if err != nil {
			return err
		}
		d.Resource = resourceView(x.Resource, len(x.Accounts))
		d.Accounts = lo.Map(x.Accounts, func(acct vault.Account, _ int) AccountView { return accountView(acct) })
		d.Shares = lo.Map(x.Shares, func(g vault.Grant, _ int) ShareView {
			sv := ShareView{Grantee: g.Grantee, Permission: string(g.Permission)}
			if g.AccountID != 0 {
				sv.AccountID = itoa(g.AccountID)
			}
			return sv
		})
		return nil
	})
	return d, err
}

// CreateResource adds a resource owned by the operator.
func (v *Vault) CreateResource(req ResourceRequest) (ResourceView, error) {
	var out ResourceView
	err := v.run("create resource", func(a access.Actor, svc *services.Services) error {
		r, err := svc.Vault.CreateResource(a, req.input())
		out = resourceView(r, 0)
		return err
	})
	return out, err
}

// UpdateResource edits a resource.
func (v *Vault) UpdateResource(id string, req ResourceRequest) (ResourceView, error) {
	var out ResourceView
	err := v.run("edit resource", func(a access.Actor, svc *services.Services) error {
		ids, err := parseIDs(id)
		if err != nil {
			return err
		}
		r, err := svc.Vault.UpdateResource(a, ids[0], req.input())
		out = resourceView(r, 0)
		return err
	})
	return out, err
}

// DeleteResource deletes a resource with its accounts.
func (v *Vault) DeleteResource(id string) error {
	return v.run("delete resource", func(a access.Actor, svc *services.Services) error {
		ids, err := parseIDs(id)
		if err != nil {
			return err
		}
		return svc.Vault.DeleteResource(a, ids[0])
	})
}

// CreateAccount adds an account to a resource.
func (v *Vault) CreateAccount(resourceID string, req AccountRequest) (AccountView, error) {
	var out AccountView
	err := v.run("create account", func(a access.Actor, svc *services.Services) error {
		ids, err := parseIDs(resourceID)
		if err != nil {
			return err
		}
		x, err := svc.Vault.CreateAccount(a, ids[0], vault.AccountInput(req))
		out = accountView(x)
		return err
	})
	return out, err
}

// UpdateAccount edits an account.
func (v *Vault) UpdateAccount(resourceID, accountID string, req AccountRequest) (AccountView, error) {
	var out AccountView
	err := v.run("edit account", func(a access.Actor, svc *services.Services) error {
		ids, err := parseIDs(resourceID, accountID)
		if err != nil {
			return err
		}
		x, err := svc.Vault.UpdateAccount(a, ids[0], ids[1], vault.AccountInput(req))
		out = accountView(x)
		return err
	})
	return out, err
}

// DeleteAccount deletes an account.
func (v *Vault) DeleteAccount(resourceID, accountID string) error {
	return v.run("delete account", func(a access.Actor, svc *services.Services) error {
		ids, err := parseIDs(resourceID, accountID)
		if err != nil {
			return err
		}
		return svc.Vault.DeleteAccount(a, ids[0], ids[1])
	})
}

// RevealPassword returns a password for display or copying ("reveal" or
// "copy") with the reason and ticket id the account may ask for; the
// audit record commits before the password is returned.
func (v *Vault) RevealPassword(resourceID, accountID, purpose, reason, ticketID string) (string, error) {
	var pw string
	op := "reveal password"
	if purpose == "copy" {
		op = "copy password"
	}
	err := v.run(op, func(a access.Actor, svc *services.Services) error {
		ids, err := parseIDs(resourceID, accountID)
		if err != nil {
			return err
		}
		pw, err = svc.Vault.RevealPassword(a, ids[0], ids[1], vault.Purpose{Copy: purpose == "copy", Reason: reason, TicketID: ticketID})
		return err
	})
	return pw, err
}

// ShareResource shares a resource or an account with a user or API user.
func (v *Vault) ShareResource(req ShareRequest) error {
	return v.run("share", func(a access.Actor, svc *services.Services) error {
		in, err := shareInput(req)
		if err != nil {
			return err
		}
		return svc.Vault.Share(a, in)
	})
}

// UnshareResource removes a share.
func (v *Vault) UnshareResource(req ShareRequest) error {
	return v.run("unshare", func(a access.Actor, svc *services.Services) error {
		in, err := shareInput(req)
		if err != nil {
			return err
		}
		return svc.Vault.Unshare(a, in)
	})
}

func shareInput(req ShareRequest) (vault.ShareInput, error) {
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
	return in, nil
}

// ResourceTypes returns the resource types the Add / Edit Resource form
// suggests: the standard ones and those of the resources the operator
// sees, sorted.
func (v *Vault) ResourceTypes() ([]string, error) {
	var out []string
	err := v.run("list resource types", func(a access.Actor, svc *services.Services) error {
		var err error
		out, err = svc.Vault.ResourceTypes(a)
		return err
	})
	return out, err
}

// PasswordPolicies lists the policies GeneratePassword takes, strongest
// (the default) first.
func (v *Vault) PasswordPolicies() []PolicyView {
	return lo.Map(passgen.Policies, func(p passgen.Policy, _ int) PolicyView {
		return PolicyView{Name: p.Name, Length: p.Length, Description: describePolicy(p)}
	})
}

// classNames name passgen's character classes for the UI.
var classNames = map[string]string{passgen.Lower: "lower", passgen.Upper: "upper", passgen.Digits: "digits", passgen.Special: "symbols"}

// describePolicy is one line on a policy: "20 characters: lower, upper,
// digits and symbols, at least 2 of each" (or "at least 1 lower, 2 digits"
// when the minimums differ).
func describePolicy(p passgen.Policy) string {
	names := lo.Map(p.Classes, func(c passgen.Class, _ int) string { return lo.ValueOr(classNames, c.Chars, "other") })
	mins := lo.Uniq(lo.Map(p.Classes, func(c passgen.Class, _ int) int { return c.Min }))
	if len(mins) == 1 {
		return fmt.Sprintf("%d characters: %s, at least %d of each", p.Length, andList(names), mins[0])
	}
	each := lo.Map(p.Classes, func(c passgen.Class, i int) string { return fmt.Sprintf("%d %s", c.Min, names[i]) })
	return fmt.Sprintf("%d characters: %s, at least %s", p.Length, andList(names), strings.Join(each, ", "))
}

// andList joins "a", "b", "c" as "a, b and c".
func andList(xs []string) string {
	if len(xs) < 2 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// GeneratePassword returns a fresh password of the named policy (blank:
// Strong) for the account form. It is not kept and reaches no log or
// audit record (the domain audits an API user's call by policy name only).
func (v *Vault) GeneratePassword(policy string) (string, error) {
	var pw string
	err := v.run("generate password", func(a access.Actor, svc *services.Services) error {
		var err error
		pw, err = svc.Vault.GeneratePassword(a, policy)
		return err
	})
	return pw, err
}

// GetAPIServer returns the REST API's status and settings.
func (v *Vault) GetAPIServer() (APIServerInfo, error) {
	var out APIServerInfo
	err := v.run("view api server", func(a access.Actor, svc *services.Services) error {
		set, err := svc.Settings.GetREST(a)
		out = APIServerInfo{APIStatus: v.s.cfg.API.Status(), Listen: set.Listen, Enabled: set.Enabled,
			TrustedProxies: set.TrustedProxies, RefusalsAsPMP: set.RefusalsAsPMP}
		return err
	})
	return out, err
}

// SaveAPIServer changes the REST API settings and restarts it with them.
func (v *Vault) SaveAPIServer(listen string, enabled bool, trustedProxies string, refusalsAsPMP bool) (APIServerInfo, error) {
	err := v.run("change api server settings", func(a access.Actor, svc *services.Services) error {
		set := settings.REST{Listen: listen, Enabled: enabled, TrustedProxies: trustedProxies, RefusalsAsPMP: refusalsAsPMP}
		if err := svc.Settings.SaveREST(a, set); err != nil {
			return err
		}
		// A failure to listen shows in the status, not as an error of Save.
		_ = v.s.cfg.API.Restart()
		return nil
	})
	if err != nil {
		return APIServerInfo{}, err
	}
	return v.GetAPIServer()
}
