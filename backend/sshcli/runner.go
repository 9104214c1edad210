package sshcli

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"hostbound/backend/services"
)

// Opened gives the domain services while the vault is open (nil while it
// is locked): core.Lifecycle.
type Opened interface {
	Services() *services.Services
}

// Runner runs the SSH CLI over the open services with the stored settings
// (settings.SSH). The desktop drives it through a small interface of its
// own; `hostbound serve` directly.
type Runner struct {
	life   Opened
	clock  func() time.Time
	listen string // overrides the stored address and the Enabled switch when set (serve --ssh-listen)
	log    logrus.FieldLogger

	mu  sync.Mutex
	srv *Server
	err string // why it could not be built
}

// NewRunner returns the desktop app's stopped SSH CLI: it serves when
// Settings enable it.
func NewRunner(life Opened, clock func() time.Time, log logrus.FieldLogger) *Runner {
	return &Runner{life: life, clock: clock, log: log}
}

// NewHeadlessRunner returns `hostbound serve`'s stopped SSH CLI: it serves
// on listen when one is given (even if Settings say off), else as Settings
// say.
func NewHeadlessRunner(life Opened, listen string, clock func() time.Time, log logrus.FieldLogger) *Runner {
	r := NewRunner(life, clock, log)
	r.listen = listen
	return r
}

// Restart stops the server and starts it again with the stored settings
// (or leaves it stopped when they say off). A failure (port in use) is
// returned and kept in Status.
func (r *Runner) Restart() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stop()
	r.srv = nil
	svc := r.life.Services()
	if svc == nil {
		r.err = "the vault is locked"
		return fmt.Errorf("%s", r.err)
	}
	set, err := svc.Settings.CurrentSSH()
	if err != nil {
		r.err = fmt.Sprintf("SSH CLI settings: %v", err)
		return fmt.Errorf("%s", r.err)
	}
	r.srv, r.err = NewServer(Config{Users: svc.Users, Vault: svc.Vault, Trail: svc.Trail, HostKey: svc.Settings.SSHHostKey,
		Clock: r.clock, Log: r.log}), ""
	listen := set.Listen
	if r.listen != "" {
		listen = r.listen
	} else if !set.Enabled {
		return nil
	}
	return r.srv.Start(listen)
}

// Stop stops the server, letting sessions in flight finish (5 s at most).
func (r *Runner) Stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stop()
}

func (r *Runner) stop() {
	if r.srv == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = r.srv.Stop(ctx)
}

// Status reports the server's state. A stopped server that Settings turned
// off still shows the host key's fingerprint when the vault is open.
func (r *Runner) Status() Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.srv == nil {
		return Status{Error: r.err}
	}
	st := r.srv.Status()
	if st.Fingerprint == "" {
		if svc := r.life.Services(); svc != nil {
			if _, fp, err := svc.Settings.SSHHostKey(); err == nil {
				st.Fingerprint = fp
			}
		}
	}
	return st
}
