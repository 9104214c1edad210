package store

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/sirupsen/logrus"

	"hostbound/backend/applog"
)

// maxValueThreshold is Badger's largest ValueThreshold (1 MiB): larger
// values go to the value log whatever the option says.
const maxValueThreshold = 1 << 20

// badgerEngine is the embedded engine: Badger v4 with every table and
// value-log file encrypted under the master key.
type badgerEngine struct {
	dir  string
	db   *badger.DB
	redo *redoLog
	led  *ledger
	vers *versions // Badger runs managed: the engine numbers commits
	log  logrus.FieldLogger
	// stop ends the checkpointer, which closes stopped.
	stop, stopped chan struct{}
	stopOnce      sync.Once
	// spaceOK is when checkSpace last found room to spare (UnixNano).
	spaceOK atomic.Int64
}

// openBadger opens (or creates) the Badger database in dir.
func openBadger(dir string, key []byte, log logrus.FieldLogger) (*badgerEngine, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	opts := badger.DefaultOptions(dir).
		WithEncryptionKey(key).
		// Durability is the redo log's (redo.go): Badger writes without
		// syncing and syncs only at checkpoints. Values stay in the LSM
		// tree's logs (ValueThreshold at Badger's maximum): Badger does
		// not sync a value log file it rotates unless SyncWrites is on, so
		// with it off no value may live in one.
		WithSyncWrites(false).
		// One writer (the committer) commits one transaction at a time:
		// no two can conflict, so Badger need not hash and track every
		// key written for conflict checks.
		WithDetectConflicts(false).
		WithLogger(applog.Badger{L: log.WithField("component", "badger")}).
		WithMemTableSize(8 << 20).
		WithNumMemtables(2).
		WithNumLevelZeroTables(2).
		WithNumLevelZeroTablesStall(8).
		WithValueLogFileSize(64 << 20).
		WithValueThreshold(maxValueThreshold).
		// Both caches must be non-zero with encryption, or a background
		// goroutine panics later (measured). Little reads through them:
		// the retrieval path is cached above (authCache, revealcache) and
		// the users index is read once at start. 16 MiB of blocks held
		// 15 MiB live at 100,000 users; 4 MiB holds 2 (issue 14). The
		// index cache fills to ~1 MiB there: its cap costs nothing.
		WithBlockCacheSize(4 << 20).
		WithIndexCacheSize(8 << 20).
		WithNumCompactors(2).
		// Compactions hold their table builders in memory: 1 MiB tables
		// (default 2) cut the peak heap under sustained writes by ~40%
		// (measured: 132 → 78 MiB after 80k audited requests).
		WithBaseTableSize(1 << 20).
		WithBaseLevelSize(4 << 20)
	db, err := badger.OpenManaged(opts)
	switch {
	case errors.Is(err, badger.ErrEncryptionKeyMismatch):
		// Badger returns a half-open db here; closing it would write. Leave it.
		return nil, ErrWrongKey
	case err != nil && isLockError(err):
		return nil, ErrAlreadyRunning
	case err != nil:
		return nil, fmt.Errorf("open store: %w", err)
	}
	// MaxVersion also continues a store Badger numbered itself (before
	// managed mode): its versions are the same kind of number.
	e := &badgerEngine{dir: dir, db: db, log: log, vers: newVersions(db.MaxVersion()), stop: make(chan struct{}), stopped: make(chan struct{})}
	if e.led, err = openLedger(dir, key); err != nil {
		db.Close()
		return nil, err
	}
	if c := e.led.tailCut; c.size > 0 {
		// Not an error: a crash leaves this, and the replay below appends
		// what the redo log holds of it. Damage there looks the same, so
		// it is said.
		e.log.WithFields(logrus.Fields{"segment": c.segment, "offset": c.off, "bytes": c.size}).Warn("ledger: cut off the end of the last segment, which does not open (a record cut short when the process stopped, or damage)")
	}
	if err := e.findLegacy(); err != nil {
		e.led.close()
		db.Close()
		return nil, err
	}
	if err := e.recover(key); err != nil {
		e.led.close()
		db.Close()
		return nil, err
	}
	go e.checkpointer()
	return e, nil
}

// recover replays the redo log into Badger: every commit since the last
// checkpoint, in order (some or all of them may be in Badger already;
// applying them again in order ends in the same state).
func (e *badgerEngine) recover(key []byte) error {
	r, segs, err := openRedo(e.dir, key)
	if err != nil {
		return err
	}
	total := 0
	for _, seg := range segs {
		n, tail, err := r.readSegment(seg, e.apply)
		if err != nil {
			return fmt.Errorf("open store: %w", err)
		}
		if tail {
			e.log.WithField("segment", filepath.Base(seg)).Info("redo log: replay of a segment ended at a record that does not open (cut short when the process stopped, or an earlier use of a recycled file); nothing after it was acknowledged")
		}
		total += n
	}
	if total > 0 {
		e.log.WithFields(logrus.Fields{"records": total, "segments": len(segs)}).Info("store: replayed the redo log")
	}
	r.old = segs
	e.redo = r
	return nil
}

// findLegacy notes, per append-only prefix, the greatest number of its
// keys in Badger (written before the ledger): those stay there.
func (e *badgerEngine) findLegacy() error {
	return e.db.View(func(t *badger.Txn) error {
		for i, p := range appendOnly {
			it := t.NewIterator(badger.IteratorOptions{Prefix: []byte(p), Reverse: true})
			for it.Seek([]byte(p + "\xff")); it.Valid(); it.Next() {
				if list, seq, ok := ledgerKey(string(it.Item().Key())); ok && list == i {
					l := &e.led.lists[i]
					l.legacyMax, l.hasLegacy = seq, true
					if st := l.state.Load(); st.count() > 0 && st.first <= seq {
						it.Close()
						return fmt.Errorf("open store: %s: number %d is both in Badger and in the ledger", p, st.first)
					}
					break
				}
			}
			it.Close()
		}
		return nil
	})
}

// apply commits one replayed transaction to Badger and the ledger. A key
// the ledger has already is skipped; the next one is appended.
func (e *badgerEngine) apply(ops []redoOp) error {
	t := e.db.NewTransactionAt(e.vers.last, true) // at open: nothing reads yet
	defer t.Discard()
	lx := ledgerTxn{l: e.led, view: e.led.view()}
	for _, op := range ops {
		var err error
		if list, seq, ok := lx.inLedger(op.key); ok {
			if p := lx.view[list].at(seq); !op.delete && p != absent {
				had := false
				_ = lx.open(p, func(k, v []byte) error {
					had = string(k) == op.key && bytes.Equal(v, op.value)
					return nil
				})
				if had {
					continue // the ledger has it
				}
			}
			if err := lx.write(list, seq, op.key, op.value, op.delete); err != nil {
				return fmt.Errorf("replay: %w", err)
			}
			continue
		}
		if op.delete {
			err = t.Delete([]byte(op.key))
		} else {
			err = t.Set([]byte(op.key), op.value)
		}
		if err != nil {
			return fmt.Errorf("replay: %w", err)
		}
	}
	if len(lx.pend) > 0 {
		_, pos, err := e.led.append(lx.pend)
		if err != nil {
			return fmt.Errorf("replay: %w", err)
		}
		e.led.publish(lx.view, lx.pend, pos)
	}
	ts := e.vers.reserve()
	if err := t.CommitAt(ts, nil); err != nil {
		return err
	}
	e.vers.committed(ts, func() {})
	return nil
}

// checkpointEvery is how often the redo log is rotated and the segments
// Badger has made durable are removed: about a second of commits is
// replayed after a crash.
const checkpointEvery = time.Second

func (e *badgerEngine) stopCheckpoints() {
	e.stopOnce.Do(func() { close(e.stop) })
	<-e.stopped
}

func (e *badgerEngine) checkpointer() {
	defer close(e.stopped)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-e.stop:
			return
		case <-t.C:
		}
		e.allowDiscard()
		if err := e.checkpoint(); err != nil {
			e.log.WithError(err).Warn("store: checkpoint failed; the redo log is kept")
		}
	}
}

// allowDiscard lets compactions drop the versions no transaction reads
// any more (managed Badger keeps every version until told).
func (e *badgerEngine) allowDiscard() { e.db.SetDiscardTs(e.vers.discardable()) }

// checkpoint rotates the redo log, then removes the rotated segments once
// Badger holds their commits durably: its one memtable's log synced, and
// no older memtable waiting for its flush (Badger does not sync a
// memtable's log when it rotates it; the flush writes a synced table).
func (e *badgerEngine) checkpoint() error {
	e.redo.rotate()
	old := e.redo.oldSegments()
	if len(old) == 0 {
		return nil
	}
	before, err := memtableLogs(e.dir)
	if err != nil || len(before) != 1 {
		return err
	}
	if err := e.db.Sync(); err != nil {
		return err
	}
	after, err := memtableLogs(e.dir)
	if err != nil || !slices.Equal(before, after) {
		return err
	}
	if err := e.led.sync(); err != nil {
		return err
	}
	return e.redo.removeOld(old)
}

// memtableLogs lists Badger's memtable log files (NNNNN.mem).
func memtableLogs(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var mems []string
	for _, ent := range ents {
		if strings.HasSuffix(ent.Name(), ".mem") {
			mems = append(mems, ent.Name())
		}
	}
	return mems, nil
}

// isLockError recognises Badger's directory-lock failure, which it reports
// only as text.
func isLockError(err error) bool {
	s := err.Error()
	return strings.Contains(s, "Cannot acquire directory lock") || strings.Contains(s, "resource temporarily unavailable")
}

func (e *badgerEngine) begin(update bool) (etxn, error) {
	x := &badgerTxn{e: e, led: ledgerTxn{l: e.led}}
	x.readTs = e.vers.read(func() { x.led.view = e.led.view() })
	x.t = e.db.NewTransactionAt(x.readTs, update)
	return x, nil
}

// close stops the checkpoints and closes Badger, which flushes its
// memtables: the redo log is then no longer needed.
func (e *badgerEngine) close() error {
	e.stopCheckpoints()
	e.redo.close()
	if err := e.db.Close(); err != nil {
		e.led.close()
		return err
	}
	if err := e.led.close(); err != nil {
		return err
	}
	return e.redo.removeOld(e.redo.oldSegments())
}

// size counts blocks allocated, not apparent sizes (Badger's own figure
// lags a minute and counts the preallocated value log).
func (e *badgerEngine) size() int64 {
	var n int64
	_ = filepath.WalkDir(e.dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += allocated(fi)
			}
		}
		return nil
	})
	return n
}

// badgerTxn is a Badger transaction that keeps its writes for the redo log.
type badgerTxn struct {
	t      *badger.Txn
	e      *badgerEngine
	readTs uint64
	ended  bool // readTs is no longer read (committed or discarded)
	ops    []redoOp
	led    ledgerTxn
}

// end discards the Badger transaction and stops counting it as a reader.
func (x *badgerTxn) end() {
	x.t.Discard()
	if !x.ended {
		x.ended = true
		x.e.vers.done(x.readTs)
	}
}

func (x *badgerTxn) get(key string, fn func([]byte) error) error {
	if list, seq, ok := x.led.inLedger(key); ok {
		return x.led.get(list, seq, key, fn)
	}
	item, err := x.t.Get([]byte(key))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	return item.Value(fn)
}

func (x *badgerTxn) set(key string, value []byte) error {
	if list, seq, ok := x.led.inLedger(key); ok {
		if err := x.led.write(list, seq, key, value, false); err != nil {
			return err
		}
		x.ops = append(x.ops, redoOp{key: key, value: value})
		return nil
	}
	if err := x.t.Set([]byte(key), value); err != nil {
		return tooBig(err)
	}
	x.ops = append(x.ops, redoOp{key: key, value: value})
	return nil
}

func (x *badgerTxn) delete(key string) error {
	if list, seq, ok := x.led.inLedger(key); ok {
		if err := x.led.write(list, seq, key, nil, true); err != nil {
			return err
		}
		x.ops = append(x.ops, redoOp{key: key, delete: true})
		return nil
	}
	if err := x.t.Delete([]byte(key)); err != nil {
		return tooBig(err)
	}
	x.ops = append(x.ops, redoOp{key: key, delete: true})
	return nil
}

// tooBig turns Badger's ErrTxnTooBig into the store's.
func tooBig(err error) error {
	if errors.Is(err, badger.ErrTxnTooBig) {
		return fmt.Errorf("%w: %w", errTxnTooBig, err)
	}
	return err
}

func (x *badgerTxn) scan(prefix, start string, reverse, keysOnly bool, fn func(string, func(func([]byte) error) error) (bool, error)) error {
	opts := badger.IteratorOptions{Prefix: []byte(prefix), Reverse: reverse}
	if !keysOnly {
		opts.PrefetchValues, opts.PrefetchSize = true, 64
	}
	it := x.t.NewIterator(opts)
	defer it.Close()
	if reverse {
		it.Seek([]byte(start))
	} else {
		it.Rewind()
	}
	if lists := x.led.lists(prefix); len(lists) > 0 {
		srcs := []scanSource{&badgerSource{it: it, keysOnly: keysOnly}}
		for _, l := range lists {
			s, err := x.led.source(l, prefix, start, reverse, keysOnly)
			if err != nil {
				return err
			}
			defer s.release()
			srcs = append(srcs, s)
		}
		return mergeScan(srcs, reverse, fn)
	}
	for ; it.Valid(); it.Next() {
		item := it.Item()
		var value func(func([]byte) error) error
		if !keysOnly {
			value = item.Value
		}
		more, err := fn(string(item.Key()), value)
		if err != nil || !more {
			return err
		}
	}
	return nil
}

// commit appends the writes to the redo log (synced), then commits them to
// Badger: when it returns nil they are durable. A commit Badger refuses is
// taken out of the log again.
func (x *badgerTxn) commit() error {
	defer x.end()
	if len(x.ops) == 0 {
		return nil
	}
	r := x.e.redo
	r.mu.Lock()
	defer r.mu.Unlock()
	start := r.off
	if err := r.append(x.ops); err != nil {
		x.t.Discard()
		return err
	}
	undo := func(err error) {
		if r.f != nil && r.off > start {
			r.off = start
			_ = r.undo(err)
		}
	}
	var mark ledgerMark
	var pos []uint64
	if len(x.led.pend) > 0 {
		var err error
		started := time.Now()
		mark, pos, err = x.e.led.append(x.led.pend)
		commitTimes.add(phaseLedger, started)
		if err != nil {
			x.t.Discard()
			undo(err)
			return err
		}
	}
	ts := x.e.vers.reserve()
	started := time.Now()
	err := x.t.CommitAt(ts, nil)
	commitTimes.add(phaseBadger, started)
	if err != nil {
		if len(x.led.pend) > 0 {
			x.e.led.undo(mark)
		}
		undo(err)
		return tooBig(err)
	}
	// The ledger's part first, under the same lock as begin's: a
	// transaction that reads this commit in Badger sees its ledger keys.
	x.e.vers.committed(ts, func() {
		if len(x.led.pend) > 0 {
			x.e.led.publish(x.led.view, x.led.pend, pos)
		}
	})
	return nil
}

func (x *badgerTxn) discard() { x.end() }

// badgerSource is a Badger iterator as a stream of a merged scan.
type badgerSource struct {
	it       *badger.Iterator
	keysOnly bool
	k        string
	kOK      bool
}

func (s *badgerSource) valid() bool { return s.it.Valid() }

func (s *badgerSource) key() string {
	if !s.kOK {
		s.k, s.kOK = string(s.it.Item().Key()), true
	}
	return s.k
}

func (s *badgerSource) value() func(func([]byte) error) error {
	if s.keysOnly {
		return nil
	}
	return s.it.Item().Value
}

func (s *badgerSource) next() error {
	s.it.Next()
	s.kOK = false
	return nil
}
