package reliability

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"
)

// rawRequest sends data as it is over a TLS connection from src and reads
// one response.
func rawRequest(addr, src string, data []byte) (int, error) {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}, Timeout: 10 * time.Second}
	conn, err := tls.DialWithDialer(d, "tcp", addr, &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := conn.Write(data); err != nil {
		return 0, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// slowClient sends a request's headers one byte every 200 ms and returns
// how long the server let it go on before closing the connection.
func slowClient(addr string) (time.Duration, string) {
	conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 10 * time.Second}, "tcp", addr, &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		return 0, "dial: " + err.Error()
	}
	defer conn.Close()
	start := time.Now()
	closed := make(chan string, 1)
	go func() {
		conn.SetReadDeadline(time.Now().Add(30 * time.Second))
		b := make([]byte, 512)
		n, err := conn.Read(b)
		closed <- fmt.Sprintf("%q %v", b[:n], err)
	}()
	head := "GET " + "/restapi/json/v1/resources HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + strings.Repeat("a", 200)
	for i := 0; i < len(head); i++ {
		select {
		case how := <-closed:
			return time.Since(start), how
		case <-time.After(200 * time.Millisecond):
		}
		if _, err := conn.Write([]byte{head[i]}); err != nil {
			return time.Since(start), "write: " + err.Error()
		}
	}
	return time.Since(start), "still open after the whole slow header"
}

// TestBadInputGetsCleanErrors throws malformed, oversized, invalid and slow
// input at a running server: each gets a 4xx (or, for the slow client, the
// connection closed within the header timeout), no answer is a 5xx, and a
// good request succeeds after every case.
func TestBadInputGetsCleanErrors(t *testing.T) {
	quick(t)
	f := newFixture(t, t.TempDir(), []string{"job@localhost"}, 1)
	var out, errOut syncBuffer
	srv := f.start(t, freeAddr(t), &out, &errOut)
	defer srv.stop(t)
	key := f.keys[f.user]
	a := f.accts[0]
	pwPath := fmt.Sprintf("/resources/%d/accounts/%d/password", a.rid, a.aid)
	good := client(t, "127.0.0.1")
	tb := newTable("bad-input")

	type slowResult struct {
		d   time.Duration
		how string
	}
	slow := make(chan slowResult, 1)
	go func() { d, how := slowClient(srv.addr); slow <- slowResult{d, how} }()

	statuses := map[int]int{}
	fivexx, cases := 0, 0
	goodOK := 0
	check := func(name string, code int, err error, want ...int) {
		t.Helper()
		cases++
		if err != nil {
			t.Errorf("%s: no answer: %v", name, err)
		} else {
			statuses[code]++
			if code >= 500 {
				fivexx++
			}
			if len(want) > 0 && !contains(want, code) || len(want) == 0 && (code < 400 || code >= 500) {
				t.Errorf("%s: got %d, want %v (a 4xx)", name, code, want)
			}
		}
		gc, body, gerr := do(good, "GET", srv.base+pwPath, key, nil)
		if pw, _ := passwordOf(body); gerr != nil || gc != 200 || pw != a.password {
			t.Fatalf("after %s the server no longer serves a good request: %d %v %.200s", name, gc, gerr, body)
		}
		goodOK++
	}
	form := func(s string) url.Values { return url.Values{"INPUT_DATA": {s}} }
	put := func(c *http.Client, path, k string, body io.Reader, ctype string) (int, error) {
		req, _ := http.NewRequest("PUT", srv.base+path, body)
		req.Header.Set("Content-Type", ctype)
		if k != "" {
			req.Header.Set("AUTHTOKEN", k)
		}
		resp, err := c.Do(req)
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, nil
	}

	// Malformed INPUT_DATA.
	for _, in := range []string{`{"operation":`, `[1,2]`, `"text"`, `{"operation":{"Details":{"NEWPASSWORD":5}}}`,
		`{"operation":{"Details":{"NEWPASSWORD":""}}}`, `{"operation":{"Details":{}}}`, "\xff\xfe{}", `{"operation":{"Details":{"NEWPASSWORD":"` + strings.Repeat("x", 5000) + `"}}}`,
		`{"operation":{"Details":{"REASON":"` + strings.Repeat("r", 2000) + `"}}}`} {
		code, _, err := do(good, "PUT", srv.base+pwPath, key, form(in))
		check(fmt.Sprintf("PUT INPUT_DATA %.40q", in), code, err, 400)
	}
	code, _, err := do(good, "GET", srv.base+pwPath+"?INPUT_DATA="+url.QueryEscape(`{"operation"`), key, nil)
	check("GET with malformed INPUT_DATA query", code, err, 400)
	code, err = put(good, pwPath, key, strings.NewReader("INPUT_DATA=%zz%"), "application/x-www-form-urlencoded")
	check("malformed form body", code, err, 400)
	code, err = put(good, pwPath, key, strings.NewReader(`{"operation":{"Details":{"NEWPASSWORD":"json-body"}}}`), "application/json")
	check("JSON body instead of a form", code, err, 400)

	// Oversized bodies (the limit is 64 KiB), with a length and chunked.
	big := "INPUT_DATA=" + url.QueryEscape(`{"operation":{"Details":{"NEWPASSWORD":"`+strings.Repeat("p", 100<<10)+`"}}}`)
	code, err = put(good, pwPath, key, strings.NewReader(big), "application/x-www-form-urlencoded")
	check("100 KiB body", code, err, 400)
	code, err = put(good, pwPath, key, io.MultiReader(strings.NewReader(big), strings.NewReader(big)), "application/x-www-form-urlencoded")
	check("200 KiB chunked body", code, err, 400)

	// Invalid UTF-8: in AUTHTOKEN (from its own address, as these are
	// failed authentications), in the path, in query parameters.
	code, err = rawRequest(srv.addr, "127.0.0.4", []byte("GET "+"/restapi/json/v1"+pwPath+" HTTP/1.1\r\nHost: x\r\nAUTHTOKEN: hbk_\xff\xfe\xc0\x80\r\nConnection: close\r\n\r\n"))
	check("invalid UTF-8 in the AUTHTOKEN header", code, err, 401)
	code, _, err = do(client(t, "127.0.0.4"), "GET", srv.base+pwPath+"?AUTHTOKEN=%FF%FE%C0%80", "", nil)
	check("invalid UTF-8 in the AUTHTOKEN parameter", code, err, 401)
	code, err = rawRequest(srv.addr, "127.0.0.1", []byte("GET /restapi/json/v1/resources/\xff\xfe/accounts HTTP/1.1\r\nHost: x\r\nAUTHTOKEN: "+key+"\r\nConnection: close\r\n\r\n"))
	check("raw invalid UTF-8 in the path", code, err)
	code, err = rawRequest(srv.addr, "127.0.0.1", []byte("GET /restapi/json/v1/resources/resourcename/\xff\xfe HTTP/1.1\r\nHost: x\r\nAUTHTOKEN: "+key+"\r\nConnection: close\r\n\r\n"))
	check("raw invalid UTF-8 in a resource name", code, err)
	code, _, err = do(good, "GET", srv.base+"/resources/resourcename/%FF%FE%C0", key, nil)
	check("escaped invalid UTF-8 in a resource name", code, err, 404)
	code, _, err = do(good, "GET", srv.base+"/resources/getResourceIdAccountId?RESOURCENAME=%FF%FE&ACCOUNTNAME=%C0%80", key, nil)
	check("invalid UTF-8 in RESOURCENAME and ACCOUNTNAME", code, err, 404)
	code, _, err = do(good, "GET", srv.base+pwPath+"?INPUT_DATA="+url.QueryEscape("{\"operation\":{\"Details\":{\"REASON\":\"\xff\xfe\"}}}"), key, nil)
	check("invalid UTF-8 in REASON (accepted, like any reason)", code, err, 200)

	// Huge headers: over MaxHeaderBytes (16 KiB) is 431.
	code, err = rawRequest(srv.addr, "127.0.0.1", []byte("GET /restapi/json/v1/resources HTTP/1.1\r\nHost: x\r\nX-Big: "+strings.Repeat("h", 32<<10)+"\r\nConnection: close\r\n\r\n"))
	check("one 32 KiB header", code, err, 431)
	var many strings.Builder
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(&many, "X-H%d: v\r\n", i)
	}
	code, err = rawRequest(srv.addr, "127.0.0.1", []byte("GET /restapi/json/v1/resources HTTP/1.1\r\nHost: x\r\n"+many.String()+"Connection: close\r\n\r\n"))
	check("2000 headers", code, err, 431)
	code, err = rawRequest(srv.addr, "127.0.0.1", []byte("GET /restapi/json/v1/resources HTTP/1.1\r\nHost: x\r\nAUTHTOKEN: "+strings.Repeat("k", 12<<10)+"\r\nConnection: close\r\n\r\n"))
	check("a 12 KiB AUTHTOKEN", code, err, 401)
	code, err = rawRequest(srv.addr, "127.0.0.1", []byte("GARBAGE\r\n\r\n"))
	check("not HTTP at all", code, err, 400)

	// Junk paths and methods, with the valid key: never a 5xx.
	rng := rand.New(rand.NewPCG(1, 2))
	junk := []string{"/", "", "//", "/resources/../../../etc/passwd", "/resources/%2e%2e/%2e%2e", "/resources/1/accounts/2/password/extra",
		"/resources/99999999999999999999999/accounts", "/resources/-1/accounts", "/resources/0x10/accounts", "/resources/1e5/accounts",
		"/resources/123456789/accounts/987654321/password", "/resources/resourcename/", "/resources/resourcename/a/b",
		"/resources/getResourceIdAccountId", "/resources/%00/accounts", "/resources/" + strings.Repeat("9", 4000) + "/accounts",
		"/resources/" + strings.Repeat("a/", 500), "/resources/%/accounts", "/resources/ /accounts", "/Resources"}
	for len(junk) < 300 {
		var b strings.Builder
		for n := rng.IntN(6); n >= 0; n-- {
			b.WriteByte('/')
			switch rng.IntN(4) {
			case 0:
				fmt.Fprintf(&b, "%d", rng.Uint64())
			case 1:
				b.WriteString([]string{"resources", "accounts", "password", "resourcename", "getResourceIdAccountId"}[rng.IntN(5)])
			default:
				for k := rng.IntN(12); k >= 0; k-- {
					fmt.Fprintf(&b, "%%%02X", rng.IntN(256))
				}
			}
		}
		if p := b.String(); p != "/resources" && p != "/resources/" {
			junk = append(junk, p)
		}
	}
	methods := []string{"GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS", "HEAD"}
	junkStatus := map[int]int{}
	for i, p := range junk {
		m := methods[i%len(methods)]
		var c int
		var err error
		if strings.ContainsAny(p, " %") && !strings.Contains(p, "%2") && strings.Contains(p, " ") {
			c, err = rawRequest(srv.addr, "127.0.0.1", []byte(m+" /restapi/json/v1"+p+" HTTP/1.1\r\nHost: x\r\nAUTHTOKEN: "+key+"\r\nConnection: close\r\n\r\n"))
		} else {
			req, rerr := http.NewRequest(m, srv.base+p, nil)
			if rerr != nil { // not even a URL: send it raw
				c, err = rawRequest(srv.addr, "127.0.0.1", []byte(m+" /restapi/json/v1"+p+" HTTP/1.1\r\nHost: x\r\nAUTHTOKEN: "+key+"\r\nConnection: close\r\n\r\n"))
			} else {
				req.Header.Set("AUTHTOKEN", key)
				resp, derr := good.Do(req)
				if err = derr; err == nil {
					c = resp.StatusCode
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}
		}
		junkStatus[c]++
		check(fmt.Sprintf("%s %.60q", m, p), c, err)
	}

	sr := <-slow
	tb.add("slow client (one header byte per 200 ms): cut off after %.1fs (ReadHeaderTimeout 5s): %s", sr.d.Seconds(), sr.how)
	if sr.d < 3*time.Second || sr.d > 15*time.Second {
		t.Errorf("slow client: cut off after %s, want about 5 s", sr.d)
	}
	if code, _, err := do(good, "GET", srv.base+pwPath, key, nil); err != nil || code != 200 {
		t.Errorf("after the slow client: %d %v", code, err)
	}
	keys := make([]int, 0, len(statuses))
	for k := range statuses {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d x %d", statuses[k], k))
	}
	tb.add("%d bad requests (%d junk paths across %d methods): %s; %d x 5xx", cases, len(junk), len(methods), strings.Join(parts, ", "), fivexx)
	tb.add("a good request succeeded after each of them: %d/%d", goodOK, cases)
	if fivexx > 0 {
		t.Errorf("%d answers were 5xx", fivexx)
	}
	if err := srv.stop(t); err != nil {
		t.Errorf("serve stop: %v", err)
	}
	_, recs := f.check(t)
	tb.add("audit chain (with invalid UTF-8 in targets and reasons) verified: %d records", len(recs))
	tb.add("serve stderr: %d bytes", len(errOut.Bytes()))
	tb.log(t)
}

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}
