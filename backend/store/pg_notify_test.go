package store

import (
	"context"
	crand "crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	neturl "net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/sirupsen/logrus"
	logtest "github.com/sirupsen/logrus/hooks/test"

	"hostbound/backend/internal/pgtest"
)

// eventually waits up to d for ok.
func eventually(t *testing.T, d time.Duration, what string, ok func() bool) {
	t.Helper()
	for end := time.Now().Add(d); !ok(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("not within %v: %s", d, what)
		}
	}
}

func notifier(s *Store) *pgNotifier { return s.eng.(*pgEngine).notify }

func put(t *testing.T, s *Store, key string) {
	t.Helper()
	if err := s.Update(func(tx *Txn) error { return tx.Put(key, record{"x", 1}) }); err != nil {
		t.Fatal(err)
	}
}

func TestPostgresAnotherNodesCommitMovesOnlyTheGenerationsOfItsPrefixes(t *testing.T) {
	t.Parallel()
	a, url, key := openPG(t)
	b := reopenPG(t, url, key)
	aUsers, aVault, aFence := a.Watch("users/"), a.Watch("vault/"), a.Watch("fence/")
	bUsers, bVault, bFence := b.Watch("users/"), b.Watch("vault/"), b.Watch("fence/")
	// fence returns once to has heard all that from committed before:
	// notifications arrive in commit order.
	fence := func(from *Store, to *Gen) {
		t.Helper()
		seen := to.LoadRemote()
		put(t, from, "fence/x")
		eventually(t, time.Second, "the fence is heard", func() bool { return to.LoadRemote() == seen+1 })
	}
	start := time.Now()
	put(t, a, "users/x")
	eventually(t, time.Second, "b's users generation moves", func() bool { return bUsers.LoadRemote() == 1 })
	t.Logf("b heard of a's commit %v after it began", time.Since(start))
	fence(a, bFence)
	if bUsers.Load() != 1 || bVault.Load() != 0 || bVault.LoadRemote() != 0 {
		t.Fatalf("b after a users write: users %d, vault %d/%d; want 1 and 0/0", bUsers.Load(), bVault.Load(), bVault.LoadRemote())
	}
	put(t, a, "vault/y")
	fence(a, bFence)
	if bVault.Load() != 1 || bVault.LoadRemote() != 1 || bUsers.Load() != 1 {
		t.Fatalf("b after a vault write: users %d, vault %d/%d; want 1 and 1/1", bUsers.Load(), bVault.Load(), bVault.LoadRemote())
	}
	// a heard its own notifications too, and skipped them: only its
	// commits moved its generations.
	fence(b, aFence)
	if aUsers.Load() != 1 || aUsers.LoadRemote() != 0 || aVault.Load() != 1 || aVault.LoadRemote() != 0 || aFence.Load() != 3 {
		t.Fatalf("a: users %d/%d, vault %d/%d, fence %d; want 1/0, 1/0, 3", aUsers.Load(), aUsers.LoadRemote(), aVault.Load(), aVault.LoadRemote(), aFence.Load())
	}
}

func TestPostgresTooManyPrefixesForOneNotificationMoveEverything(t *testing.T) {
	t.Parallel()
	a, url, key := openPG(t)
	b := reopenPG(t, url, key)
	many := make([]string, 600) // 600 tags of 17 bytes pass 8000
	for i := range many {
		many[i] = fmt.Sprintf("p%03d/", i)
	}
	a.Watch(many...)
	bVault := b.Watch("vault/")
	put(t, a, "p001/x")
	eventually(t, time.Second, `"all" moves b's vault generation`, func() bool { return bVault.LoadRemote() == 1 })
}

func TestPostgresAListenerThatLosesItsConnectionMovesEverythingUntilItIsBack(t *testing.T) {
	t.Parallel()
	a, url, key := openPG(t)
	// The server trusts local connections: the password is there to be
	// looked for in the logs.
	log, hook := logtest.NewNullLogger()
	log.SetLevel(logrus.DebugLevel)
	b, err := OpenPostgres(url+"&password=planted-pw", key, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	// A node announces the generations it watches itself: nodes run the
	// same wiring.
	a.Watch("users/")
	bUsers, bVault := b.Watch("users/"), b.Watch("vault/")
	// The listener cannot reconnect while the database takes no new
	// connections (the pools keep theirs). PostgreSQL changes that only
	// from another database.
	u, err := neturl.Parse(url)
	if err != nil {
		t.Fatal(err)
	}
	db := strings.TrimPrefix(u.Path, "/")
	u.Path = "/postgres"
	c := pgSQL(t, u.String())
	ctx := context.Background()
	allow := func(yes bool) {
		if _, err := c.Exec(ctx, fmt.Sprintf("ALTER DATABASE %s ALLOW_CONNECTIONS %t", db, yes)); err != nil {
			t.Fatal(err)
		}
	}
	allow(false)
	t.Cleanup(func() { allow(true) })
	n := notifier(b)
	pid := n.pid.Load()
	if _, err := c.Exec(ctx, "SELECT pg_terminate_backend($1)", int32(pid)); err != nil {
		t.Fatal(err)
	}
	eventually(t, time.Second, "the break moves every generation", func() bool {
		return bUsers.LoadRemote() >= 1 && bVault.LoadRemote() >= 1
	})
	down := bVault.LoadRemote()
	time.Sleep(3 * pgStaleTick)
	if moved := bVault.LoadRemote() - down; moved < 2 || bUsers.LoadRemote() < 3 {
		t.Fatalf("moved %d times in %v while down, want every %v", moved, 3*pgStaleTick, pgStaleTick)
	}
	if n.pid.Load() != 0 {
		t.Fatal("the listener reconnected to a database that takes no connections")
	}
	allow(true)
	eventually(t, 3*time.Second, "the listener reconnects", func() bool { return n.pid.Load() != 0 })
	if n.pid.Load() == pid {
		t.Fatal("the same backend: the listener did not reconnect")
	}
	time.Sleep(20 * time.Millisecond) // the move after LISTEN
	back := bUsers.LoadRemote()
	time.Sleep(2 * pgStaleTick)
	if got := bUsers.LoadRemote(); got != back {
		t.Fatalf("still moving after the listener is back: %d → %d", back, got)
	}
	put(t, a, "users/x")
	eventually(t, time.Second, "a remote commit is heard again", func() bool { return bUsers.LoadRemote() == back+1 })
	if bVault.LoadRemote() != back {
		t.Fatalf("vault moved on a users write: %d, want %d", bVault.LoadRemote(), back)
	}
	warned := false
	for _, e := range hook.AllEntries() {
		line, _ := e.String()
		if strings.Contains(line, "planted-pw") || strings.Contains(line, u.Host) && u.Host != "" {
			t.Errorf("a log line quotes the connection string: %s", line)
		}
		warned = warned || e.Level == logrus.WarnLevel
	}
	if !warned || len(hook.AllEntries()) < 3 {
		t.Fatalf("%d log entries, warned %t: want the break at warn and the retries", len(hook.AllEntries()), warned)
	}
}

func TestPostgresAListenerMovesEverythingWhenItBreaksAndAgainWhenItIsBack(t *testing.T) {
	t.Parallel()
	s, url, _ := openPG(t)
	g := s.Watch("users/")
	n := notifier(s)
	n.staleTick.Store(int64(time.Hour)) // only the two moves, no tick
	pid := n.pid.Load()
	if _, err := pgSQL(t, url).Exec(context.Background(), "SELECT pg_terminate_backend($1)", int32(pid)); err != nil {
		t.Fatal(err)
	}
	eventually(t, 2*time.Second, "the listener reconnects", func() bool { p := n.pid.Load(); return p != 0 && p != pid })
	eventually(t, time.Second, "two moves", func() bool { return g.LoadRemote() == 2 })
	time.Sleep(50 * time.Millisecond)
	if g.LoadRemote() != 2 || g.Load() != 2 {
		t.Fatalf("moved %d/%d times, want 2: when it broke and after LISTEN", g.Load(), g.LoadRemote())
	}
}

func TestPostgresNotificationsRevealNoPrefixNorMessage(t *testing.T) {
	t.Parallel()
	a, url, _ := openPG(t)
	a.Watch("users/")
	a.Watch("vault/res/")
	c := pgSQL(t, url)
	ctx := context.Background()
	if _, err := c.Exec(ctx, "LISTEN "+pgChannel+"; LISTEN "+pgMsgChannel); err != nil {
		t.Fatal(err)
	}
	if err := a.Update(func(tx *Txn) error {
		if err := tx.Put("users/planted-user", record{"x", 1}); err != nil {
			return err
		}
		return tx.Put("vault/res/planted-res", record{"x", 1})
	}); err != nil {
		t.Fatal(err)
	}
	if err := a.Publish("auth-failures", []byte("planted-message")); err != nil {
		t.Fatal(err)
	}
	var payloads []string
	for range 2 {
		wctx, cancel := context.WithTimeout(ctx, time.Second)
		nt, err := c.WaitForNotification(wctx)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		payloads = append(payloads, nt.Payload)
	}
	if f := strings.Fields(payloads[0]); len(f) != 3 {
		t.Fatalf("change payload %q: want a node id and two tags", payloads[0])
	}
	for _, p := range payloads {
		low := strings.ToLower(p)
		for _, s := range []string{"users", "vault", "res", "planted", "auth", "failures", "message"} {
			for _, form := range []string{s, hex.EncodeToString([]byte(s)), base64.StdEncoding.EncodeToString([]byte(s))[:4]} {
				if strings.Contains(low, strings.ToLower(form)) {
					t.Errorf("payload %q contains %q (as %q)", p, s, form)
				}
			}
		}
	}
}

// inbox collects what a subscriber receives.
type inbox struct {
	mu  sync.Mutex
	got []string
}

func (i *inbox) add(msg []byte) { i.mu.Lock(); i.got = append(i.got, string(msg)); i.mu.Unlock() }
func (i *inbox) list() []string {
	i.mu.Lock()
	defer i.mu.Unlock()
	return append([]string(nil), i.got...)
}

func TestPostgresPublishReachesTheOtherNodesSubscribersOfTheTopic(t *testing.T) {
	t.Parallel()
	log, hook := logtest.NewNullLogger()
	a, url, key := openPG(t)
	b, err := OpenPostgres(url, key, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	var aGot, bGot, bOther inbox
	a.Subscribe("fails", aGot.add)
	b.Subscribe("fails", bGot.add)
	b.Subscribe("other", bOther.add)
	for _, m := range []string{"one", "two"} {
		if err := a.Publish("fails", []byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, time.Second, "b receives both", func() bool { return len(bGot.list()) == 2 })
	if got := bGot.list(); got[0] != "one" || got[1] != "two" {
		t.Fatalf("b got %q", got)
	}

	// Forged and changed messages, sent as someone with access to the
	// database would, then a good one: when it arrives the bad ones
	// (sent before, on one session) were dropped.
	n, c := notifier(a), pgSQL(t, url)
	send := func(payload string) {
		if _, err := c.Exec(context.Background(), "SELECT pg_notify($1, $2)", pgMsgChannel, payload); err != nil {
			t.Fatal(err)
		}
	}
	node := "00000000000000ff"
	wrongTopic := node + " " + n.tag("topic", "other") + " " + n.sealMessage(node, "fails", []byte("moved"))
	good := n.sealMessage(node, "other", []byte("good"))
	raw, _ := base64.StdEncoding.DecodeString(good)
	raw[len(raw)-1] ^= 1
	changed := node + " " + n.tag("topic", "other") + " " + base64.StdEncoding.EncodeToString(raw)
	send(wrongTopic)
	send(changed)
	send(node + " " + n.tag("topic", "other") + " not-base64!")
	send(node + " " + n.tag("topic", "other") + " " + good)
	eventually(t, time.Second, "b receives the good message", func() bool { return len(bOther.list()) > 0 })
	if got := bOther.list(); len(got) != 1 || got[0] != "good" {
		t.Fatalf("b's other topic got %q, want only the good one", got)
	}
	drops := 0
	for _, e := range hook.AllEntries() {
		if e.Level == logrus.WarnLevel && strings.Contains(e.Message, "does not open") {
			drops++
		}
	}
	if drops != 3 {
		t.Fatalf("%d drops logged, want 3", drops)
	}
	// a heard its own messages (b's arrived after them) and skipped them.
	if err := b.Publish("fails", []byte("from b")); err != nil {
		t.Fatal(err)
	}
	eventually(t, time.Second, "a receives b's message", func() bool { return len(aGot.list()) == 1 })
	if got := aGot.list(); got[0] != "from b" || len(bGot.list()) != 2 {
		t.Fatalf("a got %q, b got %q", got, bGot.list())
	}
	if err := a.Publish("fails", make([]byte, 8000)); err == nil {
		t.Fatal("a message past the payload limit was taken")
	}
}

func TestBadgerPublishIsANoOp(t *testing.T) {
	t.Parallel()
	s, err := Open(t.TempDir(), newKey(t), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.Subscribe("fails", func([]byte) { t.Error("a message on the embedded engine") })
	if err := s.Publish("fails", []byte("x")); err != nil {
		t.Fatal(err)
	}
}

func TestPostgresCloseStopsTheListener(t *testing.T) {
	t.Parallel()
	s, _, _ := openPG(t)
	n := notifier(s)
	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Close did not return")
	}
	select {
	case <-n.done:
	default:
		t.Fatal("the listener goroutine is still running after Close")
	}
	if n.pid.Load() != 0 {
		t.Fatal("the listener connection is still open")
	}
}

func TestPostgresSessionsHaveTimeoutsUnlessTheURLSetsThem(t *testing.T) {
	t.Parallel()
	s, url, key := openPG(t)
	ctx := context.Background()
	show := func(s *Store, name string) string {
		var v string
		if err := s.eng.(*pgEngine).pool.QueryRow(ctx, "SHOW "+name).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	for name, want := range map[string]string{"statement_timeout": "30s", "lock_timeout": "30s", "idle_in_transaction_session_timeout": "1min"} {
		if got := show(s, name); got != want {
			t.Errorf("%s = %s, want %s", name, got, want)
		}
	}

	low := reopenPG(t, url+"&statement_timeout=300&options=-c%20lock_timeout%3D100", key)
	for name, want := range map[string]string{"statement_timeout": "300ms", "lock_timeout": "100ms", "idle_in_transaction_session_timeout": "1min"} {
		if got := show(low, name); got != want {
			t.Errorf("URL with a parameter and options: %s = %s, want %s", name, got, want)
		}
	}
	start := time.Now()
	if _, err := low.eng.(*pgEngine).pool.Exec(ctx, "SELECT pg_sleep(2)"); err == nil {
		t.Fatal("a statement past statement_timeout succeeded")
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("the statement ran %v under a 300 ms timeout", d)
	}
	// Another node holds the writers' lock: an Update waits under
	// lock_timeout, fails, and the next one (the lock free) commits.
	c := pgSQL(t, url)
	if _, err := c.Exec(ctx, "BEGIN"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(pgWriteLock)); err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	err := low.Update(func(tx *Txn) error { return tx.Put("rec/1", record{"x", 1}) })
	if pgErr := (*pgconn.PgError)(nil); !errors.As(err, &pgErr) || pgErr.Code != "55P03" {
		t.Fatalf("an Update while another transaction holds the lock: %v, want lock_not_available", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("the Update waited %v for the lock under a 100 ms lock_timeout", d)
	}
	if _, err := c.Exec(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	put(t, low, "rec/1")
	var got record
	if err := low.View(func(tx *Txn) error { return tx.Get("rec/1", &got) }); err != nil || got.Name != "x" {
		t.Fatalf("after the timeouts: %+v, %v", got, err)
	}
}

// BenchmarkPostgresUpdate: what announcing a commit to other nodes costs
// (one more round trip inside the transaction, a NOTIFY).
func BenchmarkPostgresUpdate(b *testing.B) {
	for _, watched := range []bool{false, true} {
		b.Run(fmt.Sprintf("watched=%t", watched), func(b *testing.B) {
			url, key := pgtest.URL(b), make([]byte, KeySize)
			crand.Read(key)
			var stores []*Store
			for range 2 {
				s, err := OpenPostgres(url, key, quietLog())
				if err != nil {
					b.Fatal(err)
				}
				b.Cleanup(func() { s.Close() })
				stores = append(stores, s)
			}
			if watched {
				stores[0].Watch("bench/")
				stores[1].Watch("bench/")
			}
			for i := 0; b.Loop(); i++ {
				if err := stores[0].Update(func(tx *Txn) error { return tx.Put("bench/"+Num(uint64(i%100)), record{"x", i}) }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
