package pgtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Pair is a primary and a standby that streams from it synchronously: a
// commit the primary acknowledges is flushed on both. It is the test's
// own, apart from the package's shared cluster; t's cleanup stops it.
type Pair struct {
	t                testing.TB
	primary, standby *cluster
}

// pairDB is the database URL points at, made on the primary before the
// standby is copied from it.
const pairDB = "hostbound"

// StartReplicated starts a pair: initdb and a primary (wal_level=replica,
// synchronous_commit=on), then a standby made with pg_basebackup -R, then
// synchronous_standby_names='*' on the primary, and returns once the
// standby streams as the synchronous one. Missing binaries skip t, or fail it when CI is set.
func StartReplicated(t testing.TB) *Pair {
	t.Helper()
	began := time.Now()
	fail := func(err error) {
		t.Helper()
		var missing errMissing
		if errors.As(err, &missing) && os.Getenv("CI") == "" {
			t.Skipf("pgtest: %v (install postgresql, e.g. tools/install-deps.sh, or set PGTEST_BINDIR)", err)
		}
		t.Fatalf("pgtest: %v", err)
	}
	p := &Pair{t: t}
	t.Cleanup(func() {
		for _, c := range []*cluster{p.primary, p.standby} {
			if c != nil && c.cmd != nil {
				c.signalAll(t, syscall.SIGCONT) // a paused standby's children heed stop's SIGQUIT only then
			}
			if c != nil {
				c.stop()
			}
		}
	})
	var err error
	if p.primary, err = newCluster(); err != nil {
		fail(err)
	}
	if err := p.primary.initdb(); err != nil {
		fail(err)
	}
	initdb := time.Now()
	if err := p.primary.startServer(filepath.Join(p.primary.dir, "data"),
		"wal_level=replica", "max_wal_senders=4", "synchronous_commit=on"); err != nil {
		fail(fmt.Errorf("primary: %w", err))
	}
	primary := time.Now()
	if err := p.primary.exec("postgres", "CREATE DATABASE "+pairDB); err != nil {
		fail(err)
	}
	if p.standby, err = newCluster(); err != nil {
		fail(err)
	}
	data := filepath.Join(p.standby.dir, "data")
	// -R writes primary_conninfo and standby.signal; -c fast: no wait for
	// a spread checkpoint.
	bb := p.standby.command("pg_basebackup", "-D", data, "-h", p.primary.dir, "-U", "postgres", "-R", "-X", "stream", "-c", "fast", "--no-sync")
	if out, err := bb.CombinedOutput(); err != nil {
		fail(fmt.Errorf("pg_basebackup: %v: %s", err, out))
	}
	copied := time.Now()
	// No synchronous_standby_names here: once promoted, it runs alone and
	// must not wait for a standby it does not have.
	if err := p.standby.startServer(data, "hot_standby=on"); err != nil {
		fail(fmt.Errorf("standby: %w", err))
	}
	// Synchronous from now on; not before, when a commit (CREATE DATABASE)
	// would wait for a standby still to come. ALTER SYSTEM, as a setting
	// on the command line could not be changed; the standby's copy of
	// postgresql.auto.conf is already made.
	for _, q := range []string{"ALTER SYSTEM SET synchronous_standby_names = '*'", "SELECT pg_reload_conf()"} {
		if err := p.primary.exec("postgres", q); err != nil {
			fail(err)
		}
	}
	if err := p.primary.waitFor("SELECT count(*) > 0 FROM pg_stat_replication WHERE state = 'streaming' AND sync_state = 'sync'"); err != nil {
		fail(fmt.Errorf("the standby does not stream synchronously: %w", err))
	}
	t.Logf("pgtest: pair started in %v (initdb %v, primary %v, pg_basebackup %v, standby streaming %v)",
		time.Since(began).Round(time.Millisecond), initdb.Sub(began).Round(time.Millisecond),
		primary.Sub(initdb).Round(time.Millisecond), copied.Sub(primary).Round(time.Millisecond),
		time.Since(copied).Round(time.Millisecond))
	return p
}

// URL is the connection string of the pair's database on both servers:
// pgx tries the hosts in order and takes the one that accepts writes.
func (p *Pair) URL() string {
	return (&url.URL{Scheme: "postgres", User: url.User("postgres"), Path: "/" + pairDB,
		RawQuery: url.Values{
			"host":                 {p.primary.dir + "," + p.standby.dir},
			"port":                 {"5432,5432"},
			"target_session_attrs": {"read-write"},
			"sslmode":              {"disable"},
		}.Encode()}).String()
}

// StandbyURL is the connection string of the pair's database on the
// standby alone (after Promote, the primary).
func (p *Pair) StandbyURL() string { return p.standby.url(pairDB) }

// KillPrimary kills the primary's postmaster and its backends with
// SIGKILL, as a crash of its machine would, and waits until it is gone.
// They are stopped first, so that none sees another die and reacts.
func (p *Pair) KillPrimary() {
	p.t.Helper()
	p.primary.signalAll(p.t, syscall.SIGSTOP)
	p.primary.signalAll(p.t, syscall.SIGKILL)
	<-p.primary.exited
	p.t.Logf("pgtest: primary killed")
}

// PauseStandby stops the standby's processes (SIGSTOP), as a standby or
// network too slow to keep up would: with synchronous commit the
// primary's commits wait; without, they would run ahead of the standby.
func (p *Pair) PauseStandby() { p.standby.signalAll(p.t, syscall.SIGSTOP) }

// ResumeStandby lets the standby's processes go on (SIGCONT).
func (p *Pair) ResumeStandby() { p.standby.signalAll(p.t, syscall.SIGCONT) }

// signalAll signals the postmaster and its children. Not its process
// group: each child of the postmaster leads a group of its own (setsid).
func (c *cluster) signalAll(t testing.TB, sig syscall.Signal) {
	t.Helper()
	pid := c.cmd.Process.Pid
	pids := append([]int{pid}, children(pid)...)
	for _, p := range pids {
		if err := syscall.Kill(p, sig); err != nil && !errors.Is(err, syscall.ESRCH) {
			t.Fatalf("pgtest: %v to a server process: %v", sig, err)
		}
	}
}

// children lists the processes whose parent is pid (Linux's /proc).
func children(pid int) []int {
	var out []int
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // gone meanwhile
		}
		// pid (comm) state ppid …; comm may hold spaces and parentheses.
		rest := string(b[bytes.LastIndexByte(b, ')')+1:])
		var state string
		var ppid int
		if _, err := fmt.Sscan(rest, &state, &ppid); err == nil && ppid == pid {
			n, _ := strconv.Atoi(filepath.Base(filepath.Dir(f)))
			out = append(out, n)
		}
	}
	return out
}

// Promote promotes the standby and returns once it accepts writes.
func (p *Pair) Promote() {
	p.t.Helper()
	began := time.Now()
	if err := p.standby.exec("postgres", "SELECT pg_promote(true, 60)"); err != nil {
		p.t.Fatalf("pgtest: promote: %v", err)
	}
	if err := p.standby.waitFor("SELECT NOT pg_is_in_recovery()"); err != nil {
		p.t.Fatalf("pgtest: promote: %v", err)
	}
	p.t.Logf("pgtest: standby promoted in %v", time.Since(began).Round(time.Millisecond))
}

// exec runs sql on db.
func (c *cluster) exec(db, sql string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.url(db))
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("%s: %w", strings.Fields(sql)[0], err)
	}
	return nil
}

// waitFor polls query (one boolean) until it is true, for up to 60 s.
func (c *cluster) waitFor(query string) error {
	deadline := time.Now().Add(60 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		var ok bool
		conn, err := pgx.Connect(ctx, c.url("postgres"))
		if err == nil {
			err = conn.QueryRow(ctx, query).Scan(&ok)
			conn.Close(ctx)
		}
		cancel()
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not true after 60 s: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
