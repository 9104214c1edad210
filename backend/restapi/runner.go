package restapi

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"hostbound/backend/hostcheck"
	"hostbound/backend/services"
	"hostbound/backend/settings"
)

// Opened gives the domain services while the vault is open (nil while it
// is locked): core.Lifecycle.
type Opened interface {
	Services() *services.Services
}

// Runner runs the REST API over the open services with the stored
// settings. The desktop drives it through a small interface of its own
// (app.go hands it in); `hostbound serve` directly.
type Runner struct {
	life   Opened
	clock  func() time.Time
	listen string // overrides the stored address when set (serve --listen)
	// headless serves whatever the Enabled setting says, which is about the
	// desktop app ("serve while the app is unlocked").
	headless bool
	log      logrus.FieldLogger

	mu  sync.Mutex
	srv *Server
	err string // why it could not be built
}

// NewRunner returns the desktop app's stopped REST API.
func NewRunner(life Opened, clock func() time.Time, log logrus.FieldLogger) *Runner {
	return &Runner{life: life, clock: clock, log: log}
}

// NewHeadlessRunner returns `hostbound serve`'s stopped REST API: it serves
// even when Settings turned the desktop's API off, on listen when given.
func NewHeadlessRunner(life Opened, listen string, clock func() time.Time, log logrus.FieldLogger) *Runner {
	a := NewRunner(life, clock, log)
	a.listen, a.headless = listen, true
	return a
}

// Restart stops the server and starts it again with the stored settings
// (or leaves it stopped when they say off). A failure (port in use) is
// returned and kept in Status.
func (a *Runner) Restart() error {
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
	api := New(Config{Users: svc.Users, Vault: svc.Vault, Proxies: proxies, RefusalsAsPMP: set.RefusalsAsPMP, Clock: a.clock, Log: a.log})
	a.srv, a.err = NewServer(api, svc.Settings.Certificate, a.log), ""
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
func (a *Runner) Stop() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.stop()
}

func (a *Runner) stop() {
	if a.srv == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = a.srv.Stop(ctx)
}

// Status reports the server's state.
func (a *Runner) Status() settings.APIStatus {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.srv == nil {
		return settings.APIStatus{Error: a.err}
	}
	return a.srv.Status()
}
