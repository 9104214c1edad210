// Package sshcli is the SSH CLI face (PRODUCT.md §9): PMP's A2A SSH CLI
// over github.com/gliderlabs/ssh. An API user logs in with the SSH public
// key stored on it and runs one exec request in PMP's syntax:
//
//	ssh -p 5522 -i KEY backup@web01@HOST RETRIEVE --resource=db01 --account=postgres --reason="nightly backup"
//
// RETRIEVE prints the bare password and CRLF, RESET_LOCAL changes it, HELP
// lists the commands. The face parses and renders; the domain decides:
// users.AuthenticateSSH (key, state, validity, host binding, throttling
// and auditing of failures) and vault.RevealPasswordByName /
// ChangePasswordByName (sharing, permissions, the audit record).
//
// Threat model: the listener faces the network. Only public-key
// authentication is offered, and the domain is asked only after the client
// proved it holds the private key (VerifiedPublicKeyCallback): offering a
// public key, which is no secret, tells nothing and costs no audit record.
// There is no shell, no PTY, no subsystem, no port, agent or X11
// forwarding. A connection must finish its handshake and open its session
// within HandshakeTimeout, is closed after IdleTimeout without traffic, and
// at most MaxConns connections are served at once (more are closed on
// accept).
package sshcli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gliderlabs/ssh"
	"github.com/sirupsen/logrus"
	gossh "golang.org/x/crypto/ssh"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/users"
	"hostbound/backend/vault"
)

// Defaults of Config.
const (
	DefaultHandshakeTimeout = 10 * time.Second
	DefaultIdleTimeout      = 30 * time.Second
	DefaultMaxConns         = 64
)

// opLogin names a login in the audit record of a refusal.
const opLogin = "SSH LOGIN"

// Config is what the server needs.
type Config struct {
	Users *users.Service
	Vault *vault.Service
	Trail *audit.Trail // records the refusals that reach no use case
	// HostKey gives the host key and its SHA256 fingerprint
	// (settings.Service.SSHHostKey).
	HostKey func() (gossh.Signer, string, error)
	Clock   func() time.Time
	Log     logrus.FieldLogger

	HandshakeTimeout time.Duration // default DefaultHandshakeTimeout
	IdleTimeout      time.Duration // default DefaultIdleTimeout
	MaxConns         int           // default DefaultMaxConns
}

// Status is the SSH CLI server's state, as Settings shows it.
type Status struct {
	Running     bool   `json:"running"`
	Address     string `json:"address"`     // where it listens, or wanted to
	Fingerprint string `json:"fingerprint"` // SHA256:… of the host key
	Error       string `json:"error"`       // why it is not running
}

// Server serves the SSH CLI on one address at a time.
type Server struct {
	cfg Config
	log logrus.FieldLogger

	mu     sync.Mutex
	srv    *ssh.Server
	ln     net.Listener
	status Status
	done   chan struct{} // closed when the accept loop ended

	connMu sync.Mutex
	live   map[net.Conn]struct{} // connections being handled
	wg     sync.WaitGroup        // their goroutines
}

// NewServer returns a stopped server.
func NewServer(cfg Config) *Server {
	if cfg.HandshakeTimeout <= 0 {
		cfg.HandshakeTimeout = DefaultHandshakeTimeout
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.MaxConns <= 0 {
		cfg.MaxConns = DefaultMaxConns
	}
	return &Server{cfg: cfg, log: cfg.Log.WithField("component", "sshcli")}
}

// Start listens on addr and serves in the background. A busy port, a bad
// address or a missing host key is returned and kept in Status.
func (s *Server) Start(addr string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		return fmt.Errorf("the SSH CLI is already running on %s", s.status.Address)
	}
	s.status = Status{Address: addr}
	signer, fp, err := s.cfg.HostKey()
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
	srv := s.sshServer(signer)
	s.srv, s.ln, s.done = srv, ln, make(chan struct{})
	s.status.Running, s.status.Address = true, ln.Addr().String()
	go s.serve(srv, ln, s.done)
	s.log.WithFields(logrus.Fields{"address": s.status.Address, "fingerprint": fp}).Info("SSH CLI listening")
	return nil
}

// serve is the accept loop. It is ours rather than gliderlabs' Serve, so
// that the cap applies before any work and Stop knows every connection.
func (s *Server) serve(srv *ssh.Server, ln net.Listener, done chan struct{}) {
	defer close(done)
	for {
		c, err := ln.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			s.mu.Lock()
			if s.srv == srv { // not stopped: the listener failed
				s.log.WithError(err).Error("SSH CLI stopped")
				s.status.Running, s.status.Error, s.srv = false, err.Error(), nil
			}
			s.mu.Unlock()
			return
		}
		s.connMu.Lock()
		if len(s.live) >= s.cfg.MaxConns {
			s.connMu.Unlock()
			s.log.WithField("remote", c.RemoteAddr().String()).Warn("SSH CLI: too many connections, closed")
			_ = c.Close()
			continue
		}
		if s.live == nil {
			s.live = map[net.Conn]struct{}{}
		}
		s.live[c] = struct{}{}
		s.wg.Add(1)
		s.connMu.Unlock()
		go func() {
			defer s.wg.Done()
			srv.HandleConn(c)
			_ = c.Close()
			s.connMu.Lock()
			delete(s.live, c)
			s.connMu.Unlock()
		}()
	}
}

// Stop stops listening and lets sessions in flight finish until ctx ends,
// then closes what is left.
func (s *Server) Stop(ctx context.Context) error {
	s.mu.Lock()
	ln, done := s.ln, s.done
	s.srv, s.ln = nil, nil
	s.status.Running = false
	s.mu.Unlock()
	if ln == nil {
		return nil
	}
	_ = ln.Close()
	<-done
	finished := make(chan struct{})
	go func() { s.wg.Wait(); close(finished) }()
	var err error
	select {
	case <-finished:
	case <-ctx.Done():
		err = ctx.Err()
		s.connMu.Lock()
		for c := range s.live {
			_ = c.Close()
		}
		s.connMu.Unlock()
		<-finished
	}
	s.log.Info("SSH CLI stopped")
	return err
}

// Status reports the server's state.
func (s *Server) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status
}

// sshServer configures gliderlabs: public keys only, sessions only, exec
// only. What has no handler (direct-tcpip, tcpip-forward, subsystems,
// x11-req) is refused by the library; pty-req and agent requests are
// refused by our session channel handler.
func (s *Server) sshServer(signer gossh.Signer) *ssh.Server {
	srv := &ssh.Server{
		HostSigners: []ssh.Signer{signer},
		Version:     "Hostbound",
		Handler:     s.session,
		// Any key may be offered; the domain decides once the client
		// proved it holds the private key (verified, below).
		PublicKeyHandler: func(ssh.Context, ssh.PublicKey) bool { return true },
		PtyCallback:      func(ssh.Context, ssh.Pty) bool { return false },
		ConnCallback:     s.accept,
		ServerConfigCallback: func(ctx ssh.Context) *gossh.ServerConfig {
			return &gossh.ServerConfig{
				MaxAuthTries:              6,
				VerifiedPublicKeyCallback: s.verified(ctx),
			}
		},
		IdleTimeout:       s.cfg.IdleTimeout,
		ChannelHandlers:   map[string]ssh.ChannelHandler{"session": sessionChannel},
		RequestHandlers:   map[string]ssh.RequestHandler{},
		SubsystemHandlers: map[string]ssh.SubsystemHandler{},
	}
	return srv
}

// connState is what one connection learns: who authenticated, and whether
// a PTY was asked for.
type connState struct {
	conn *guardedConn

	mu      sync.Mutex
	actor   *access.Actor
	refused map[string]error // fingerprint → the domain's refusal, asked once per connection
	pty     atomic.Bool
}

type stateKey struct{}

func stateOf(ctx ssh.Context) *connState {
	st, _ := ctx.Value(stateKey{}).(*connState)
	return st
}

// accept bounds the connection's handshake and gives it its state.
func (s *Server) accept(ctx ssh.Context, c net.Conn) net.Conn {
	g := &guardedConn{Conn: c, handshakeUntil: time.Now().Add(s.cfg.HandshakeTimeout)}
	_ = g.SetDeadline(time.Time{})
	ctx.SetValue(stateKey{}, &connState{conn: g, refused: map[string]error{}})
	return g
}

// verified asks the domain about a key the client holds.
func (s *Server) verified(ctx ssh.Context) func(gossh.ConnMetadata, gossh.PublicKey, *gossh.Permissions, string) (*gossh.Permissions, error) {
	return func(meta gossh.ConnMetadata, key gossh.PublicKey, _ *gossh.Permissions, _ string) (*gossh.Permissions, error) {
		st := stateOf(ctx)
		if st == nil {
			return nil, errors.New("no connection state")
		}
		fp := gossh.FingerprintSHA256(key)
		cacheKey := meta.User() + "\x00" + fp
		st.mu.Lock()
		defer st.mu.Unlock()
		if err, ok := st.refused[cacheKey]; ok {
			return nil, err
		}
		src := sourceOf(meta.RemoteAddr())
		actor, err := s.cfg.Users.AuthenticateSSH(ctx, users.SSHRequest{Username: meta.User(), Fingerprint: fp,
			Source: src, Operation: opLogin}, s.cfg.Clock())
		if err != nil {
			log := s.log.WithFields(logrus.Fields{"op": opLogin, "user": meta.User(), "remote": src.String()})
			msg := "Authentication failed."
			if e := apperr.As(err); e != nil {
				msg = e.Message
				log.WithField("reason", e.Message).Info("SSH CLI login refused")
			} else {
				log.WithError(err).Error("SSH CLI login failed")
			}
			refusal := &gossh.BannerError{Err: errors.New("refused"), Message: msg + "\r\n"}
			st.refused[cacheKey] = refusal
			return nil, refusal
		}
		st.actor = &actor
		return &gossh.Permissions{}, nil
	}
}

// sourceOf is the client's address, IPv4 unmapped.
func sourceOf(a net.Addr) netip.Addr {
	if t, ok := a.(*net.TCPAddr); ok {
		return t.AddrPort().Addr().Unmap()
	}
	ap, err := netip.ParseAddrPort(a.String())
	if err != nil {
		return netip.Addr{}
	}
	return ap.Addr().Unmap()
}

// guardedConn holds the deadline at the handshake's end until the first
// session opens (gliderlabs moves it forward by IdleTimeout on every read
// and write).
type guardedConn struct {
	net.Conn
	handshakeUntil time.Time
	open           atomic.Bool // a session channel opened: the handshake is over
}

func (c *guardedConn) SetDeadline(t time.Time) error {
	if !c.open.Load() && (t.IsZero() || t.After(c.handshakeUntil)) {
		t = c.handshakeUntil
	}
	return c.Conn.SetDeadline(t)
}

// sessionChannel is gliderlabs' session handler behind a filter of the
// channel's requests: pty-req is refused (and remembered, so that the
// command is refused too), agent forwarding is refused.
func sessionChannel(srv *ssh.Server, conn *gossh.ServerConn, newChan gossh.NewChannel, ctx ssh.Context) {
	st := stateOf(ctx)
	if st == nil || st.authenticated() == nil {
		_ = newChan.Reject(gossh.Prohibited, "not authenticated")
		return
	}
	st.conn.open.Store(true)
	ssh.DefaultSessionHandler(srv, conn, filteredChannel{NewChannel: newChan, st: st}, ctx)
}

func (st *connState) authenticated() *access.Actor {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.actor
}

type filteredChannel struct {
	gossh.NewChannel
	st *connState
}

func (f filteredChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := f.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	out := make(chan *gossh.Request)
	go func() {
		defer close(out)
		for req := range reqs {
			switch req.Type {
			case "pty-req":
				f.st.pty.Store(true)
				_ = req.Reply(false, nil)
			case "auth-agent-req@openssh.com", "x11-req":
				_ = req.Reply(false, nil)
			default:
				out <- req
			}
		}
	}()
	return ch, out, nil
}
