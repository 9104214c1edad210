package restapi

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/users"
)

// The names the README's session uses: the resource and account it
// creates, and the API user it adds (and deletes).
const (
	readmeResource = "web01"
	readmeAccount  = "deploy"
	readmeUser     = "ci@build01"
)

// TestTheREADMEExamplesWork runs the curl lines of the README's "Use the
// API" section, top to bottom, as one session against a real server, with
// the key of an Administrator API user with All Passwords (what the README
// asks for), and expects PMP's Success envelope from each. Before each line
// it sets the shell variables the README says a reader has by then, from
// the store's state. Every endpoint of the route table needs a line.
func TestTheREADMEExamplesWork(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Fatal("curl is needed to check the README examples")
	}
	lines := readmeExamples(t)
	if len(lines) < len(endpoints) {
		t.Errorf("found %d curl examples in README.md for %d endpoints", len(lines), len(endpoints))
	}

	covered := map[int]bool{}
	for _, l := range lines {
		i, err := endpointOf(l)
		if err != nil {
			t.Errorf("%s\n→ %v", l, err)
			continue
		}
		covered[i] = true
	}
	for i, e := range endpoints {
		if !covered[i] {
			t.Errorf("README.md has no example of %s %s (%s)", e.method, e.pattern, e.op)
		}
	}
	if t.Failed() {
		t.FailNow()
	}

	w := newWorld(t)
	key := w.readmeAPIUser(t, "readme@localhost", "127.0.0.1", access.Admin, access.ScopeAll)
	for n, l := range lines {
		cmd := exec.Command("bash", "-c", l)
		cmd.Env = append(os.Environ(), w.sessionVars(t, key)...)
		out, err := cmd.Output()
		var e envelope
		if err != nil || json.Unmarshal(out, &e) != nil || e.Operation.Result.Status != "Success" {
			t.Fatalf("line %d of %d (the rest depend on it):\n%s\n→ %v %s", n+1, len(lines), l, err, out)
		}
	}
}

// readmeExamples returns the curl lines between the api-examples markers.
func readmeExamples(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, "<!-- api-examples:start"):
			in = true
		case strings.HasPrefix(l, "<!-- api-examples:end"):
			in = false
		case in && strings.HasPrefix(l, "curl "):
			lines = append(lines, l)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// shellVar is a $NAME or ${NAME} in a line.
var shellVar = regexp.MustCompile(`\$\{?[A-Za-z_][A-Za-z0-9_]*\}?`)

// endpointOf is the index in endpoints of the endpoint a curl line calls,
// chosen as the router chooses: its method (-X, else GET with -G, else
// POST when it sends data, else GET) and the first pattern its path
// matches, each shell variable in the path standing for an id.
func endpointOf(line string) (int, error) {
	args := shellWords(line)
	method, data := "", false
	var target string
	for i, a := range args {
		switch {
		case a == "-X" && i+1 < len(args):
			method = args[i+1]
		case a == "-G" || a == "--get":
			if method == "" {
				method = "GET"
			}
		case a == "-d" || strings.HasPrefix(a, "--data"):
			data = true
		case strings.HasPrefix(a, "$HB/") && target == "":
			target = strings.TrimPrefix(a, "$HB/")
		}
	}
	switch {
	case method != "":
	case data:
		method = "POST"
	default:
		method = "GET"
	}
	if target == "" {
		return 0, fmt.Errorf("no \"$HB/...\" URL")
	}
	u, err := url.Parse(shellVar.ReplaceAllString(target, "1"))
	if err != nil {
		return 0, err
	}
	segs := strings.Split(strings.TrimSuffix(u.EscapedPath(), "/"), "/")
	for i, e := range endpoints {
		if _, ok := e.match(patterns[i], segs); ok && e.method == method {
			return i, nil
		}
	}
	return 0, fmt.Errorf("%s %s is no endpoint of routes.go", method, u.Path)
}

// shellWords splits a line into words as bash does for the simple lines
// of the README: blanks separate, single and double quotes group.
func shellWords(line string) []string {
	var words []string
	var cur strings.Builder
	var quote rune
	inWord := false
	for _, c := range line {
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(c)
		case c == '\'' || c == '"':
			quote, inWord = c, true
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// sessionVars are the shell variables of the README's session as the
// store has them now: HB, AUTHTOKEN, RID and AID of db01/postgres, and,
// while they exist, NEW_RID of web01, NEW_AID of its account deploy and
// USER_ID of the API user the session adds.
func (w *world) sessionVars(t *testing.T, key string) []string {
	t.Helper()
	rid, aid, err := w.Vault.AccountIDByName(w.AdminActor, "db01", "postgres")
	if err != nil {
		t.Fatal(err)
	}
	env := []string{"HB=" + w.base, "AUTHTOKEN=" + key, fmt.Sprintf("RID=%d", rid), fmt.Sprintf("AID=%d", aid)}
	if rid, err := w.Vault.ResourceIDByName(w.AdminActor, readmeResource); err == nil {
		env = append(env, fmt.Sprintf("NEW_RID=%d", rid))
	}
	if _, aid, err := w.Vault.AccountIDByName(w.AdminActor, readmeResource, readmeAccount); err == nil {
		env = append(env, fmt.Sprintf("NEW_AID=%d", aid))
	}
	if u, err := w.Users.Get(w.AdminActor, readmeUser); err == nil {
		env = append(env, "USER_ID="+u.ID)
	}
	return env
}

// readmeAPIUser creates an API user bound to host with role and scope, as
// the world's administrator, and returns its key.
func (w *world) readmeAPIUser(t *testing.T, name, host, role string, scope access.Scope) string {
	t.Helper()
	k, err := apikey.Generate()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Users.CreateAPIUser(w.AdminActor, users.APIUserInput{Username: name, Host: host, FullName: "API " + name,
		Role: role, Scope: scope, RESTEnabled: true, NeverExpires: true}, &k); err != nil {
		t.Fatal(err)
	}
	return k.String()
}
