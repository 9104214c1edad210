// Package services wires the domain over an open store: users, vault,
// audit trail, settings and the authentication guard, each given what it
// needs through its constructor. core (the app and `hostbound serve`) and
// the tests build the domain the same way through it.
package services

import (
	"fmt"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/audit"
	"hostbound/backend/authguard"
	"hostbound/backend/backup"
	"hostbound/backend/hostcheck"
	"hostbound/backend/keys"
	"hostbound/backend/settings"
	"hostbound/backend/store"
	"hostbound/backend/users"
	"hostbound/backend/vault"
)

// Config is what the domain needs besides the store and the master key.
type Config struct {
	Clock    func() time.Time
	Hasher   users.Hasher
	Resolver hostcheck.Resolver // DNS for host binding (net.DefaultResolver)
	// APIListen is the REST API's address until Settings store one
	// (settings.DefaultListen when empty).
	APIListen string
	// FailBurst failed authentications per minute from one source before
	// they are refused outright (default 10).
	FailBurst int
	// Backup tunes backup files (tests lower scrypt's work factor).
	Backup backup.Params
}

// Services is the domain over one store.
type Services struct {
	Store    *store.Store
	Audit    *audit.Log
	Trail    *audit.Trail
	Users    *users.Service
	Vault    *vault.Service
	Settings *settings.Service
	Guard    *authguard.Guard
	Backup   *backup.Service
	stop     chan struct{}
}

// New builds the domain over st with subkeys of the master key, and
// migrates data written by older versions.
func New(st *store.Store, master []byte, c Config) (*Services, error) {
	log := audit.New(keys.Derive(master, keys.AuditChain), c.Clock)
	failures := make(chan []byte, sharedFailures)
	guard := authguard.New(authguard.Config{Burst: c.FailBurst, Window: time.Minute, Clock: c.Clock,
		Record: func(r audit.Record) { log.Record(st, r) },
		Share: func(msg []byte) {
			select {
			case failures <- msg:
			default: // a flood: the other nodes' count falls behind, this node's does not
			}
		}})
	st.Subscribe(failureTopic, guard.Remote)
	u, err := users.NewService(users.Config{Store: st, Audit: log, Hasher: c.Hasher, Clock: c.Clock,
		Pepper: keys.Derive(master, keys.APIKeyPepper), Guard: guard, Matcher: hostcheck.NewMatcher(c.Resolver, c.Clock)})
	if err != nil {
		return nil, fmt.Errorf("load users: %w", err)
	}
	v := vault.NewService(st, log, u, c.Clock)
	if err := vault.Migrate(st, u.IDByName); err != nil {
		return nil, fmt.Errorf("migrate the vault: %w", err)
	}
	// A deleted user's shares go with it; its resources pass to whoever
	// deleted it.
	u.OnDelete(func(tx *store.Txn, gone *users.User, heir access.Principal) (string, error) {
		return v.ForgetUser(tx, gone.ID, heir)
	})
	s := &Services{Store: st, Audit: log, Trail: audit.NewTrail(st, log, u), Users: u, Vault: v,
		Settings: settings.NewService(st, log, u, c.Clock, c.APIListen), Guard: guard,
		Backup: backup.NewService(st, master, log, u, c.Clock, c.Backup), stop: make(chan struct{})}
	go s.flushFailures()
	go s.shareFailures(failures)
	go u.Follow(s.stop)
	return s, nil
}

// flushFailures writes the guard's aggregated failure records once their
// minute has ended.
func (s *Services) flushFailures() {
	t := time.NewTicker(10 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			s.Guard.Flush()
		case <-s.stop:
			return
		}
	}
}

// Failed authentications are counted by every node of a shared store
// (authguard/share.go): one message per failure, sent in the background.
const (
	failureTopic   = "authguard/fail"
	sharedFailures = 1024 // failures waiting to be sent before the newest are dropped
)

// shareFailures sends the guard's failures to the other nodes until Close.
func (s *Services) shareFailures(failures <-chan []byte) {
	for {
		select {
		case msg := <-failures:
			// Not retried: when the store cannot send, the other nodes
			// cannot reach it either.
			_ = s.Store.Publish(failureTopic, msg)
		case <-s.stop:
			return
		}
	}
}

// Close writes what the guard still holds (aggregated failure records);
// call it before the store closes, which is its owner's job.
func (s *Services) Close() {
	close(s.stop)
	s.Guard.Close()
}
