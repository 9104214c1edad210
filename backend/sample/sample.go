// Package sample is the "Explore with sample data" of the first-run
// screen: a data directory of made-up resources, accounts, API users on
// example hosts and a week of audit history that a person evaluating
// Hostbound can click through, then leave or discard.
//
// The sample lives in a directory of its own, a sibling of the real data
// directory named "<real base> sample data" (Dir); nothing here creates,
// opens or writes the real one. Its master key is wrapped with a random
// passphrase kept in a file inside the sample directory: that protects
// nothing, and need not, because nothing in it is real. No OS keyring is
// used. Host names resolve through a static table (DNS), so the sample
// works offline and never asks the network about example hosts.
//
// Seed fills a fresh store through the domain services, with a Clock that
// it sets back to backdate what it writes; the audit chain is written the
// ordinary way and verifies.
package sample

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"hostbound/backend/core"
	"hostbound/backend/datadir"
	"hostbound/backend/masterkey"
	"hostbound/backend/users"
)

// Suffix ends the sample directory's name.
const Suffix = " sample data"

const (
	// passphraseFile holds the sample's unlock passphrase (0600). It is
	// sample data: the passphrase guards nothing real.
	passphraseFile = "sample-passphrase"
	// seededFile marks a sample that Seed finished; a directory without it
	// is a half-made sample (a crash while seeding) and is made again.
	seededFile = "sample-seeded"
)

// Dir is the sample directory of the real data directory realDir: its
// sibling "<base> sample data".
func Dir(realDir string) string {
	realDir = filepath.Clean(realDir)
	return filepath.Join(filepath.Dir(realDir), filepath.Base(realDir)+Suffix)
}

// Exists tells whether the sample of realDir was made and can be opened
// again.
func Exists(realDir string) bool {
	_, err := os.Stat(filepath.Join(Dir(realDir), seededFile))
	return err == nil
}

// Config is what opening the sample needs.
type Config struct {
	Log logrus.FieldLogger
	// Now is the real clock; the sample's services run on it once seeded.
	Now func() time.Time
	// Hasher hashes the sample administrator's (random, unused) password;
	// zero: users.DefaultHasher.
	Hasher users.Hasher
}

// Open opens the sample of realDir, making and seeding it first when there
// is none (or only a half-made one). The lifecycle it returns is open; its
// owner closes it.
func Open(realDir string, c Config) (*core.Lifecycle, error) {
	dir := Dir(realDir)
	if !Exists(realDir) {
		if err := os.RemoveAll(dir); err != nil {
			return nil, fmt.Errorf("remove a half-made sample: %w", err)
		}
	}
	if err := datadir.Ensure(dir); err != nil {
		return nil, fmt.Errorf("sample data directory: %w", err)
	}
	if c.Hasher == (users.Hasher{}) {
		c.Hasher = users.DefaultHasher
	}
	clk := NewClock(c.Now)
	// No OS keyring: the lifecycle falls back to the passphrase mode.
	kr := masterkey.NewMemoryKeyring()
	kr.Err = fmt.Errorf("%w: sample data keeps its key in a file", masterkey.ErrKeyringUnavailable)
	life := core.NewLifecycle(dir, kr, core.Config{Log: c.Log, Clock: clk.Now, Hasher: c.Hasher, Resolver: DNS})
	fail := func(err error) (*core.Lifecycle, error) {
		_ = life.Close()
		return nil, err
	}
	switch phase := life.Start(); phase {
	case core.PhaseSetup:
		pass := rand.Text()
		if err := writePrivate(filepath.Join(dir, passphraseFile), pass); err != nil {
			return fail(fmt.Errorf("write the sample passphrase: %w", err))
		}
		if err := life.CreateKey(pass, pass); err != nil {
			return fail(fmt.Errorf("create the sample master key: %w", err))
		}
		svc := life.Services()
		if svc == nil {
			return fail(errors.New("sample store did not open: " + life.State().LockedReason))
		}
		if err := Seed(svc, clk); err != nil {
			return fail(fmt.Errorf("seed the sample: %w", err))
		}
		if err := writePrivate(filepath.Join(dir, seededFile), "seeded\n"); err != nil {
			return fail(fmt.Errorf("mark the sample seeded: %w", err))
		}
	case core.PhaseUnlock:
		b, err := os.ReadFile(filepath.Join(dir, passphraseFile))
		if err != nil {
			return fail(fmt.Errorf("read the sample passphrase: %w", err))
		}
		if err := life.Unlock(strings.TrimSpace(string(b))); err != nil {
			return fail(fmt.Errorf("unlock the sample: %w", err))
		}
	default:
		return fail(fmt.Errorf("sample data cannot be opened: %s", life.State().LockedReason))
	}
	return life, nil
}

// Discard deletes the sample of realDir (closed first by its owner). It
// removes nothing but a directory named "<base> sample data".
func Discard(realDir string) error {
	dir := Dir(realDir)
	if !strings.HasSuffix(filepath.Base(dir), Suffix) || filepath.Clean(realDir) == dir {
		return fmt.Errorf("refusing to delete %q: not a sample data directory", dir)
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("discard the sample: %w", err)
	}
	return nil
}

// Clock is the sample's clock: the real one, unless Seed has set it to a
// time in the past.
type Clock struct {
	base func() time.Time
	mu   sync.Mutex
	at   time.Time // zero: follow base
}

// NewClock returns a clock that follows base.
func NewClock(base func() time.Time) *Clock { return &Clock{base: base} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at.IsZero() {
		return c.at
	}
	return c.base()
}

// Set holds the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.at = t
}

// Release lets the clock follow the real one again.
func (c *Clock) Release() { c.Set(time.Time{}) }

// dnsTable is a static resolver of the sample's example hosts.
type dnsTable map[string][]netip.Addr

// DNS resolves the sample's host names to documentation addresses, and
// nothing else: the sample never asks real DNS.
var DNS = dnsTable{
	"build01.example.com": {netip.MustParseAddr("192.0.2.11")},
	"mon01.example.com":   {netip.MustParseAddr("192.0.2.30")},
	"tf.example.com":      {netip.MustParseAddr("198.51.100.60")},
}

func (d dnsTable) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	if a, ok := d[strings.ToLower(host)]; ok {
		return a, nil
	}
	return nil, fmt.Errorf("%s: not a sample host", host)
}

// writePrivate writes text to path with mode 0600.
func writePrivate(path, text string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
