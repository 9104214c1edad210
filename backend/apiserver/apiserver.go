// Package apiserver runs the REST API over HTTPS on a listen address: the
// desktop app starts it when the vault is unlocked, `hostbound serve` runs
// it headless. It owns the listener and the TLS certificate, not the API.
package apiserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"hostbound/backend/restapi"
	"hostbound/backend/store"
)

// DefaultListen is the default address: this machine only, PMP's port.
const DefaultListen = "127.0.0.1:7272"

// Status is what Settings shows.
type Status struct {
	Running     bool   `json:"running"`
	Address     string `json:"address"`     // where it listens, or wanted to
	URL         string `json:"url"`         // base URL for clients
	Fingerprint string `json:"fingerprint"` // SHA-256 of the certificate
	Error       string `json:"error"`       // why it is not running
}

// Server serves one API on one address at a time.
type Server struct {
	api   http.Handler
	st    *store.Store
	clock func() time.Time
	log   logrus.FieldLogger

	mu     sync.Mutex
	srv    *http.Server
	status Status
	done   chan struct{}
}

// New returns a stopped server for api.
func New(api http.Handler, st *store.Store, clock func() time.Time, log logrus.FieldLogger) *Server {
	return &Server{api: api, st: st, clock: clock, log: log.WithField("component", "apiserver")}
}

// Start listens on addr with TLS and serves in the background. A busy port
// or a bad address is returned and kept in Status.
func (s *Server) Start(addr string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		return fmt.Errorf("the REST API is already running on %s", s.status.Address)
	}
	s.status = Status{Address: addr}
	cert, fp, err := restapi.Certificate(s.st, s.clock())
	if err != nil {
		s.status.Error = err.Error()
		return err
	}
	s.status.Fingerprint = fp
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		s.status.Error = fmt.Sprintf("cannot listen on %s: %v", addr, err)
		return errors.New(s.status.Error)
	}
	srv := restapi.NewHTTPServer(s.api)
	srv.TLSConfig = restapi.TLSConfig(cert)
	srv.ErrorLog = nil
	s.srv, s.done = srv, make(chan struct{})
	s.status.Running, s.status.Address = true, ln.Addr().String()
	s.status.URL = "https://" + ln.Addr().String() + restapi.Base
	done := s.done
	go func() {
		defer close(done)
		err := srv.ServeTLS(ln, "", "")
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.WithError(err).Error("REST API stopped")
			s.mu.Lock()
			s.status.Running, s.status.Error, s.srv = false, err.Error(), nil
			s.mu.Unlock()
		}
	}()
	s.log.WithField("address", s.status.Address).Info("REST API listening")
	return nil
}

// Stop shuts the server down, letting requests in flight finish (up to the
// context's deadline).
func (s *Server) Stop(ctx context.Context) error {
	s.mu.Lock()
	srv, done := s.srv, s.done
	s.srv = nil
	s.status.Running = false
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	err := srv.Shutdown(ctx)
	<-done
	s.log.Info("REST API stopped")
	return err
}

// Status reports the server's state.
func (s *Server) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status
}
