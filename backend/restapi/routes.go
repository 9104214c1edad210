package restapi

import (
	"net/http"
	"net/url"
	"strings"

	"hostbound/backend/access"
	"hostbound/backend/vault"
)

// handler runs one endpoint: one domain use case, rendered in PMP's terms.
type handler func(a *API, actor access.Actor, c *call) (reply, error)

// endpoint is one method and path of PRODUCT.md §4 and §11. In a pattern,
// {rid} and {aid} are decimal ids, {name}, {account} and {uid} any one
// segment. Literal patterns come before the patterns they overlap
// (resources/resourcetypes before resources/{rid}).
type endpoint struct {
	method, pattern, op string
	run                 handler
}

// Operation names: PMP's where known (captured responses of PMP and
// PAM360), else upper-case names in its style (README, "Use the API").
var endpoints = []endpoint{
	{"GET", "resources", "GET RESOURCES", (*API).listResources},
	{"POST", "resources", "CREATE RESOURCE", (*API).createResource},
	{"GET", "resources/getResourceIdAccountId", "GET_RESOURCEACCOUNTID", (*API).idsByName},
	{"GET", "resources/getResourceAccountDetails", "GET RESOURCE ACCOUNT DETAILS", (*API).resourceAccountDetails},
	{"GET", "resources/resourcetypes", "GET RESOURCE TYPES", (*API).resourceTypes},
	{"GET", "resources/resourcename/{name}", "GET_RESOURCEID", (*API).resourceIDByName},
	{"GET", "resources/resourcename/{name}/accounts/accountname/{account}", "GET_RESOURCEACCOUNTID", (*API).idsByName},
	{"PUT", "resources/{rid}", "EDIT RESOURCE", (*API).editResource},
	{"DELETE", "resources/{rid}", "DELETE RESOURCE", (*API).deleteResource},
	{"GET", "resources/{rid}/accounts", "GET RESOURCE ACCOUNTLIST", (*API).accountList},
	{"POST", "resources/{rid}/accounts", "ADD ACCOUNTS", (*API).addAccounts},
	{"GET", "resources/{rid}/accounts/{aid}", "GET ACCOUNT DETAILS", (*API).accountDetails},
	{"PUT", "resources/{rid}/accounts/{aid}", "EDIT ACCOUNT", (*API).editAccount},
	{"DELETE", "resources/{rid}/accounts/{aid}", "DELETE ACCOUNT", (*API).deleteAccount},
	{"GET", "resources/{rid}/accounts/{aid}/password", "GET PASSWORD", (*API).password},
	{"PUT", "resources/{rid}/accounts/{aid}/password", "EDIT PASSWORD", (*API).changePassword},
	{"GET", "passwords/generate", "GENERATE PASSWORD", (*API).generatePassword},
	{"POST", "user", "ADD USER", (*API).addUser},
	{"GET", "user/getUserId", "GET USER ID", (*API).userID},
	{"PUT", "user/lock", "LOCK USER", (*API).lockUser},
	{"PUT", "user/unlock", "UNLOCK USER", (*API).unlockUser},
	{"DELETE", "user/{uid}", "DELETE USER", (*API).deleteUser},
	{"GET", "accounts/passwordaccessrequests", "GET PASSWORD ACCESS REQUESTS", (*API).accessRequests},
}

// route is what the URL says: the operation, its handler and arguments.
type route struct {
	op       string // PMP operation name
	run      handler
	rid, aid uint64
	name     string // resource name
	account  string // account name
	uid      string // user id
}

// patterns are the endpoints' patterns split into segments, once.
var patterns = func() [][]string {
	out := make([][]string, len(endpoints))
	for i, e := range endpoints {
		out[i] = strings.Split(e.pattern, "/")
	}
	return out
}()

// match reads the (unescaped) path segments against pattern pat of e.
func (e endpoint) match(pat, segs []string) (route, bool) {
	if len(pat) != len(segs) {
		return route{}, false
	}
	rt := route{op: e.op, run: e.run}
	for i, p := range pat {
		s := segs[i]
		var ok bool
		switch p {
		case "{rid}":
			rt.rid, ok = vault.ParseID(s)
		case "{aid}":
			rt.aid, ok = vault.ParseID(s)
		case "{name}":
			rt.name, ok = s, s != ""
		case "{account}":
			rt.account, ok = s, s != ""
		case "{uid}":
			rt.uid, ok = s, s != ""
		default:
			ok = s == p
		}
		if !ok {
			return route{}, false
		}
	}
	return rt, true
}

// route maps a request to its endpoint. allow lists the methods the path
// answers when the method is not one of them (405).
func (a *API) route(r *http.Request) (rt route, allow string, ok bool) {
	path, found := strings.CutPrefix(r.URL.EscapedPath(), Base+"/")
	if !found {
		return route{}, "", false
	}
	segs := strings.Split(strings.TrimSuffix(path, "/"), "/")
	for i, s := range segs {
		var err error
		if segs[i], err = url.PathUnescape(s); err != nil {
			return route{}, "", false
		}
	}
	var methods []string
	for i, e := range endpoints {
		m, hit := e.match(patterns[i], segs)
		if !hit {
			continue
		}
		if e.method == r.Method {
			q := r.URL.Query()
			switch e.pattern {
			case "resources/getResourceIdAccountId":
				m.name, m.account = q.Get("RESOURCENAME"), q.Get("ACCOUNTNAME")
			case "resources/getResourceAccountDetails":
				m.rid, _ = vault.ParseID(q.Get("RESOURCEID"))
				m.aid, _ = vault.ParseID(q.Get("ACCOUNTID"))
			}
			return m, "", true
		}
		if !strings.Contains(strings.Join(methods, ","), e.method) {
			methods = append(methods, e.method)
		}
	}
	return route{}, strings.Join(methods, ", "), len(methods) > 0
}
