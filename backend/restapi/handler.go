// Package restapi is Hostbound's PMP-compatible REST API for API users:
// HTTPS, the AUTHTOKEN header (or query parameter), PMP's operation names,
// envelope and field names, so that scripts written for Password Manager
// Pro's REST API work unchanged.
//
// It is a face: it routes a request, reads its parameters, asks the domain
// (users.AuthenticateKey, then one vault use case) and renders PMP's
// envelope. Authentication, authorization, throttling and audit are the
// domain's, the same for every face.
package restapi

import (
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/sirupsen/logrus"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/credentials"
	"hostbound/backend/hostcheck"
	"hostbound/backend/store"
	"hostbound/backend/users"
	"hostbound/backend/vault"
)

// Base is the path prefix of every endpoint.
const Base = "/restapi/json/v1"

const (
	msgDiskFull    = "The server's disk is full: nothing was done. Try again once space is freed."
	msgUnavailable = "The database cannot be reached (it may be failing over): nothing was returned. Try again shortly."
	// unavailableRetry is the Retry-After of a 503: a failover takes about a second.
	unavailableRetry = 2
	opAuth           = "Authentication"
	maxBody          = 64 << 10
	maxHeaderBytes   = 16 << 10
)

// Config wires the API.
type Config struct {
	Users   *users.Service
	Vault   *vault.Service
	Proxies hostcheck.Proxies
	// RefusalsAsPMP answers refusals with HTTP 200, as PMP does (the
	// envelope says Failed either way; 429's Retry-After stays).
	RefusalsAsPMP bool
	Clock         func() time.Time
	Log           logrus.FieldLogger
}

// API serves the endpoints.
type API struct {
	cfg Config
	log logrus.FieldLogger
}

// New returns the API.
func New(cfg Config) *API {
	return &API{cfg: cfg, log: cfg.Log.WithField("component", "restapi")}
}

// call is one request on its way through.
type call struct {
	route
	in  details
	req *http.Request
}

// query is a query parameter of the request.
func (c *call) query(name string) string { return c.req.URL.Query().Get(name) }

func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	src, ok := a.cfg.Proxies.Source(r.RemoteAddr, r.Header.Values("X-Forwarded-For"))
	if !ok {
		a.send(w, failure(http.StatusBadRequest, opAuth, "Bad source address"), 0)
		return
	}
	if r.URL.Path == XMLRPCPath {
		a.xmlrpc(w, r, src)
		return
	}
	rt, allow, ok := a.route(r)
	if !ok {
		a.send(w, failure(http.StatusNotFound, "", "Invalid API URL"), 0)
		return
	}
	if allow != "" {
		w.Header().Set("Allow", allow)
		a.send(w, failure(http.StatusMethodNotAllowed, "", "Method not allowed"), 0)
		return
	}
	in, err := readInput(r)
	if err != nil {
		a.send(w, failure(http.StatusBadRequest, rt.op, err.Error()), 0)
		return
	}
	actor, err := a.authenticate(r, rt, src)
	if err != nil {
		a.refusal(w, opAuth, src.String(), err) // every authentication refusal is PMP's "Authentication"
		return
	}
	actor.App = appOf(r)
	rep, err := rt.run(a, actor, &call{route: rt, in: in, req: r})
	if err != nil {
		if rep.body.Operation.Details != nil {
			// A refusal that says more (getResourceAccountDetails'
			// PASSWORD_REASON): its own envelope, the refusal's status.
			a.send(w, rep.failed(statusOf(err), message(apperr.Public(err))), 0)
			return
		}
		a.refusal(w, rt.op, src.String(), inPMPTerms(err))
		return
	}
	a.send(w, rep, 0)
}

// authenticate asks the domain about the request's credential: the API
// key when one is sent, else the client certificate of the TLS handshake.
func (a *API) authenticate(r *http.Request, rt route, src netip.Addr) (access.Actor, error) {
	key := keyText(r)
	if key == "" && r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
		return a.cfg.Users.AuthenticateCertificate(r.Context(), users.CertRequest{
			Fingerprint: credentials.Fingerprint(r.TLS.PeerCertificates[0].Raw), Source: src,
			Operation: rt.op, Target: rt.target()}, a.cfg.Clock())
	}
	return a.cfg.Users.AuthenticateKey(r.Context(), users.KeyRequest{Key: key, Source: src,
		Operation: rt.op, Target: rt.target()}, a.cfg.Clock())
}

// statusOf is the HTTP status that fits a domain error's code.
func statusOf(err error) int {
	e := apperr.As(err)
	if e == nil || e.Code == apperr.Internal {
		return http.StatusInternalServerError
	}
	if s, ok := map[apperr.Code]int{
		apperr.Unauthenticated: http.StatusUnauthorized,
		apperr.Forbidden:       http.StatusForbidden,
		apperr.NotFound:        http.StatusNotFound,
		apperr.RateLimited:     http.StatusTooManyRequests,
		apperr.Conflict:        http.StatusConflict,
		apperr.Unavailable:     http.StatusServiceUnavailable,
	}[e.Code]; ok {
		return s
	}
	return http.StatusBadRequest
}

// refusal renders a domain error: the refusal's own message with the
// status that fits its code, or "Internal error" while the log keeps why.
func (a *API) refusal(w http.ResponseWriter, op, remote string, err error) {
	e := apperr.As(err)
	if e == nil || e.Code == apperr.Internal {
		a.log.WithFields(logrus.Fields{"op": op, "remote": remote}).WithError(err).Error("request failed")
		if errors.Is(err, store.ErrDiskFull) {
			// Nothing was done (not even the audit record): say why.
			a.send(w, failure(http.StatusInsufficientStorage, op, msgDiskFull), 0)
			return
		}
		if errors.Is(err, store.ErrUnavailable) {
			a.send(w, failure(http.StatusServiceUnavailable, op, msgUnavailable), unavailableRetry)
			return
		}
		a.send(w, failure(http.StatusInternalServerError, op, "Internal error"), 0)
		return
	}
	if e.Code == apperr.Unauthenticated || e.Code == apperr.RateLimited {
		op = opAuth
	}
	retry := 0
	if e.RetryAfter > 0 {
		retry = int((e.RetryAfter + time.Second - 1) / time.Second)
	}
	a.send(w, failure(statusOf(err), op, message(e)), retry)
}

// send writes a reply; with RefusalsAsPMP a refusal (4xx) goes out as 200.
func (a *API) send(w http.ResponseWriter, rep reply, retryAfter int) {
	if a.cfg.RefusalsAsPMP && rep.status >= 400 && rep.status < 500 {
		rep.status = http.StatusOK
	}
	rep.write(w, retryAfter)
}

func (rt route) target() string {
	switch {
	case rt.account != "":
		return rt.name + " / " + rt.account
	case rt.name != "":
		return rt.name
	case rt.aid != 0:
		return fmt.Sprintf("resource %d account %d", rt.rid, rt.aid)
	case rt.rid != 0:
		return fmt.Sprintf("resource %d", rt.rid)
	case rt.uid != "":
		return "user id " + rt.uid
	}
	return ""
}

// keyText is the AUTHTOKEN header, or the query parameter PMP clients use.
//
// PMP integrations (Ansible collections, Nautobot's secrets provider,
// XSOAR) send it as APP_AUTHTOKEN, header or query parameter: the same key.
func keyText(r *http.Request) string {
	return firstOf(r, "AUTHTOKEN", "APP_AUTHTOKEN")
}

// firstOf is the first of the names given as a header, then as a query
// parameter.
func firstOf(r *http.Request, names ...string) string {
	for _, n := range names {
		if v := r.Header.Get(n); v != "" {
			return v
		}
	}
	q := r.URL.Query()
	for _, n := range names {
		if v := q.Get(n); v != "" {
			return v
		}
	}
	return ""
}

// appOf is what the client calls itself (APP_NAME, APP_TYPE), cut to 64
// printable characters: it goes to the audit trail and nowhere else.
func appOf(r *http.Request) string {
	name := strings.TrimSpace(strings.Join(strings.Fields(firstOf(r, "APP_NAME")+" "+firstOf(r, "APP_TYPE")), " "))
	name = strings.Map(func(c rune) rune {
		if c < 0x20 || c == 0x7f {
			return -1
		}
		return c
	}, strings.ToValidUTF8(name, ""))
	if len([]rune(name)) > 64 {
		name = string([]rune(name)[:64])
	}
	return name
}
