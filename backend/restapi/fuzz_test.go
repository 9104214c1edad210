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
// AUTHTOKEN header and parameter, INPUT_DATA) with arbitrary methods, paths,
// queries, bodies and keys, valid or not: no panic, never a 5xx, always
// PMP's JSON envelope.
func FuzzServeHTTP(f *testing.F) {
	// No failed-authentication limit: fuzzed keys fail on purpose, and a
	// blocked source would answer 429 to everything, the valid key too.
	w := newWorldWith(f, testdomain.Options{FailBurst: 1 << 30})
	key := w.apiUser(f, "fuzz@localhost", "127.0.0.1", access.PasswordUser, vault.Modify)
	api := New(Config{Users: w.Users, Vault: w.Vault, Clock: w.Clock.Now, Log: testenv.Log()})
	pw := fmt.Sprintf("/resources/%d/accounts/%d/password", w.res.ID, w.db.ID)
	seeds := []struct {
		method      uint8
		path, query string
		body        string
		ctype       string
		useKey      bool
	}{
		{0, "", "", "", "", true},
		{0, pw, "", "", "", true},
		{1, pw, "", `INPUT_DATA={"operation":{"Details":{"NEWPASSWORD":"n3w"}}}`, "application/x-www-form-urlencoded", true},
		{1, pw, "", `INPUT_DATA={"operation":`, "application/x-www-form-urlencoded", true},
		{0, pw, `INPUT_DATA={"operation":{"Details":{"REASON":"r","TICKETID":"t"}}}`, "", "", true},
		{0, "/getResourceIdAccountId", "RESOURCENAME=db01&ACCOUNTNAME=postgres", "", "", true},
		{0, "/resourcename/db%FF01", "", "", "", true},
		{0, fmt.Sprintf("/%d/accounts", w.res.ID), "AUTHTOKEN=hbk_x", "", "", false},
		{2, "/1/accounts/2/password/x", "", "%zz", "application/x-www-form-urlencoded", false},
		{3, "//..//", "a=%", "", "multipart/form-data; boundary=x", true},
	}
	for _, s := range seeds {
		f.Add(s.method, s.path, s.query, []byte(s.body), s.ctype, "", s.useKey)
	}
	methods := []string{"GET", "PUT", "POST", "DELETE", "HEAD", "OPTIONS", "PATCH", "CONNECT", "get", ""}
	f.Fuzz(func(t *testing.T, method uint8, path, query string, body []byte, ctype, token string, useKey bool) {
		u, err := url.Parse("https://127.0.0.1" + Base + "/resources" + path)
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
