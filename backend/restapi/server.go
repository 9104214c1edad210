// Package restapi is Hostbound's PMP-compatible REST API for API users:
// HTTPS, the AUTHTOKEN header (or query parameter), PMP's operation names,
// envelope and field names, so that scripts written for Password Manager
// Pro's REST API work unchanged.
//
// Every request is authenticated in three steps: the key's shape and
// checksum (no store access), its HMAC lookup and the user's state (one
// read), then the host binding (DNS, cached, outside any transaction). The
// operation then runs in one write transaction that looks the key up again
// (a key replaced meanwhile fails), records the key's use and appends the
// audit record: a password never leaves without its audit record committed.
package restapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/sirupsen/logrus"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/apperr"
	"hostbound/backend/audit"
	"hostbound/backend/hostcheck"
	"hostbound/backend/store"
	"hostbound/backend/users"
	"hostbound/backend/vault"
)

// Base is the path prefix of every endpoint.
const Base = "/restapi/json/v1"

// Messages of PRODUCT.md §4.
const (
	MsgUnknownKey  = "API key received is not associated to any user. Authentication failed."
	MsgExpired     = "API key has expired"
	MsgWrongHost   = "User is not allowed to access from this host"
	MsgDisabled    = "API user is disabled. Authentication failed."
	MsgRESTOff     = "REST API access is not enabled for this user"
	MsgTooMany     = "Too many failed authentication attempts from this address. Try again later."
	MsgDiskFull    = "The server's disk is full: nothing was done. Try again once space is freed."
	opAuth         = "Authentication"
	maxBody        = 64 << 10
	maxHeaderBytes = 16 << 10
)

// Config wires the API.
type Config struct {
	Store   *store.Store
	Users   *users.Service
	Audit   *audit.Log
	Matcher *hostcheck.Matcher
	Proxies hostcheck.Proxies
	Clock   func() time.Time
	Log     logrus.FieldLogger
	// FailBurst failed authentications per FailWindow from one address
	// before 429 (defaults 10 per minute).
	FailBurst  int
	FailWindow time.Duration
}

// API serves the endpoints.
type API struct {
	cfg     Config
	limiter *limiter
	log     logrus.FieldLogger
}

// New returns the API.
func New(cfg Config) *API {
	if cfg.FailBurst == 0 {
		cfg.FailBurst, cfg.FailWindow = 10, time.Minute
	}
	return &API{cfg: cfg, limiter: newLimiter(cfg.FailBurst, cfg.FailWindow, cfg.Clock), log: cfg.Log.WithField("component", "restapi")}
}

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
		ErrorLog:          nil,
	}
}

// call is one request on its way through.
type call struct {
	route
	target string // for the audit record
	src    netip.Addr
	user   *users.User
	role   access.Role
	input  inputData
}

// route is what the URL says: the operation, its handler and arguments.
type route struct {
	op       string // PMP operation name
	run      func(a *API, tx *store.Txn, c *call, p vault.Principal) (reply, error)
	rid, aid uint64
	name     string // resource name (resourcename/{name})
	account  string // account name (getResourceIdAccountId)
	methods  string
}

func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	src, ok := a.cfg.Proxies.Source(r.RemoteAddr, r.Header.Get("X-Forwarded-For"))
	if !ok {
		failure(http.StatusBadRequest, opAuth, "Bad source address").write(w, 0)
		return
	}
	rt, ok := a.route(r)
	if !ok {
		failure(http.StatusNotFound, "", "Invalid API URL").write(w, 0)
		return
	}
	if !strings.Contains(rt.methods, r.Method) {
		w.Header().Set("Allow", rt.methods)
		failure(http.StatusMethodNotAllowed, rt.op, "Method not allowed").write(w, 0)
		return
	}
	if blocked, wait := a.limiter.blocked(src); blocked {
		failure(http.StatusTooManyRequests, opAuth, MsgTooMany).write(w, wait)
		return
	}
	c := &call{route: rt, src: src, target: rt.target()}
	in, err := readInput(r)
	if err != nil {
		failure(http.StatusBadRequest, rt.op, err.Error()).write(w, 0)
		return
	}
	c.input = in
	if rep, ok := a.authenticate(r.Context(), r, c); !ok {
		rep.write(w, 0)
		return
	}
	var rep reply
	err = a.cfg.Store.Update(func(tx *store.Txn) error {
		// The key may have been regenerated or the user disabled since
		// authenticate: check again inside the transaction.
		u, err := a.cfg.Users.LookupIn(tx, mustKey(r))
		if err != nil || !strings.EqualFold(u.Username, c.user.Username) || u.Disabled || !u.RESTEnabled {
			rep = failure(http.StatusUnauthorized, opAuth, MsgUnknownKey)
			return a.appendAudit(tx, c, audit.Failure, "key replaced or user changed during the request")
		}
		c.user = u
		p := vault.Principal{Username: u.Username, Role: c.role, Scope: u.Scope}
		rep, err = rt.run(a, tx, c, p)
		if err != nil {
			return err
		}
		if err := a.cfg.Users.MarkUsed(tx, u, src.String(), a.cfg.Clock()); err != nil {
			return err
		}
		result, reason := audit.Success, ""
		if rep.status >= 400 {
			result, reason = audit.Failure, rep.body.Operation.Result.Message
		}
		if c.input.Reason != "" {
			reason = strings.TrimSpace(reason + " reason: " + c.input.Reason)
		}
		if c.input.TicketID != "" {
			reason = strings.TrimSpace(reason + " ticket: " + c.input.TicketID)
		}
		return a.appendAudit(tx, c, result, reason)
	})
	if err != nil {
		a.log.WithFields(logrus.Fields{"op": c.op, "user": c.user.Username, "remote": src.String()}).WithError(err).Error("request failed")
		if errors.Is(err, store.ErrDiskFull) {
			// Nothing was done (not even the audit record): say why.
			failure(http.StatusInsufficientStorage, c.op, MsgDiskFull).write(w, 0)
			return
		}
		failure(http.StatusInternalServerError, c.op, "Internal error").write(w, 0)
		return
	}
	rep.write(w, 0)
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
	}
	return ""
}

// route maps a URL to its operation. The paths overlap in ways the standard
// mux refuses (resources/resourcename/{name} against resources/{id}/...), so
// they are matched here by hand.
func (a *API) route(r *http.Request) (route, bool) {
	path, ok := strings.CutPrefix(r.URL.EscapedPath(), Base+"/resources")
	if !ok {
		return route{}, false
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if parts[0] == "" {
		parts = nil
	}
	seg := func(i int) string {
		s, _ := url.PathUnescape(parts[i])
		return s
	}
	switch {
	case len(parts) == 0:
		return route{op: "GET RESOURCES", run: (*API).listResources, methods: "GET"}, true
	case len(parts) == 1 && parts[0] == "getResourceIdAccountId":
		q := r.URL.Query()
		return route{op: "GET_RESOURCEACCOUNTID", run: (*API).idsByName, methods: "GET",
			name: q.Get("RESOURCENAME"), account: q.Get("ACCOUNTNAME")}, true
	case len(parts) == 2 && parts[0] == "resourcename":
		return route{op: "GET_RESOURCEID", run: (*API).resourceIDByName, methods: "GET", name: seg(1)}, true
	}
	if len(parts) < 2 || parts[1] != "accounts" {
		return route{}, false
	}
	rid, ok := vault.ParseID(parts[0])
	if !ok {
		return route{}, false
	}
	switch len(parts) {
	case 2:
		return route{op: "GET RESOURCE ACCOUNTLIST", run: (*API).accountList, rid: rid, methods: "GET"}, true
	case 3, 4:
		aid, ok := vault.ParseID(parts[2])
		if !ok {
			return route{}, false
		}
		if len(parts) == 3 {
			return route{op: "GET ACCOUNT DETAILS", run: (*API).accountDetails, rid: rid, aid: aid, methods: "GET"}, true
		}
		if parts[3] != "password" {
			return route{}, false
		}
		if r.Method == http.MethodPut {
			return route{op: "EDIT PASSWORD", run: (*API).changePassword, rid: rid, aid: aid, methods: "GET, PUT"}, true
		}
		return route{op: "GET PASSWORD", run: (*API).password, rid: rid, aid: aid, methods: "GET, PUT"}, true
	}
	return route{}, false
}

// keyText is the AUTHTOKEN header, or the query parameter PMP clients use.
func keyText(r *http.Request) string {
	if k := r.Header.Get("AUTHTOKEN"); k != "" {
		return strings.TrimSpace(k)
	}
	return strings.TrimSpace(r.URL.Query().Get("AUTHTOKEN"))
}

// mustKey parses a key that authenticate already accepted.
func mustKey(r *http.Request) apikey.Key {
	k, _ := apikey.Parse(keyText(r))
	return k
}

// authenticate checks key, user and host; on refusal it audits, counts the
// failure against the source address and returns the reply.
func (a *API) authenticate(ctx context.Context, r *http.Request, c *call) (reply, bool) {
	refuse := func(status int, msg, reason string) (reply, bool) {
		a.limiter.fail(c.src)
		a.cfg.Audit.Record(a.cfg.Store, a.record(c, audit.Failure, reason))
		a.log.WithFields(logrus.Fields{"op": c.op, "remote": c.src.String(), "user": userName(c.user)}).Info(reason)
		return failure(status, opAuth, msg), false
	}
	key, err := apikey.Parse(keyText(r))
	switch {
	case errors.Is(err, apikey.ErrChecksum):
		return refuse(http.StatusUnauthorized, MsgUnknownKey, "API key checksum does not match")
	case err != nil:
		return refuse(http.StatusUnauthorized, MsgUnknownKey, "no API key, or not a Hostbound API key")
	}
	var u *users.User
	err = a.cfg.Store.View(func(tx *store.Txn) error {
		var err error
		if u, err = a.cfg.Users.LookupIn(tx, key); err != nil {
			return err
		}
		c.role, err = a.cfg.Users.RoleIn(tx, u)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return refuse(http.StatusUnauthorized, MsgUnknownKey, "unknown API key")
	}
	if err != nil {
		a.log.WithError(err).Error("authenticate")
		return failure(http.StatusInternalServerError, opAuth, "Internal error"), false
	}
	c.user = u
	switch {
	case u.Disabled:
		return refuse(http.StatusUnauthorized, MsgDisabled, "API user is disabled")
	case !u.RESTEnabled || u.APIKey == nil:
		return refuse(http.StatusForbidden, MsgRESTOff, "REST API not enabled")
	case u.APIKey.ExpiresAt != nil && !a.cfg.Clock().Before(*u.APIKey.ExpiresAt):
		return refuse(http.StatusUnauthorized, MsgExpired, "API key expired on "+u.APIKey.ExpiresAt.Format(time.RFC3339))
	}
	host, err := hostcheck.Parse(u.Host)
	if err != nil {
		return refuse(http.StatusForbidden, MsgWrongHost, "stored host is invalid: "+u.Host)
	}
	if m := a.cfg.Matcher.Match(ctx, host, c.src); !m.OK {
		reason := fmt.Sprintf("wrong host: request from %s, expected %s", c.src, u.Host)
		if host.Kind == hostcheck.KindHostname {
			reason += fmt.Sprintf(" (resolves to %s)", strings.Join(m.Resolved, ", "))
		}
		return refuse(http.StatusForbidden, MsgWrongHost, reason)
	}
	return reply{}, true
}

func userName(u *users.User) string {
	if u == nil {
		return ""
	}
	return u.Username
}

func (a *API) record(c *call, result, reason string) audit.Record {
	r := audit.Record{ActorKind: audit.ActorAPIUser, Source: c.src.String(), Operation: c.op, Target: c.target,
		Result: result, Reason: reason, Actor: "(unknown key)"}
	if c.user != nil {
		r.Actor, r.ActorName = c.user.Username, c.user.FullName
	}
	return r
}

func (a *API) appendAudit(tx *store.Txn, c *call, result, reason string) error {
	_, err := a.cfg.Audit.Append(tx, a.record(c, result, reason))
	return err
}

// inputData is PMP's INPUT_DATA parameter: JSON with the reason, ticket id
// and, for a password change, the new password.
type inputData struct {
	Reason      string
	TicketID    string
	NewPassword string
}

func readInput(r *http.Request) (inputData, error) {
	raw := r.URL.Query().Get("INPUT_DATA")
	if r.Method == http.MethodPut || r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(nil, r.Body, maxBody)
		if err := r.ParseForm(); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return inputData{}, fmt.Errorf("request body over %d bytes", maxBody)
			}
			return inputData{}, errors.New("malformed request body")
		}
		if v := r.PostForm.Get("INPUT_DATA"); v != "" {
			raw = v
		}
	}
	if raw == "" {
		return inputData{}, nil
	}
	var doc struct {
		Operation struct {
			Details struct {
				Reason      string `json:"REASON"`
				TicketID    string `json:"TICKETID"`
				NewPassword string `json:"NEWPASSWORD"`
			} `json:"Details"`
		} `json:"operation"`
	}
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		return inputData{}, errors.New("INPUT_DATA is not valid JSON")
	}
	d := doc.Operation.Details
	if len(d.Reason) > 1024 || len(d.TicketID) > 256 {
		return inputData{}, errors.New("INPUT_DATA: REASON or TICKETID too long")
	}
	return inputData{Reason: d.Reason, TicketID: d.TicketID, NewPassword: d.NewPassword}, nil
}

// notFound maps vault errors to PMP-style replies.
func notFound(op string, err error) (reply, error) {
	if errors.Is(err, vault.ErrNotFound) {
		return failure(http.StatusNotFound, op, "Resource or account not found, or not shared with you"), nil
	}
	if e := apperr.As(err); e != nil {
		status := http.StatusBadRequest
		if e.Code == apperr.Forbidden {
			status = http.StatusForbidden
		}
		return failure(status, op, e.Message), nil
	}
	return reply{}, err
}
