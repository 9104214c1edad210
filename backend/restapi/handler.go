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
	opAuth         = "Authentication"
	maxBody        = 64 << 10
	maxHeaderBytes = 16 << 10
)

// Config wires the API.
type Config struct {
	Users   *users.Service
	Vault   *vault.Service
	Proxies hostcheck.Proxies
	Clock   func() time.Time
	Log     logrus.FieldLogger
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
	input inputData
}

// route is what the URL says: the operation, its handler and arguments.
type route struct {
	op       string // PMP operation name
	run      func(a *API, actor access.Actor, c *call) (reply, error)
	rid, aid uint64
	name     string // resource name (resourcename/{name})
	account  string // account name (getResourceIdAccountId)
	methods  string
}

func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	src, ok := a.cfg.Proxies.Source(r.RemoteAddr, r.Header.Values("X-Forwarded-For"))
	if !ok {
		failure(http.StatusBadRequest, opAuth, "Bad source address").write(w, 0)
		return
	}
	if r.URL.Path == XMLRPCPath {
		a.xmlrpc(w, r, src)
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
	in, err := readInput(r)
	if err != nil {
		failure(http.StatusBadRequest, rt.op, err.Error()).write(w, 0)
		return
	}
	actor, err := a.authenticate(r, rt, src)
	if err != nil {
		a.refusal(w, opAuth, src.String(), err) // every authentication refusal is PMP's "Authentication"
		return
	}
	actor.App = appOf(r)
	rep, err := rt.run(a, actor, &call{route: rt, input: in})
	if err != nil {
		a.refusal(w, rt.op, src.String(), err)
		return
	}
	rep.write(w, 0)
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

// refusal renders a domain error: the refusal's own message with the
// status that fits its code, or "Internal error" while the log keeps why.
func (a *API) refusal(w http.ResponseWriter, op, remote string, err error) {
	e := apperr.As(err)
	if e == nil || e.Code == apperr.Internal {
		a.log.WithFields(logrus.Fields{"op": op, "remote": remote}).WithError(err).Error("request failed")
		if errors.Is(err, store.ErrDiskFull) {
			// Nothing was done (not even the audit record): say why.
			failure(http.StatusInsufficientStorage, op, msgDiskFull).write(w, 0)
			return
		}
		failure(http.StatusInternalServerError, op, "Internal error").write(w, 0)
		return
	}
	status := map[apperr.Code]int{
		apperr.Unauthenticated: http.StatusUnauthorized,
		apperr.Forbidden:       http.StatusForbidden,
		apperr.NotFound:        http.StatusNotFound,
		apperr.RateLimited:     http.StatusTooManyRequests,
		apperr.Conflict:        http.StatusConflict,
	}[e.Code]
	if status == 0 {
		status = http.StatusBadRequest
	}
	if e.Code == apperr.Unauthenticated || e.Code == apperr.RateLimited {
		op = opAuth
	}
	retry := 0
	if e.RetryAfter > 0 {
		retry = int((e.RetryAfter + time.Second - 1) / time.Second)
	}
	failure(status, op, e.Message).write(w, retry)
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
