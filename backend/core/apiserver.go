package core

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"hostbound/backend/hostcheck"
	"hostbound/backend/restapi"
	"hostbound/backend/settings"
)

// APIServer runs the REST API over a lifecycle's open services, with the
// stored settings. The desktop drives it through a small interface of its
// own; `hostbound serve` directly.
type APIServer struct {
	life   *Lifecycle
	listen string // overrides the stored address when set (serve --listen)
	// headless serves whatever the Enabled setting says, which is about the
	// desktop app ("serve while the app is unlocked").
	headless bool
	log      logrus.FieldLogger

	mu  sync.Mutex
	srv *restapi.Server
	err string // why it could not be built
}

// NewAPIServer returns the desktop app's stopped server.
func NewAPIServer(life *Lifecycle) *APIServer {
	return &APIServer{life: life, log: life.cfg.Log.WithField("component", "apiserver")}
}

// NewHeadlessAPIServer returns `hostbound serve`'s stopped server: it
// serves even when Settings turned the desktop's API off, on listen when
// given.
func NewHeadlessAPIServer(life *Lifecycle, listen string) *APIServer {
	a := NewAPIServer(life)
	a.listen, a.headless = listen, true
	return a
}

// Restart stops the server and starts it again with the stored settings
// (or leaves it stopped when they say off). A failure (port in use) is
// returned and kept in Status.
func (a *APIServer) Restart() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.stop()
	svc := a.life.Services()
	if svc == nil {
		return fmt.Errorf("the vault is locked")
	}
	set, err := svc.Settings.CurrentREST()
	var proxies hostcheck.Proxies
	if err == nil {
		proxies, err = hostcheck.ParseProxies(set.TrustedProxies)
	}
	if err != nil {
		a.err = fmt.Sprintf("REST API settings: %v", err)
		return fmt.Errorf("%s", a.err)
	}
	api := restapi.New(restapi.Config{Users: svc.Users, Vault: svc.Vault, Proxies: proxies,
		Clock: a.life.cfg.Clock, Log: a.life.cfg.Log})
	a.srv, a.err = restapi.NewServer(api, svc.Settings.Certificate, a.life.cfg.Log), ""
	if !set.Enabled && !a.headless {
		return nil
	}
	listen := set.Listen
	if a.listen != "" {
		listen = a.listen
	}
	return a.srv.Start(listen)
}

// Stop stops the server, letting requests in flight finish (5 s at most).
func (a *APIServer) Stop() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.stop()
}

func (a *APIServer) stop() {
	if a.srv == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = a.srv.Stop(ctx)
}

// Status reports the server's state.
func (a *APIServer) Status() settings.APIStatus {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.srv == nil {
		return settings.APIStatus{Error: a.err}
	}
	return a.srv.Status()
}
