// Package pgtest gives tests a real PostgreSQL: one throwaway cluster per
// test binary (initdb into a temporary directory, the server on a unix
// socket there, fsync on as in production), and a fresh database per test.
//
// A package whose tests use it runs them through Main, which stops the
// cluster and removes its directory at the end:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
// The server is started as a child that the kernel kills if the test
// binary dies first, and a later run removes what such a run left.
//
// Without PostgreSQL's binaries URL skips the test, or fails it when CI is
// set (CI installs them: tools/install-deps.sh). PGTEST_BINDIR names the
// directory of initdb and postgres when they are not in the usual place.
package pgtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

const dirPrefix = "hostbound-pgtest-"

// baseDir holds the clusters' directories: /tmp where it exists, not
// TMPDIR, which may be one the server's user cannot enter, or too long for
// a unix socket's path (107 bytes).
func baseDir() string {
	if fi, err := os.Stat("/tmp"); err == nil && fi.IsDir() {
		return "/tmp"
	}
	return os.TempDir()
}

type cluster struct {
	dir    string // the temporary directory: data/, the socket, the log
	bindir string
	cred   *syscall.Credential // the server's user when we are root
	cmd    *exec.Cmd
	exited chan struct{}
}

var (
	once     sync.Once
	running  *cluster
	startErr error
	dbs      atomic.Int64
)

// Main runs the package's tests, then stops the cluster if one started,
// and exits with the tests' code.
func Main(m *testing.M) {
	code := m.Run()
	Stop()
	os.Exit(code)
}

// Stop stops the cluster if one started (for a TestMain that does more
// than Main).
func Stop() {
	if running != nil {
		running.stop()
		running = nil
	}
}

// URL returns the connection string of a new, empty database for t.
func URL(t testing.TB) string {
	t.Helper()
	once.Do(func() { running, startErr = startCluster() })
	if startErr != nil {
		var missing errMissing
		if errors.As(startErr, &missing) && os.Getenv("CI") == "" {
			t.Skipf("pgtest: %v (install postgresql, e.g. tools/install-deps.sh, or set PGTEST_BINDIR)", startErr)
		}
		t.Fatalf("pgtest: %v", startErr)
	}
	name := fmt.Sprintf("t_%d", dbs.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, running.url("postgres"))
	if err != nil {
		t.Fatalf("pgtest: connect: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	return running.url(name)
}

// Dump returns pg_dump's plain-text dump of the database at dbURL (one
// that URL returned).
func Dump(t testing.TB, dbURL string) []byte {
	t.Helper()
	if running == nil {
		t.Fatal("pgtest: Dump before URL")
	}
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	cmd := running.command("pg_dump", "-h", running.dir, "-U", "postgres", "--no-owner", strings.TrimPrefix(u.Path, "/"))
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("pgtest: pg_dump: %v: %s", err, stderr.Bytes())
	}
	return out.Bytes()
}

func (c *cluster) url(db string) string {
	return (&url.URL{Scheme: "postgres", User: url.User("postgres"), Path: "/" + db,
		RawQuery: url.Values{"host": {c.dir}, "sslmode": {"disable"}}.Encode()}).String()
}

type errMissing struct{ what string }

func (e errMissing) Error() string { return e.what }

func findBindir() (string, error) {
	if d := os.Getenv("PGTEST_BINDIR"); d != "" {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err != nil {
			return "", errMissing{"PGTEST_BINDIR has no initdb"}
		}
		return d, nil
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		// PATH may hold links to a few of the programs (pg_dump missing):
		// use the directory they point into.
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		return filepath.Dir(p), nil
	}
	// Debian keeps them out of PATH, one directory per major version.
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int { return version(b) - version(a) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", errMissing{"PostgreSQL's initdb was not found"}
}

func version(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

func startCluster() (*cluster, error) {
	c, err := newCluster()
	if err != nil {
		return nil, err
	}
	if err := c.initdb(); err != nil {
		return nil, err
	}
	if err := c.startServer(filepath.Join(c.dir, "data")); err != nil {
		c.stop()
		return nil, err
	}
	return c, nil
}

// newCluster makes a cluster's directory (not yet a data directory),
// owned by the server's user.
func newCluster() (*cluster, error) {
	bindir, err := findBindir()
	if err != nil {
		return nil, err
	}
	removeStale()
	c := &cluster{bindir: bindir, exited: make(chan struct{})}
	// The server refuses to run as root: run it as postgres.
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, errMissing{"running as root and there is no postgres user to run the server as"}
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	if c.dir, err = os.MkdirTemp(baseDir(), fmt.Sprintf("%s%d-", dirPrefix, os.Getpid())); err != nil {
		return nil, err
	}
	if c.cred != nil {
		if err := os.Chown(c.dir, int(c.cred.Uid), int(c.cred.Gid)); err != nil {
			os.RemoveAll(c.dir)
			return nil, err
		}
	}
	return c, nil
}

// initdb makes the data directory; on failure the cluster's directory is
// removed.
func (c *cluster) initdb() error {
	// --no-sync: only initdb's own files go unsynced; the server keeps
	// fsync on, so commits cost what they cost in production.
	initdb := c.command("initdb", "-D", filepath.Join(c.dir, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions")
	if out, err := initdb.CombinedOutput(); err != nil {
		os.RemoveAll(c.dir)
		return fmt.Errorf("initdb: %v: %s", err, out)
	}
	return nil
}

// startServer runs postgres as a child, from a goroutine that keeps its
// OS thread: the parent-death signal follows the thread that started it.
// extra are more -c settings. The server leads its own process group, so
// that a kill of the group takes its backends too, as a crash would.
func (c *cluster) startServer(data string, extra ...string) error {
	logf, err := os.Create(filepath.Join(c.dir, "server.log"))
	if err != nil {
		return err
	}
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		args := []string{"-D", data, "-k", c.dir, "-c", "listen_addresses=",
			"-c", "max_connections=200", "-c", "shared_buffers=32MB"}
		for _, e := range extra {
			args = append(args, "-c", e)
		}
		c.cmd = c.command("postgres", args...)
		c.cmd.Stdout, c.cmd.Stderr = logf, logf
		c.cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
		c.cmd.SysProcAttr.Setpgid = true
		if err := c.cmd.Start(); err != nil {
			started <- err
			close(c.exited)
			return
		}
		started <- nil
		c.cmd.Wait()
		logf.Close()
		close(c.exited)
	}()
	if err := <-started; err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		conn, err := pgx.Connect(ctx, c.url("postgres"))
		cancel()
		if err == nil {
			conn.Close(context.Background())
			return nil
		}
		select {
		case <-c.exited:
			log, _ := os.ReadFile(filepath.Join(c.dir, "server.log"))
			return fmt.Errorf("postgres exited: %s", log)
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("postgres did not accept connections: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// command runs one of PostgreSQL's programs, as the server's user.
func (c *cluster) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(c.bindir, name), args...)
	cmd.Dir = baseDir() // a directory the server's user may enter
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	return cmd
}

// stop is pg_ctl stop -m immediate: SIGQUIT to the postmaster, whose
// data dies with the directory anyway.
func (c *cluster) stop() {
	if c.cmd != nil && c.cmd.Process != nil {
		c.cmd.Process.Signal(syscall.SIGQUIT)
		select {
		case <-c.exited:
		case <-time.After(10 * time.Second):
			c.cmd.Process.Kill()
			<-c.exited
		}
	}
	os.RemoveAll(c.dir)
}

// removeStale deletes the directories of runs whose process is gone (a
// test binary killed before Main could clean up).
func removeStale() {
	dirs, _ := filepath.Glob(filepath.Join(baseDir(), dirPrefix+"*"))
	for _, d := range dirs {
		pid, err := strconv.Atoi(strings.SplitN(strings.TrimPrefix(filepath.Base(d), dirPrefix), "-", 2)[0])
		if err != nil || pid == os.Getpid() {
			continue
		}
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			os.RemoveAll(d)
		}
	}
}
