// Package core opens an unlocked data directory and wires the domain
// services over it, so that the desktop app and the headless server run
// the same thing.
package core

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/sirupsen/logrus"

	"hostbound/backend/apiserver"
	"hostbound/backend/audit"
	"hostbound/backend/hostcheck"
	"hostbound/backend/keys"
	"hostbound/backend/restapi"
	"hostbound/backend/store"
	"hostbound/backend/users"
	"hostbound/backend/vault"
)

// Config is what the services need besides the data directory and key.
type Config struct {
	Log      logrus.FieldLogger
	Clock    func() time.Time
	Hasher   users.Hasher
	Resolver hostcheck.Resolver
}

// Services are the open store and the domain services over it.
type Services struct {
	Store *store.Store
	Audit *audit.Log
	Users *users.Service
	Vault *vault.Service
	cfg   Config
}

// StoreDir is where the database lives inside the data directory.
func StoreDir(dataDir string) string { return filepath.Join(dataDir, "db") }

// Open opens the store of dataDir with the master key and builds the
// services. Errors wrap store.ErrWrongKey and store.ErrAlreadyRunning.
func Open(dataDir string, key []byte, c Config) (*Services, error) {
	st, err := store.Open(StoreDir(dataDir), key, c.Log)
	if err != nil {
		return nil, err
	}
	log := audit.New(keys.Derive(key, keys.AuditChain), c.Clock)
	u, err := users.NewService(users.Config{Store: st, Audit: log, Hasher: c.Hasher, Clock: c.Clock,
		Pepper: keys.Derive(key, keys.APIKeyPepper)})
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("load users: %w", err)
	}
	return &Services{Store: st, Audit: log, Users: u, Vault: vault.NewService(st, log, c.Clock), cfg: c}, nil
}

// APIServer builds the REST API server with the stored settings (listen is
// the default address). It does not start it.
func (s *Services) APIServer(listen string) (*apiserver.Server, apiserver.Settings, error) {
	set, err := apiserver.LoadSettings(s.Store, listen)
	if err != nil {
		return nil, set, err
	}
	proxies, err := hostcheck.ParseProxies(set.TrustedProxies)
	if err != nil {
		return nil, set, fmt.Errorf("trusted proxies setting: %w", err)
	}
	api := restapi.New(restapi.Config{Store: s.Store, Users: s.Users, Audit: s.Audit, Clock: s.cfg.Clock, Log: s.cfg.Log,
		Matcher: hostcheck.NewMatcher(s.cfg.Resolver, s.cfg.Clock), Proxies: proxies})
	return apiserver.New(api, s.Store, s.cfg.Clock, s.cfg.Log), set, nil
}
