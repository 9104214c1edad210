package desktop

import (
	"fmt"
	"net"
	"net/url"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/services"
	"hostbound/backend/users"
)

// DashboardView is the Home screen. Each part the operator may not see is
// nil (Keys needs reports.view, Activity audit.view, GettingStarted's
// command the REST settings' view), so Home never shows more than the
// screens it links to.
type DashboardView struct {
	Keys     *DashboardKeys   `json:"keys"`
	Activity *audit.Dashboard `json:"activity"`
	API      ServiceStatus    `json:"api"`
	SSH      ServiceStatus    `json:"ssh"`
	// GettingStarted is set while there are no API users (and the operator
	// may see the users).
	GettingStarted *GettingStarted `json:"gettingStarted"`
}

// DashboardKeys counts the API users by key status. The Expiring counts
// are cumulative: ExpiringWithin30 includes those within 7 and 1 days.
type DashboardKeys struct {
	APIUsers         int `json:"apiUsers"`
	Active           int `json:"active"` // live keys not expiring within 30 days
	ExpiringWithin30 int `json:"expiringWithin30"`
	ExpiringWithin7  int `json:"expiringWithin7"`
	ExpiringWithin1  int `json:"expiringWithin1"`
	Expired          int `json:"expired"`
	NoKey            int `json:"noKey"`
	Disabled         int `json:"disabled"`
	Revoked          int `json:"revoked"` // by the kill switch
	Idle             int `json:"idle"`
}

// ServiceStatus is a face (REST API, SSH CLI) as Home shows it.
type ServiceStatus struct {
	Running bool   `json:"running"`
	Address string `json:"address"`
	Error   string `json:"error"`
}

// GettingStarted is what the first-run card needs for its curl command:
// where this machine's REST API answers and its certificate's key pin.
// Both are "" for an operator who may not see the REST settings.
type GettingStarted struct {
	BaseURL      string `json:"baseUrl"`
	PublicKeyPin string `json:"publicKeyPin"`
	Resources    int    `json:"resources"` // resources the operator sees
	// Command fetches a password from this machine with curl, the key in
	// $HOSTBOUND_KEY (kept out of the shell's history): the first account
	// of the first resource the operator sees with one, else the resource
	// list. Example names that account ("db01 / postgres") or is "".
	Command string `json:"command"`
	Example string `json:"example"`
}

// GetDashboard returns the Home screen's figures now. The audit figures
// come from aggregates kept as records are written, not from a scan.
func (a *Audit) GetDashboard() (DashboardView, error) {
	var out DashboardView
	err := a.s.run("view dashboard", func(actor access.Actor, svc *services.Services) error {
		now := a.s.cfg.Clock()
		api := a.s.cfg.API.Status()
		ssh := a.s.sshStatus()
		out.API = ServiceStatus{Running: api.Running, Address: api.Address, Error: api.Error}
		out.SSH = ServiceStatus{Running: ssh.Running, Address: ssh.Address, Error: ssh.Error}

		rep, err := svc.Users.Report(actor, now)
		if err := allowed(err); err != nil {
			return err
		}
		if err == nil {
			out.Keys = dashboardKeys(rep)
		}
		act, err := svc.Trail.Dashboard(actor, now)
		if err := allowed(err); err != nil {
			return err
		}
		if err == nil {
			out.Activity = &act
		}
		if out.Keys != nil && out.Keys.APIUsers == 0 {
			out.GettingStarted, err = gettingStarted(actor, svc, api.URL)
			return err
		}
		return nil
	})
	return out, err
}

// allowed turns "not allowed" into no error: that part of Home stays empty.
func allowed(err error) error {
	if err == nil || apperr.CodeOf(err) == apperr.Forbidden {
		return nil
	}
	return err
}

func dashboardKeys(rep users.Report) *DashboardKeys {
	k := rep.KeyStatus
	d := &DashboardKeys{Active: k[users.KeyActive], ExpiringWithin1: k["expiring1"], Expired: k[users.KeyExpired],
		NoKey: k[users.KeyNone], Disabled: k[users.KeyDisabled], Revoked: k[users.KeyRevoked], Idle: len(rep.IdleKeys)}
	d.ExpiringWithin7 = d.ExpiringWithin1 + k["expiring7"]
	d.ExpiringWithin30 = d.ExpiringWithin7 + k["expiring30"]
	d.APIUsers = d.Active + d.ExpiringWithin30 + d.Expired + d.NoKey + d.Disabled + d.Revoked
	return d
}

func gettingStarted(actor access.Actor, svc *services.Services, baseURL string) (*GettingStarted, error) {
	gs := &GettingStarted{}
	rs, err := svc.Vault.ListResources(actor)
	if err := allowed(err); err != nil {
		return nil, err
	}
	gs.Resources = len(rs)
	cert, err := svc.Settings.CertificateInfo(actor)
	if err := allowed(err); err != nil {
		return nil, err
	}
	if err != nil || baseURL == "" {
		return gs, nil // not allowed to see where the API answers, or it is off
	}
	gs.BaseURL, gs.PublicKeyPin = localURL(baseURL), cert.PublicKeyPin
	path := "/resources"
	for _, r := range rs {
		if r.Accounts == 0 {
			continue
		}
		d, err := svc.Vault.GetResource(actor, r.ID)
		if err != nil || len(d.Accounts) == 0 {
			continue
		}
		path = fmt.Sprintf("/resources/%d/accounts/%d/password", r.ID, d.Accounts[0].ID)
		gs.Example = r.Name + " / " + d.Accounts[0].Name
		break
	}
	// -k skips the certificate authority check (the certificate is
	// self-signed); --pinnedpubkey checks this server's own key instead.
	gs.Command = fmt.Sprintf(`curl -sk --pinnedpubkey '%s' -H "AUTHTOKEN: $HOSTBOUND_KEY" '%s%s'`, gs.PublicKeyPin, gs.BaseURL, path)
	return gs, nil
}

// localURL makes the REST API's URL one that curl on this machine can
// reach: a server listening on every address (0.0.0.0, ::) is reached on
// the loopback address.
func localURL(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	host, port, err := net.SplitHostPort(u.Host)
	if err != nil {
		return base
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		if ip.To4() != nil {
			host = "127.0.0.1"
		} else {
			host = "::1"
		}
		u.Host = net.JoinHostPort(host, port)
	}
	return u.String()
}
