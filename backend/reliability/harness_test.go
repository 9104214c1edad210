package reliability

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apikey"
	"hostbound/backend/audit"
	"hostbound/backend/core"
	"hostbound/backend/headless"
	"hostbound/backend/internal/pgtest"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/masterkey"
	"hostbound/backend/restapi"
	"hostbound/backend/services"
	"hostbound/backend/store"
	"hostbound/backend/users"
	"hostbound/backend/vault"
)

// EnvQuick turns the quick checks on (make reliability); EnvSoak the long
// ones (make soak). Without them every test here skips, so that the plain
// `go test -race ./...` of make go-test stays fast.
const (
	EnvQuick = "HOSTBOUND_RELIABILITY"
	EnvSoak  = "HOSTBOUND_SOAK"
)

func quick(t *testing.T) {
	t.Helper()
	if os.Getenv(EnvQuick) == "" && os.Getenv(EnvSoak) == "" {
		t.Skipf("reliability check: set %s=1 (make reliability)", EnvQuick)
	}
}

func soak(t *testing.T) {
	t.Helper()
	if os.Getenv(EnvSoak) == "" {
		t.Skipf("soak check: set %s=1 (make soak)", EnvSoak)
	}
}

// envInt reads a positive integer from the environment.
func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// figure prints one result line on stdout (seen with and without -v) and
// keeps it for the test's closing table.
type table struct {
	name  string
	lines []string
}

func newTable(name string) *table { return &table{name: name} }

func (tb *table) add(format string, args ...any) {
	line := tb.name + ": " + fmt.Sprintf(format, args...)
	tb.lines = append(tb.lines, line)
	fmt.Println(line)
}

func (tb *table) log(t *testing.T) {
	t.Helper()
	t.Log("\n" + strings.Join(tb.lines, "\n"))
}

// ---- the binary -----------------------------------------------------------

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
	binDir    string
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Stop()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// binary builds `hostbound` from the module root once per test run. The
// serve path never reaches Wails, so no build tags are needed (tests that
// run it prove that); with the tags as a fallback.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		out, err := exec.Command("go", "env", "GOMOD").Output()
		if err != nil {
			buildErr = fmt.Errorf("go env GOMOD: %w", err)
			return
		}
		root := filepath.Dir(strings.TrimSpace(string(out)))
		if binDir, buildErr = os.MkdirTemp("", "hostbound-reliability-"); buildErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "hostbound")
		for _, tags := range []string{"", "desktop,production,webkit2_41"} {
			args := []string{"build", "-o", binPath}
			if tags != "" {
				args = append(args, "-tags", tags)
			}
			cmd := exec.Command("go", append(args, ".")...)
			cmd.Dir = root
			var msg []byte
			if msg, buildErr = cmd.CombinedOutput(); buildErr == nil {
				return
			}
			buildErr = fmt.Errorf("go build %v: %v\n%s", args, buildErr, msg)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// ---- a data directory -----------------------------------------------------

const (
	passphrase = "reliability suite unlock passphrase"
	adminPass  = "correct horse battery staple"
	apiHost    = "127.0.0.1"
)

// fixture is a data directory set up like the desktop app would: a master
// key wrapped with a passphrase, an administrator, one API user (with a
// modify share) per entry of names, and accounts on resources.
type fixture struct {
	dir, passFile string
	key           []byte
	cfg           core.Config
	admin         *users.User
	keys          map[string]string // API username -> key
	user          string            // the first API user
	res           []vault.Resource
	accts         []acct // one per client
	secrets       []string
	serveArgs     []string // extra flags for hostbound serve
	// storeURL, when set, is the PostgreSQL database holding the data
	// (cluster_test.go); else the data directory's db/.
	storeURL string
}

type acct struct {
	rid, aid uint64
	password string
}

func quietConfig() core.Config {
	return core.Config{Log: testenv.Log(), Clock: time.Now, Hasher: users.Hasher{Time: 1, Memory: 1024, Threads: 1}, Resolver: net.DefaultResolver}
}

// newFixture sets up dir with nAccounts accounts spread over a few
// resources, all shared (modify) with every API user in names.
func newFixture(t *testing.T, dir string, names []string, nAccounts int) *fixture {
	t.Helper()
	return newFixtureOn(t, dir, "", names, nAccounts)
}

// newFixtureOn is newFixture with the data in the PostgreSQL database at
// storeURL ("" for dir's db/).
func newFixtureOn(t *testing.T, dir, storeURL string, names []string, nAccounts int) *fixture {
	t.Helper()
	f := &fixture{dir: dir, cfg: quietConfig(), keys: map[string]string{}, user: names[0], storeURL: storeURL}
	var err error
	if f.key, err = masterkey.New(dir, masterkey.NewMemoryKeyring()).CreateWithPassphrase(passphrase); err != nil {
		t.Fatal(err)
	}
	f.passFile = filepath.Join(t.TempDir(), "passphrase")
	if err := os.WriteFile(f.passFile, []byte(passphrase+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	svc := f.open(t)
	defer closeDomain(svc)
	if f.admin, err = svc.Users.CreateFirstAdministrator(users.NewOperator{Username: "admin", FullName: "Ada Admin",
		Password: adminPass, ConfirmPassword: adminPass}, access.SourceDesktop); err != nil {
		t.Fatal(err)
	}
	ins := make([]users.APIUserInput, len(names))
	ks := make([]apikey.Key, len(names))
	for i, n := range names {
		ins[i] = apiUserInput(n, "")
		if ks[i], err = apikey.Generate(); err != nil {
			t.Fatal(err)
		}
		f.keys[n] = ks[i].String()
		f.secrets = append(f.secrets, ks[i].String())
	}
	a := f.adminActor()
	if _, err := svc.Users.CreateAPIUsers(a, ins, ks); err != nil {
		t.Fatal(err)
	}
	nRes := min(4, max(1, nAccounts))
	for r := 0; r < nRes; r++ {
		res, err := svc.Vault.CreateResource(a, vault.ResourceInput{Name: fmt.Sprintf("db%02d", r+1), DNSName: fmt.Sprintf("db%02d.example.com", r+1), Type: "PostgreSQL"})
		if err != nil {
			t.Fatal(err)
		}
		f.res = append(f.res, res)
		for _, n := range names {
			if err := svc.Vault.Share(a, vault.ShareInput{ResourceID: res.ID, Grantee: n, Permission: vault.Modify}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i := 0; i < nAccounts; i++ {
		res := f.res[i%nRes]
		pw := fmt.Sprintf("initial-%02d-%s", i, randText(t, 12))
		ac, err := svc.Vault.CreateAccount(a, res.ID, vault.AccountInput{Name: fmt.Sprintf("acct%02d", i), Password: pw})
		if err != nil {
			t.Fatal(err)
		}
		f.accts = append(f.accts, acct{rid: res.ID, aid: ac.ID, password: pw})
		f.secrets = append(f.secrets, pw)
	}
	return f
}

func apiUserInput(name, dept string) users.APIUserInput {
	return users.APIUserInput{Username: name, Host: apiHost, FullName: "Job " + name, Role: access.PasswordUser,
		Scope: access.ScopeOwnedShared, RESTEnabled: true, NeverExpires: true, Department: dept}
}

// adminActor is the administrator at the desktop.
func (f *fixture) adminActor() access.Actor { return users.ActorOf(f.admin, access.SourceDesktop) }

// open opens the data directory in this process (no server may run on it)
// and builds the domain over it as core's lifecycle does for the app and
// `hostbound serve`; close it with closeDomain.
func (f *fixture) open(t *testing.T) *services.Services {
	t.Helper()
	return f.openWith(t, 0)
}

// openWith is open with failBurst failed authentications per minute and
// source before they are refused (0: the default, as serve has it).
func (f *fixture) openWith(t *testing.T, failBurst int) *services.Services {
	t.Helper()
	var st *store.Store
	var err error
	if f.storeURL != "" {
		st, err = store.OpenPostgres(f.storeURL, f.key, f.cfg.Log)
	} else {
		st, err = store.Open(core.StoreDir(f.dir), f.key, f.cfg.Log)
	}
	if err != nil {
		t.Fatalf("open the data directory: %v", err)
	}
	svc, err := services.New(st, f.key, services.Config{Clock: f.cfg.Clock, Hasher: f.cfg.Hasher, Resolver: f.cfg.Resolver,
		APIListen: f.cfg.APIListen, FailBurst: failBurst})
	if err != nil {
		st.Close()
		t.Fatalf("open the data directory: %v", err)
	}
	return svc
}

// closeDomain writes what the domain still holds (aggregated failure
// records), then closes the store.
func closeDomain(svc *services.Services) {
	svc.Close()
	svc.Store.Close()
}

// storedPasswords reads the password of every account of f as the
// administrator (each read is audited, as every password read is).
func (f *fixture) storedPasswords(svc *services.Services) (map[uint64]string, error) {
	pw := map[uint64]string{}
	for _, a := range f.accts {
		p, err := svc.Vault.RevealPassword(f.adminActor(), a.rid, a.aid, vault.Purpose{Reason: "reliability check"})
		if err != nil {
			return nil, fmt.Errorf("read account %d: %w", a.aid, err)
		}
		pw[a.aid] = p
	}
	return pw, nil
}

// check opens the store after the server is gone: the audit chain must
// verify; it returns the stored passwords by account and the audit records
// (as they were before check read the passwords).
func (f *fixture) check(t *testing.T) (map[uint64]string, []audit.Record) {
	t.Helper()
	svc := f.open(t)
	defer closeDomain(svc)
	var recs []audit.Record
	err := svc.Store.View(func(tx *store.Txn) error {
		n, err := svc.Audit.Verify(tx)
		if err != nil {
			return fmt.Errorf("audit chain (%d records): %w", n, err)
		}
		recs, err = svc.Audit.List(tx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	pw, err := f.storedPasswords(svc)
	if err != nil {
		t.Fatal(err)
	}
	return pw, recs
}

// ---- the serve process ----------------------------------------------------

// syncBuffer collects a process's output across restarts.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Clone(s.b.Bytes())
}

type server struct {
	cmd    *exec.Cmd
	addr   string
	base   string
	exited chan struct{}
	err    error
}

// freeAddr returns a loopback address with a free port.
// The port is below Linux's ephemeral range (32768-60999): a port the
// kernel hands out could be taken, before serve binds it, as the local
// port of one of the many client connections these tests open.
func freeAddr(t *testing.T) string {
	t.Helper()
	for range 100 {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", 20000+rand.IntN(12000)))
		if err == nil {
			defer ln.Close()
			return ln.Addr().String()
		}
	}
	t.Fatal("no free port in 20000-31999")
	return ""
}

// start runs `hostbound serve` on addr in its own process group and waits
// until it answers an authenticated request. stdout and stderr go to out
// and errOut.
func (f *fixture) start(t *testing.T, addr string, out, errOut io.Writer, env ...string) *server {
	t.Helper()
	return f.startIn(t, f.dir, addr, out, errOut, env...)
}

// startIn is start with the data directory dir (another node of f's
// PostgreSQL store).
func (f *fixture) startIn(t *testing.T, dir, addr string, out, errOut io.Writer, env ...string) *server {
	t.Helper()
	args := []string{"serve", "--data-dir", dir, "--listen", addr}
	if f.storeURL != "" {
		args = append(args, "--store", f.storeURL)
	}
	cmd := exec.Command(binary(t), append(args, f.serveArgs...)...)
	cmd.Env = append(os.Environ(), headless.PassphraseFileEnv+"="+f.passFile)
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdout, cmd.Stderr = out, errOut
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, addr: addr, base: "https://" + addr + restapi.Base, exited: make(chan struct{})}
	go func() { s.err = cmd.Wait(); close(s.exited) }()
	t.Cleanup(s.kill)
	c := client(t, "127.0.0.1")
	deadline := time.Now().Add(60 * time.Second)
	for {
		st, _, err := do(c, "GET", s.base+"/resources", f.keys[f.user], nil)
		if err == nil && st == 200 {
			return s
		}
		select {
		case <-s.exited:
			var said []byte
			if b, ok := errOut.(*syncBuffer); ok {
				said = b.Bytes()
				said = said[max(0, len(said)-2000):]
			}
			t.Fatalf("hostbound serve exited during start: %v\n%s", s.err, said)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("hostbound serve did not answer within 60 s (last: %d %v)", st, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *server) pid() int { return s.cmd.Process.Pid }

// kill sends SIGKILL to the process group and waits for the exit.
func (s *server) kill() {
	select {
	case <-s.exited:
		return
	default:
	}
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	select {
	case <-s.exited:
	case <-time.After(30 * time.Second):
	}
}

// stop sends SIGTERM and waits (SIGKILL after 30 s); it returns the exit
// error.
func (s *server) stop(t *testing.T) error {
	t.Helper()
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-s.exited:
		return s.err
	case <-time.After(30 * time.Second):
		s.kill()
		return errors.New("did not stop within 30 s of SIGTERM")
	}
}

func (s *server) alive() bool {
	select {
	case <-s.exited:
		return false
	default:
		return true
	}
}

// ---- HTTP -----------------------------------------------------------------

// client returns an HTTPS client dialling from the loopback address src.
// The self-signed certificate is not checked: loopback only.
func client(t *testing.T, src string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}, Timeout: 10 * time.Second}
	tr := &http.Transport{DialContext: d.DialContext, TLSClientConfig: &tls.Config{InsecureSkipVerify: true},
		MaxIdleConnsPerHost: 128, MaxIdleConns: 256, IdleConnTimeout: 60 * time.Second}
	if t != nil {
		t.Cleanup(tr.CloseIdleConnections)
	}
	return &http.Client{Timeout: 60 * time.Second, Transport: tr}
}

// anyClient is the *http.Client of do.
type anyClient = *http.Client

// do sends one request; form, when set, is the url-encoded body.
func do(c *http.Client, method, u, key string, form url.Values) (int, []byte, error) {
	return doCtx(context.Background(), c, method, u, key, form)
}

func doCtx(ctx context.Context, c *http.Client, method, u, key string, form url.Values) (int, []byte, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return 0, nil, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if key != "" {
		req.Header.Set("AUTHTOKEN", key)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

func passwordURL(base string, a acct) string {
	return fmt.Sprintf("%s/resources/%d/accounts/%d/password", base, a.rid, a.aid)
}

// reasonURL is GET PASSWORD of a with REASON reason, by which the
// call's audit record is found again.
func reasonURL(base string, a acct, reason string) string {
	return passwordURL(base, a) + "?INPUT_DATA=" + url.QueryEscape(`{"operation":{"Details":{"REASON":"`+reason+`"}}}`)
}

// newPasswordForm is PMP's INPUT_DATA for a password change.
func newPasswordForm(pw string) url.Values {
	b, _ := json.Marshal(map[string]any{"operation": map[string]any{"Details": map[string]string{"NEWPASSWORD": pw, "RESETTYPE": "LOCAL"}}})
	return url.Values{"INPUT_DATA": {string(b)}}
}

// passwordOf extracts Details.PASSWORD from a GET PASSWORD reply.
func passwordOf(body []byte) (string, bool) {
	var env struct {
		Operation struct {
			Details struct {
				Password *string `json:"PASSWORD"`
			} `json:"Details"`
		} `json:"operation"`
	}
	if json.Unmarshal(body, &env) != nil || env.Operation.Details.Password == nil {
		return "", false
	}
	return *env.Operation.Details.Password, true
}

func randText(t *testing.T, n int) string {
	t.Helper()
	k, err := apikey.Generate()
	if err != nil {
		t.Fatal(err)
	}
	return k.String()[len(apikey.Prefix) : len(apikey.Prefix)+n]
}

// ---- /proc ----------------------------------------------------------------

type procStats struct {
	rssKiB, anonKiB, fileKiB, threads, fds int
	// otherFds are the descriptors that are not files (sockets, pipes,
	// epoll): what leaks when connections or goroutines leak. Files are
	// Badger's tables, one per table, following the store's size.
	otherFds int
}

func readProc(pid int) (procStats, error) {
	var p procStats
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return p, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		fs := strings.Fields(v)
		if len(fs) == 0 {
			continue
		}
		switch k {
		case "VmRSS":
			p.rssKiB, _ = strconv.Atoi(fs[0])
		case "RssAnon":
			p.anonKiB, _ = strconv.Atoi(fs[0])
		case "RssFile", "RssShmem":
			n, _ := strconv.Atoi(fs[0])
			p.fileKiB += n
		case "Threads":
			p.threads, _ = strconv.Atoi(fs[0])
		}
	}
	ents, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		return p, err
	}
	p.fds = len(ents)
	for _, e := range ents {
		if target, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, e.Name())); err == nil && !strings.HasPrefix(target, "/") {
			p.otherFds++
		}
	}
	return p, nil
}

// unaudited counts the REASONs of received (passwords a client got) that
// have no successful "reveal password" record of user in recs, and reports
// the first few.
func unaudited(t *testing.T, recs []audit.Record, user string, received map[string]bool) int {
	t.Helper()
	audited := map[string]bool{}
	for _, r := range recs {
		if r.Actor == user && r.Operation == "reveal password" && r.Result == audit.Success {
			audited[r.Reason] = true
		}
	}
	missing := 0
	for reason := range received {
		if !audited["reason: "+reason] {
			if missing++; missing <= 5 {
				t.Errorf("a client received the password for REASON %s, but no audit record has it", reason)
			}
		}
	}
	return missing
}
