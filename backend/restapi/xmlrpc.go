package restapi

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"strconv"
	"strings"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/credentials"
	"hostbound/backend/users"
	"hostbound/backend/vault"
)

// XMLRPCPath is where PMP's XML-RPC API answers certificate-authenticated
// API users (PRODUCT.md §10).
const XMLRPCPath = "/xmlrpc"

// Fault codes: PMP's are not documented beyond their messages; these
// follow HTTP's meanings so that a script can tell them apart.
const (
	faultParse        = 400
	faultUnauthorized = 401
	faultForbidden    = 403
	faultNotFound     = 404
	faultMethod       = 405
	faultInternal     = 500
)

// rpcCall is a parsed methodCall: the method and its parameters, each the
// text of a scalar value (string, int, boolean, double — what PMP's
// methods take).
type rpcCall struct {
	Method string
	Params []string
}

var errDTD = errors.New("DTDs and entities are not accepted")

// parseXMLRPC reads a methodCall. It refuses any DTD (so no entity can be
// declared: no XXE, no entity expansion), arrays and structs as
// parameters, and more than 16 parameters.
func parseXMLRPC(body []byte) (rpcCall, error) {
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = true
	dec.Entity = nil
	var doc struct {
		XMLName xml.Name `xml:"methodCall"`
		Method  string   `xml:"methodName"`
		Params  []struct {
			Value struct {
				Inner []byte `xml:",innerxml"`
			} `xml:"value"`
		} `xml:"params>param"`
	}
	// Look at every token first: a Directive is a DTD.
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return rpcCall{}, fmt.Errorf("not a well-formed XML-RPC request: %w", err)
		}
		if _, ok := tok.(xml.Directive); ok {
			return rpcCall{}, errDTD
		}
	}
	if err := xml.Unmarshal(body, &doc); err != nil {
		return rpcCall{}, errors.New("not an XML-RPC methodCall")
	}
	c := rpcCall{Method: strings.TrimSpace(doc.Method)}
	if c.Method == "" {
		return rpcCall{}, errors.New("methodName is missing")
	}
	if len(doc.Params) > 16 {
		return rpcCall{}, errors.New("too many parameters")
	}
	for _, p := range doc.Params {
		v, err := scalar(p.Value.Inner)
		if err != nil {
			return rpcCall{}, err
		}
		c.Params = append(c.Params, v)
	}
	return c, nil
}

// scalar reads the inside of a <value>: a typed scalar, or bare text
// (XML-RPC's default type is string).
func scalar(inner []byte) (string, error) {
	trimmed := bytes.TrimSpace(inner)
	if !bytes.HasPrefix(trimmed, []byte("<")) {
		var s struct {
			Text string `xml:",chardata"`
		}
		if err := xml.Unmarshal(append(append([]byte("<v>"), inner...), "</v>"...), &s); err != nil {
			return "", errors.New("a parameter is not valid XML")
		}
		return s.Text, nil
	}
	var v struct {
		XMLName xml.Name
		Text    string `xml:",chardata"`
		Inner   []byte `xml:",innerxml"`
	}
	if err := xml.Unmarshal(trimmed, &v); err != nil {
		return "", errors.New("a parameter is not valid XML")
	}
	switch v.XMLName.Local {
	case "string", "int", "i4", "i8", "boolean", "double":
		if bytes.Contains(v.Inner, []byte("<")) {
			return "", errors.New("a parameter is not a scalar")
		}
		return v.Text, nil
	}
	return "", fmt.Errorf("parameters of type %s are not accepted", v.XMLName.Local)
}

// xmlrpc serves POST /xmlrpc: certificate-authenticated API users only.
func (a *API) xmlrpc(w http.ResponseWriter, r *http.Request, src netip.Addr) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeFault(w, faultMethod, "XML-RPC requests are POSTs")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBody))
	if err != nil {
		writeFault(w, faultParse, fmt.Sprintf("request body over %d bytes", maxBody))
		return
	}
	call, perr := parseXMLRPC(body)
	target := ""
	if perr == nil && len(call.Params) >= 2 {
		target = call.Params[0] + " / " + call.Params[1]
	}
	if r.TLS == nil || len(r.TLS.PeerCertificates) == 0 {
		writeFault(w, faultUnauthorized, "The XML-RPC API needs the client certificate of an API user")
		return
	}
	actor, err := a.cfg.Users.AuthenticateCertificate(r.Context(), users.CertRequest{
		Fingerprint: credentials.Fingerprint(r.TLS.PeerCertificates[0].Raw), Source: src,
		Operation: "XML-RPC " + call.Method, Target: target}, a.cfg.Clock())
	if err != nil {
		a.fault(w, src, err)
		return
	}
	if perr != nil {
		writeFault(w, faultParse, perr.Error())
		return
	}
	switch call.Method {
	case "pmp.password.retrieve":
		if len(call.Params) < 2 || len(call.Params) > 3 {
			writeFault(w, faultParse, "pmp.password.retrieve(resourceName, accountName, reason)")
			return
		}
		why := vault.Purpose{}
		if len(call.Params) == 3 {
			why.Reason = call.Params[2]
		}
		pw, err := a.cfg.Vault.RevealPasswordByName(actor, call.Params[0], call.Params[1], why)
		if err != nil {
			a.fault(w, src, err)
			return
		}
		writeResponse(w, "<string>"+escape(pw)+"</string>")
	case "pmp.resources.create":
		a.xmlrpcCreateResource(w, src, actor, call.Params)
	default:
		writeFault(w, faultMethod, "Unknown method "+call.Method)
	}
}

// xmlrpcCreateResource is pmp.resources.create(resourceName, resourceType,
// accountName, password, notes) → {resultCode, message}: PMP answers a
// taken name with resultCode 1, not a fault.
func (a *API) xmlrpcCreateResource(w http.ResponseWriter, src netip.Addr, actor access.Actor, p []string) {
	if len(p) < 4 || len(p) > 5 {
		writeFault(w, faultParse, "pmp.resources.create(resourceName, resourceType, accountName, password, notes)")
		return
	}
	notes := ""
	if len(p) == 5 {
		notes = p[4]
	}
	_, _, err := a.cfg.Vault.CreateResourceWithAccount(actor, vault.ResourceInput{Name: p[0], Type: p[1]},
		vault.AccountInput{Name: p[2], Password: p[3], Notes: notes})
	switch {
	case errors.Is(err, vault.ErrNameTaken):
		writeResponse(w, resultStruct(1, "Resource with the given resource name already exists."))
	case err != nil:
		a.fault(w, src, err)
	default:
		writeResponse(w, resultStruct(0, "Resource added successfully."))
	}
}

// fault renders a domain refusal as an XML-RPC fault with its message.
func (a *API) fault(w http.ResponseWriter, src netip.Addr, err error) {
	e := apperr.As(err)
	if e == nil || e.Code == apperr.Internal {
		a.log.WithField("remote", src.String()).WithError(err).Error("xml-rpc request failed")
		writeFault(w, faultInternal, "Internal error")
		return
	}
	code := map[apperr.Code]int{apperr.Unauthenticated: faultUnauthorized, apperr.Forbidden: faultForbidden,
		apperr.NotFound: faultNotFound, apperr.RateLimited: 429}[e.Code]
	if code == 0 {
		code = faultParse
	}
	writeFault(w, code, e.Message)
}

func resultStruct(code int, msg string) string {
	return "<struct><member><name>resultCode</name><value><int>" + strconv.Itoa(code) +
		"</int></value></member><member><name>message</name><value><string>" + escape(msg) +
		"</string></value></member></struct>"
}

func writeResponse(w http.ResponseWriter, value string) {
	writeXML(w, "<params><param><value>"+value+"</value></param></params>")
}

func writeFault(w http.ResponseWriter, code int, msg string) {
	writeXML(w, "<fault><value><struct><member><name>faultCode</name><value><int>"+strconv.Itoa(code)+
		"</int></value></member><member><name>faultString</name><value><string>"+escape(msg)+
		"</string></value></member></struct></value></fault>")
}

// writeXML answers with HTTP 200, as XML-RPC does for faults too.
func writeXML(w http.ResponseWriter, inner string) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = io.WriteString(w, `<?xml version="1.0"?>`+"\n<methodResponse>"+inner+"</methodResponse>\n")
}

func escape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
