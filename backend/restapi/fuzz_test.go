package restapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"hostbound/backend/access"
	"hostbound/backend/internal/testdomain"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/vault"
)

// FuzzServeHTTP drives the whole request parsing (route, readInput, the
// AUTHTOKEN header and parameter, INPUT_DATA) and every endpoint, writes
// and the user API included, with arbitrary methods, paths, queries,
// bodies and keys, valid or not: no panic, never a 5xx, always PMP's JSON
// envelope.
func FuzzServeHTTP(f *testing.F) {
	// No failed-authentication limit: fuzzed keys fail on purpose, and a
	// blocked source would answer 429 to everything, the valid key too.
	w := newWorldWith(f, testdomain.Options{FailBurst: 1 << 30})
	// An administrator, so that the writes and the user API run deep.
	key := w.apiUser(f, "fuzz@localhost", "127.0.0.1", access.Admin, vault.Modify)
	api := New(Config{Users: w.Users, Vault: w.Vault, Clock: w.Clock.Now, Log: testenv.Log()})
	res := fmt.Sprintf("/resources/%d", w.res.ID)
	acct := fmt.Sprintf("%s/accounts/%d", res, w.db.ID)
	pw := acct + "/password"
	form := "application/x-www-form-urlencoded"
	seeds := []struct {
		method      uint8
		path, query string
		body        string
		ctype       string
		useKey      bool
	}{
		{0, "/resources", "", "", "", true},
		{0, pw, "", "", "", true},
		{1, pw, "", `INPUT_DATA={"operation":{"Details":{"NEWPASSWORD":"n3w"}}}`, "application/x-www-form-urlencoded", true},
		{1, pw, "", `INPUT_DATA={"operation":`, "application/x-www-form-urlencoded", true},
		{0, pw, `INPUT_DATA={"operation":{"Details":{"REASON":"r","TICKETID":"t"}}}`, "", "", true},
		{0, "/resources/getResourceIdAccountId", "RESOURCENAME=db01&ACCOUNTNAME=postgres", "", "", true},
		{0, "/resources/resourcename/db%FF01", "", "", "", true},
		{0, res + "/accounts", "AUTHTOKEN=hbk_x", "", "", false},
		{2, "/resources/1/accounts/2/password/x", "", "%zz", form, false},
		{3, "//..//", "a=%", "", "multipart/form-data; boundary=x", true},
		{2, "/resources", "", `INPUT_DATA={"operation":{"Details":{"RESOURCENAME":"f1","ACCOUNTNAME":"a","PASSWORD":"p","OWNERNAME":"admin"}}}`, form, true},
		{2, "/resources", "", `INPUT_DATA={'operation': {'Details': {'RESOURCENAME': 'f2', 'ACCOUNTNAME': 'a', 'PASSWORD': 'p\'q', 'NOTES': None}}}`, form, true},
		{1, res, "", `INPUT_DATA={"operation":{"Details":{"RESOURCENAME":["x"],"DNSNAME":"::1"}}}`, form, true},
		{2, res + "/accounts", "", `INPUT_DATA={"operation":{"Details":{"ACCOUNTLIST":[{"ACCOUNTNAME":"b","PASSWORD":"p"},{"ACCOUNTNAME":7},"x"]}}}`, form, true},
		{1, acct, "", `INPUT_DATA={"operation":{"Details":{"ISREASONREQUIRED":"maybe","IS_TICKETID_REQD_MANDATORY":true}}}`, form, true},
		{3, acct, "", "", "", true},
		{0, "/resources/getResourceAccountDetails", fmt.Sprintf("RESOURCEID=%d&ACCOUNTID=%d", w.res.ID, w.db.ID), "", "", true},
		{0, "/resources/resourcename/db01/accounts/accountname/postgres", "", "", "", true},
		{0, "/resources/resourcetypes", "", "", "", true},
		{0, "/passwords/generate", "POLICY=Paranoid", "", "", true},
		{2, "/user", "", `INPUT_DATA={"operation":{"Details":{"USERNAME":"f@h","FULLNAME":"F","ROLE":"password user","ISAPIUSER":"true","HOSTNAME":"10.1.1.0/24","EXPIRYDATE":"2030-02-30"}}}`, form, true},
		{0, "/user/getUserId", "USERNAME=admin", "", "", true},
		{1, "/user/lock", "", `INPUT_DATA={"operation":{"Details":{"USERNAME":"admin"}}}`, form, true},
		{1, "/user/unlock", "", `INPUT_DATA={"operation":{"Details":{"USERID":"u00"}}}`, form, true},
		{3, "/user/u0123", "", "", "", true},
		{0, "/accounts/passwordaccessrequests", "", "", "", true},
	}
	for _, s := range seeds {
		f.Add(s.method, s.path, s.query, []byte(s.body), s.ctype, "", s.useKey)
	}
	methods := []string{"GET", "PUT", "POST", "DELETE", "HEAD", "OPTIONS", "PATCH", "CONNECT", "get", ""}
	f.Fuzz(func(t *testing.T, method uint8, path, query string, body []byte, ctype, token string, useKey bool) {
		u, err := url.Parse("https://127.0.0.1" + Base + path)
		if err != nil {
			return
		}
		u.RawQuery = query
		r := httptest.NewRequest("GET", "https://127.0.0.1/", bytes.NewReader(body))
		r.Method = methods[int(method)%len(methods)]
		r.URL, r.RequestURI = u, u.RequestURI()
		r.RemoteAddr = "127.0.0.1:40000"
		if ctype != "" {
			r.Header.Set("Content-Type", ctype)
		}
		if useKey {
			r.Header.Set("AUTHTOKEN", key)
		} else if token != "" {
			r.Header.Set("AUTHTOKEN", token)
		}
		rec := httptest.NewRecorder()
		api.ServeHTTP(rec, r)
		if rec.Code >= 500 || rec.Code < 200 {
			t.Fatalf("%s %s?%s: %d %s", r.Method, u.EscapedPath(), query, rec.Code, rec.Body)
		}
		var env envelope
		if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil || env.Operation.Result.Status == "" {
			t.Fatalf("%s %s: not an envelope: %q", r.Method, u.EscapedPath(), rec.Body)
		}
		if (rec.Code == http.StatusOK) != (env.Operation.Result.Status == "Success") {
			t.Fatalf("%d with status %q", rec.Code, env.Operation.Result.Status)
		}
	})
}
