// Package settings keeps Hostbound's stored settings in one place: the
// REST API's listen address, on/off and trusted proxies, and the server's
// TLS certificate (created on first use; its private key lives only in the
// encrypted store). Reading the settings takes an actor like every other
// use case; the servers read them as the system.
package settings

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/hostcheck"
	"hostbound/backend/store"
)

// DefaultListen is the REST API's address unless told otherwise: this
// machine only, PMP's port (PRODUCT.md §8).
const DefaultListen = "127.0.0.1:7272"

const restKey = "settings/restapi"

// REST are the REST API server's settings.
type REST struct {
	Listen         string `json:"listen"`         // host:port
	Enabled        bool   `json:"enabled"`        // serve while the vault is unlocked
	TrustedProxies string `json:"trustedProxies"` // comma-separated IPs/CIDRs whose X-Forwarded-For is believed
	// RefusalsAsPMP answers refusals with HTTP 200 and the Failed envelope,
	// as PMP does, for clients that read only the envelope (off: 4xx).
	RefusalsAsPMP bool `json:"refusalsAsPmp"`
}

// Validate checks the fields, naming each.
func (s REST) Validate() error {
	var f apperr.Form
	if !validListen(s.Listen) {
		f.Add("listen", "Listen address: host:port, e.g. 127.0.0.1:7272 or 0.0.0.0:7272; the host an IP address or localhost")
	}
	if _, err := hostcheck.ParseProxies(s.TrustedProxies); err != nil {
		f.Add("trustedProxies", "Trusted proxies: a comma-separated list of IP addresses or CIDRs")
	}
	return f.Err()
}

// validListen: host:port with a port 1–65535 and the host empty, an IP
// address or localhost.
func validListen(addr string) bool {
	host, port, err := net.SplitHostPort(addr)
	n, perr := strconv.Atoi(port)
	return err == nil && perr == nil && n >= 1 && n <= 65535 && (host == "" || host == "localhost" || net.ParseIP(host) != nil)
}

// Service reads and changes the settings.
type Service struct {
	st       *store.Store
	audit    *audit.Log
	resolver audit.Resolver
	clock    func() time.Time
	// listen is the address used until Settings store one (the desktop's
	// --api-listen; DefaultListen when empty).
	listen string
}

// NewService returns the settings service; defaultListen is the REST
// address until one is saved ("" for DefaultListen).
func NewService(st *store.Store, log *audit.Log, r audit.Resolver, clock func() time.Time, defaultListen string) *Service {
	if defaultListen == "" {
		defaultListen = DefaultListen
	}
	return &Service{st: st, audit: log, resolver: r, clock: clock, listen: defaultListen}
}

// CurrentREST returns the stored REST settings, or the defaults, for the
// server that applies them (no actor: the system reads them).
func (s *Service) CurrentREST() (REST, error) {
	var out REST
	err := s.st.View(func(tx *store.Txn) error {
		var err error
		out, err = s.rest(tx)
		return err
	})
	return out, err
}

func (s *Service) rest(tx *store.Txn) (REST, error) {
	out := REST{Listen: s.listen, Enabled: true}
	err := tx.Get(restKey, &out)
	if errors.Is(err, store.ErrNotFound) {
		err = nil
	}
	if out.Listen == "" {
		out.Listen = s.listen
	}
	return out, err
}

// mayView: the REST settings are read by those who manage security
// settings, and by those who hand out API keys (they need the URL and the
// certificate's fingerprint).
func mayView(p access.Principal) error {
	if p.Has(access.SettingsManage) || p.Has(access.APIUsersManage) || p.Has(access.UsersManage) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "You are not allowed to view the settings")
}

// GetREST returns the REST settings to a who may see them.
func (s *Service) GetREST(a access.Actor) (REST, error) {
	var out REST
	err := s.audit.Read(s.st, s.resolver, a, "view api server settings", "", func(tx *store.Txn, p access.Principal, _ *audit.Record) error {
		if err := mayView(p); err != nil {
			return err
		}
		var err error
		out, err = s.rest(tx)
		return err
	})
	return out, err
}

// SaveREST stores new REST settings for a holder of settings.manage.
func (s *Service) SaveREST(a access.Actor, set REST) error {
	err := s.audit.Act(s.st, s.resolver, a, "change api server settings", set.Listen, func(tx *store.Txn, p access.Principal, _ *audit.Record) error {
		if !p.Has(access.SettingsManage) {
			return apperr.New(apperr.Forbidden, "You are not allowed to change security settings")
		}
		if err := set.Validate(); err != nil {
			return err
		}
		return tx.Put(restKey, set)
	})
	if err != nil && apperr.As(err) == nil {
		return fmt.Errorf("save api server settings: %w", err)
	}
	return err
}

// MayView checks that a may see the settings screen (the key storage
// mode, the data directory, the store's size).
func (s *Service) MayView(a access.Actor) error {
	return s.audit.Read(s.st, s.resolver, a, "view security settings", "", func(_ *store.Txn, p access.Principal, _ *audit.Record) error {
		return mayView(p)
	})
}

// APIStatus is the REST API server's state, as Settings shows it.
type APIStatus struct {
	Running     bool   `json:"running"`
	Address     string `json:"address"`     // where it listens, or wanted to
	URL         string `json:"url"`         // base URL for clients
	Fingerprint string `json:"fingerprint"` // SHA-256 of the certificate
	Error       string `json:"error"`       // why it is not running
}
