package reliability

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hostbound/backend/apikey"
	"hostbound/backend/audit"
)

// TestNoSecretLeaks runs a scripted session and then searches every file of
// the data directory, the server's stdout and stderr and the audit exports
// for every API key, password, the passphrase and the master key, raw, in
// hex and in base64.
func TestNoSecretLeaks(t *testing.T) {
	quick(t)
	f := newFixture(t, t.TempDir(), []string{"backup@localhost", "deploy@localhost", "monitor@localhost"}, 3)
	f.serveArgs = []string{"--log-level", "debug"}
	var out, errOut syncBuffer
	addr := freeAddr(t)
	tb := newTable("secret-leaks")
	secrets := map[string][]byte{}
	add := func(name, s string) { secrets[name] = []byte(s) }
	for n, k := range f.keys {
		add("API key of "+n, k)
	}
	for i, a := range f.accts {
		add(fmt.Sprintf("password %d", i), a.password)
	}
	add("passphrase", passphrase)
	add("administrator password", adminPass)
	secrets["master key"] = f.key

	// Keys that are refused must not be written anywhere either.
	unknown, _ := apikey.Generate()
	add("unknown key", unknown.String())
	mistyped := f.keys["deploy@localhost"]
	if last := mistyped[len(mistyped)-1]; last == 'A' {
		mistyped = mistyped[:len(mistyped)-1] + "B"
	} else {
		mistyped = mistyped[:len(mistyped)-1] + "A"
	}
	add("mistyped key", mistyped)

	requests := 0
	session := func(label string) {
		srv := f.start(t, addr, &out, &errOut)
		c := client(t, "127.0.0.1")
		other := client(t, "127.0.0.5") // the wrong host for every API user
		call := func(c2 anyClient, method, path, key string, form url.Values, want int) {
			t.Helper()
			code, body, err := do(c2, method, srv.base+path, key, form)
			requests++
			if err != nil || code != want {
				t.Errorf("%s: %s %s: got %d %v %.200s, want %d", label, method, path, code, err, body, want)
			}
		}
		for n, k := range f.keys {
			call(c, "GET", "/resources", k, nil, 200)
			call(c, "GET", "/resources/getResourceIdAccountId?RESOURCENAME=db01&ACCOUNTNAME=acct00", k, nil, 200)
			call(c, "GET", "/resources/resourcename/db01", k, nil, 200)
			for _, a := range f.accts {
				call(c, "GET", fmt.Sprintf("/resources/%d/accounts", a.rid), k, nil, 200)
				call(c, "GET", fmt.Sprintf("/resources/%d/accounts/%d", a.rid, a.aid), k, nil, 200)
				p := fmt.Sprintf("/resources/%d/accounts/%d/password", a.rid, a.aid)
				call(c, "GET", p, k, nil, 200)
				call(c, "GET", p+"?AUTHTOKEN="+url.QueryEscape(k), "", nil, 200)
				in := `{"operation":{"Details":{"REASON":"leak check","TICKETID":"T-1"}}}`
				call(c, "GET", p+"?INPUT_DATA="+url.QueryEscape(in)+"&AUTHTOKEN="+url.QueryEscape(k), "", nil, 200)
				call(other, "GET", p, k, nil, 403)
			}
			_ = n
		}
		// A change per account, the new value sent in the body.
		for i, a := range f.accts {
			pw := fmt.Sprintf("changed-%s-%d-%s", label, i, randText(t, 16))
			add(fmt.Sprintf("new password %s %d", label, i), pw)
			call(c, "PUT", fmt.Sprintf("/resources/%d/accounts/%d/password", a.rid, a.aid), f.keys[f.user], newPasswordForm(pw), 200)
		}
		p := fmt.Sprintf("/resources/%d/accounts/%d/password", f.accts[0].rid, f.accts[0].aid)
		refusedFrom := client(t, "127.0.0.6")
		call(refusedFrom, "GET", p, unknown.String(), nil, 401)
		call(refusedFrom, "GET", p+"?AUTHTOKEN="+url.QueryEscape(mistyped), "", nil, 401)
		if err := srv.stop(t); err != nil {
			t.Errorf("%s: serve stop: %v", label, err)
		}
	}
	session("first")

	// Regeneration and exports, as the desktop app does them.
	exportDir := t.TempDir()
	svc := f.open(t)
	newKey, _ := apikey.Generate()
	if _, err := svc.Users.RegenerateAPIKey(f.adminActor(), "deploy@localhost", newKey, 0); err != nil {
		t.Fatal(err)
	}
	f.keys["deploy@localhost"] = newKey.String()
	add("regenerated key", newKey.String())
	for _, format := range []string{audit.CSV, audit.JSONL} {
		var buf bytes.Buffer
		name := "audit." + format
		n, err := svc.Trail.Export(f.adminActor(), name, format, audit.Filter{}, &buf, nil)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(exportDir, name), buf.Bytes(), 0o600)
		tb.add("audit export %s: %d records, %d bytes", format, n, buf.Len())
	}
	closeDomain(svc)
	session("second") // the new key over the REST API too

	// Search.
	type place struct {
		name string
		data []byte
	}
	var places []place
	var files int
	var bytesSearched int64
	for _, root := range []string{f.dir, exportDir} {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				t.Errorf("read %s: %v", p, err)
				return nil
			}
			files++
			bytesSearched += int64(len(b))
			places = append(places, place{p, b})
			return nil
		})
	}
	places = append(places, place{"serve stdout", out.Bytes()}, place{"serve stderr", errOut.Bytes()})
	bytesSearched += int64(len(out.Bytes()) + len(errOut.Bytes()))
	if !bytes.Contains(out.Bytes(), []byte("serving the REST API")) {
		t.Errorf("serve stdout holds no log lines: the search would prove nothing")
	}
	forms := 0
	found := 0
	for name, s := range secrets {
		variants := map[string][]byte{
			"raw":        s,
			"hex":        []byte(hex.EncodeToString(s)),
			"HEX":        []byte(strings.ToUpper(hex.EncodeToString(s))),
			"base64":     []byte(base64.StdEncoding.EncodeToString(s)),
			"base64url":  []byte(base64.URLEncoding.EncodeToString(s)),
			"base64-raw": []byte(base64.RawStdEncoding.EncodeToString(s)),
			"query":      []byte(url.QueryEscape(string(s))),
		}
		for vname, v := range variants {
			forms++
			for _, pl := range places {
				if bytes.Contains(pl.data, v) {
					found++
					t.Errorf("%s (%s) found in %s", name, vname, pl.name)
				}
			}
		}
	}
	tb.add("%d REST requests in two sessions, one regeneration, CSV and JSONL exports", requests)
	tb.add("searched %d files (%.1f MiB) + stdout (%d bytes) + stderr (%d bytes) for %d secrets in %d forms: %d found",
		files, float64(bytesSearched)/(1<<20), len(out.Bytes()), len(errOut.Bytes()), len(secrets), forms, found)
	tb.log(t)
}
