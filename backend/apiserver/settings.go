package apiserver

import (
	"errors"
	"net"
	"strconv"

	"hostbound/backend/apperr"
	"hostbound/backend/hostcheck"
	"hostbound/backend/store"
)

const settingsKey = "settings/restapi"

// Settings of the REST API server, kept in the store.
type Settings struct {
	Listen         string `json:"listen"`         // host:port, default DefaultListen
	Enabled        bool   `json:"enabled"`        // serve while the app is unlocked
	TrustedProxies string `json:"trustedProxies"` // comma-separated IPs/CIDRs whose X-Forwarded-For is believed
}

// LoadSettings returns the stored settings, or the defaults with listen as
// the address.
func LoadSettings(st *store.Store, listen string) (Settings, error) {
	s := Settings{Listen: listen, Enabled: true}
	err := st.View(func(tx *store.Txn) error { return tx.Get(settingsKey, &s) })
	if errors.Is(err, store.ErrNotFound) {
		err = nil
	}
	return s, err
}

// Validate checks the fields, naming each.
func (s Settings) Validate() error {
	var f apperr.Form
	host, port, err := net.SplitHostPort(s.Listen)
	if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 1 || n > 65535 {
		f.Add("listen", "Listen address: host:port, e.g. 127.0.0.1:7272 or 0.0.0.0:7272")
	} else if host != "" && net.ParseIP(host) == nil && host != "localhost" {
		f.Add("listen", "Listen address: the host must be an IP address or localhost")
	}
	if _, err := hostcheck.ParseProxies(s.TrustedProxies); err != nil {
		f.Add("trustedProxies", "Trusted proxies: a comma-separated list of IP addresses or CIDRs")
	}
	return f.Err()
}

// Save stores validated settings in tx (the caller adds the audit record).
func (s Settings) Save(tx *store.Txn) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return tx.Put(settingsKey, s)
}
