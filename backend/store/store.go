// Package store is Hostbound's encrypted key-value store: JSON values in
// transactions over an engine (engine.go). The embedded engine is Badger v4
// with every table and value-log file encrypted under the 32-byte master
// key (badger.go).
//
// Every acknowledged write is durable (commit.go: one committer, one sync
// per group of commits, after them), and the engines' failure modes are
// this package's sentinel errors: a wrong key is ErrWrongKey, a second
// process on the same directory is ErrAlreadyRunning. Neither touches the
// files on disk.
package store

import (
	"fmt"
	"sync"

	"github.com/sirupsen/logrus"
)

// KeySize is the size of the master key in bytes (AES-256).
const KeySize = 32

// Store is an open, unlocked database.
type Store struct {
	eng   engine
	queue chan *pending
	// closeMu keeps Close from closing queue while an Update sends on it.
	closeMu   sync.RWMutex
	closed    bool
	committed chan struct{} // closed when the committer has stopped
	watchSet
}

// Open opens (or creates) the database in dir with the master key.
func Open(dir string, key []byte, log logrus.FieldLogger) (*Store, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("open store: master key is %d bytes, want %d", len(key), KeySize)
	}
	e, err := openBadger(dir, key, log)
	if err != nil {
		return nil, err
	}
	return start(e), nil
}

// start runs the committer over an open engine.
func start(e engine) *Store {
	s := &Store{eng: e, queue: make(chan *pending, maxBatch), committed: make(chan struct{})}
	go s.committer()
	return s
}

// Close waits for queued writes, then flushes and closes the database.
func (s *Store) Close() error {
	s.closeMu.Lock()
	if s.closed {
		s.closeMu.Unlock()
		return nil
	}
	s.closed = true
	close(s.queue)
	s.closeMu.Unlock()
	<-s.committed
	if err := s.eng.close(); err != nil {
		return fmt.Errorf("close store: %w", err)
	}
	return nil
}

// Update runs fn in a read-write transaction and commits it if fn returns
// nil: everything fn wrote lands together, or nothing does. When Update
// returns nil, the writes are on disk (synced).
//
// Writes go through one committer (see commit.go) that runs the functions
// waiting at that moment one after another in a single transaction and
// commits them with one sync: each sees the writes of those before it
// (so the audit chain's head moves on correctly), a function that fails is
// taken out and the others run again, and the cost of the fsync is shared.
func (s *Store) Update(fn func(*Txn) error) error {
	s.closeMu.RLock()
	if s.closed {
		s.closeMu.RUnlock()
		return ErrClosed
	}
	p := &pending{fn: fn, done: make(chan error, 1)}
	s.queue <- p
	s.closeMu.RUnlock()
	return <-p.done
}

// View runs fn in a read-only transaction.
func (s *Store) View(fn func(*Txn) error) error {
	t, err := s.eng.begin(false)
	if err != nil {
		return err
	}
	defer t.discard()
	return fn(&Txn{t: t, readOnly: true})
}

// Size returns the bytes the database takes now.
func (s *Store) Size() int64 { return s.eng.size() }
