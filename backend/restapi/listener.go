package restapi

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"hostbound/backend/settings"
)

// NewHTTPServer returns an http.Server for h with timeouts and limits that
// keep slow or oversized clients from holding it.
func NewHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    maxHeaderBytes,
	}
}

// Server serves one API over HTTPS on one address at a time: the desktop
// app runs it while the vault is unlocked, `hostbound serve` headless.
type Server struct {
	api  http.Handler
	cert func() (tls.Certificate, string, error)
	log  logrus.FieldLogger

	mu     sync.Mutex
	srv    *http.Server
	status settings.APIStatus
	done   chan struct{}
}

// NewServer returns a stopped server for api; cert gives the certificate
// and its fingerprint (settings.Service.Certificate).
func NewServer(api http.Handler, cert func() (tls.Certificate, string, error), log logrus.FieldLogger) *Server {
	return &Server{api: api, cert: cert, log: log.WithField("component", "apiserver")}
}

// Start listens on addr with TLS and serves in the background. A busy port
// or a bad address is returned and kept in Status.
func (s *Server) Start(addr string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		return fmt.Errorf("the REST API is already running on %s", s.status.Address)
	}
	s.status = settings.APIStatus{Address: addr}
	cert, fp, err := s.cert()
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
	srv := NewHTTPServer(s.api)
	srv.TLSConfig = TLSConfig(cert)
	srv.TLSConfig.Certificates = nil
	srv.TLSConfig.GetCertificate = s.renewing(cert)
	s.srv, s.done = srv, make(chan struct{})
	s.status.Running, s.status.Address = true, ln.Addr().String()
	s.status.URL = "https://" + ln.Addr().String() + Base
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

// renewing serves cert, and once an hour asks for the current certificate
// again: a server that runs for months picks up the self-signed one that
// settings renewed before expiry (or a newly imported one).
func (s *Server) renewing(cert tls.Certificate) func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	var mu sync.Mutex
	current, checked := cert, time.Now()
	return func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
		mu.Lock()
		defer mu.Unlock()
		if time.Since(checked) > time.Hour {
			checked = time.Now()
			if c, fp, err := s.cert(); err == nil {
				current = c
				s.mu.Lock()
				s.status.Fingerprint = fp
				s.mu.Unlock()
			} else {
				s.log.WithError(err).Warn("server certificate not renewed")
			}
		}
		return &current, nil
	}
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
func (s *Server) Status() settings.APIStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status
}
