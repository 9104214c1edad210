// Package testenv builds what backend tests share: a real encrypted store in
// a temporary directory, a quiet logger and a clock that tests move by hand.
package testenv

import (
	"crypto/rand"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

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
// the test ends.
func Store(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(t.TempDir(), Key(t), Log())
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
