// Package testenv builds what backend tests share: a real encrypted store in
// a temporary directory, a quiet logger and a clock that tests move by hand.
package testenv

import (
	"crypto/rand"
	"io"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"hostbound/backend/internal/pgtest"
	"hostbound/backend/store"
)

// Log returns a logger that discards everything.
func Log() *logrus.Logger {
	l := logrus.New()
	l.SetOutput(io.Discard)
	return l
}

// Key returns a random 32-byte master key.
func Key(t testing.TB) []byte {
	t.Helper()
	k := make([]byte, store.KeySize)
	if _, err := rand.Read(k); err != nil {
		t.Fatal(err)
	}
	return k
}

// Store opens a real encrypted store in a temporary directory, closed when
// the test ends. With HOSTBOUND_TEST_STORE=postgres it is a PostgreSQL
// store on a fresh database of a throwaway cluster instead (pgtest): the
// domain suites then run on that engine. A package without pgtest.Main
// leaves the cluster to die with the test binary; the next run removes
// its directory.
func Store(t testing.TB) *store.Store {
	t.Helper()
	var st *store.Store
	var err error
	switch engine := os.Getenv("HOSTBOUND_TEST_STORE"); engine {
	case "", "badger":
		st, err = store.Open(t.TempDir(), Key(t), Log())
	case "postgres":
		st, err = store.OpenPostgres(pgtest.URL(t), Key(t), Log())
	default:
		t.Fatalf("HOSTBOUND_TEST_STORE=%q: want badger or postgres", engine)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// Clock is a settable clock.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock starts at a fixed moment.
func NewClock() *Clock { return &Clock{now: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)} }

// Now returns the current fake time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
