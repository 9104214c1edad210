package store

import (
	"errors"
	"fmt"
	"time"
)

// maxBatch bounds how many writers share one commit.
const maxBatch = 256

// pending is one Update waiting for the committer.
type pending struct {
	fn   func(*Txn) error
	done chan error
}

// committer is the store's only writer: it takes whatever Updates are
// waiting and commits them together (group commit), so that writers share
// one sync of the disk instead of queueing for one each; while a batch
// syncs, the next one gathers. The engine's commit is durable when it
// returns, and readers see a batch only then.
func (s *Store) committer() {
	defer close(s.committed)
	for p := range s.queue {
		batch := []*pending{p}
	fill:
		for len(batch) < maxBatch {
			select {
			case q, ok := <-s.queue:
				if !ok {
					break fill
				}
				batch = append(batch, q)
			default:
				break fill
			}
		}
		if err := s.eng.checkSpace(); err != nil {
			for _, q := range batch {
				q.done <- err
			}
			continue
		}
		start := time.Now()
		s.commitBatch(batch)
		commitTimes.add(phaseBatch, start)
		commitTimes.writers.Add(int64(len(batch)))
	}
}

// commitBatch runs the batch's functions in one transaction and commits.
// A function that fails gets its error and the rest run again without it
// (their earlier run shared the discarded transaction). When the batch
// outgrows an engine transaction, the part that fit commits first.
func (s *Store) commitBatch(batch []*pending) {
	for len(batch) > 0 {
		txn, err := s.eng.begin(true)
		if err != nil {
			for _, p := range batch {
				p.done <- err
			}
			return
		}
		sh := &shared{watches: s.watches.Load()}
		txs := make([]*Txn, 0, len(batch))
		started := time.Now()
		failed, ferr := -1, error(nil)
		for i, p := range batch {
			x := &Txn{t: txn, shared: sh}
			if err := run(p.fn, x); err != nil {
				failed, ferr = i, err
				break
			}
			txs = append(txs, x)
		}
		if failed >= 0 {
			txn.discard()
			if errors.Is(ferr, errTxnTooBig) && failed > 0 {
				s.commitBatch(batch[:failed])
				batch = batch[failed:]
				continue
			}
			batch[failed].done <- ferr
			batch = append(batch[:failed:failed], batch[failed+1:]...)
			continue
		}
		commitTimes.add(phaseFunctions, started)
		hooks := &Txn{t: txn, shared: sh}
		if err := beforeCommit(hooks); err != nil {
			txn.discard()
			if errors.Is(err, errTxnTooBig) && len(batch) > 1 {
				half := len(batch) / 2
				s.commitBatch(batch[:half])
				batch = batch[half:]
				continue
			}
			for _, p := range batch {
				p.done <- err
			}
			return
		}
		err = s.announce(txn, sh)
		if err == nil {
			started := time.Now()
			err = txn.commit()
			commitTimes.add(phaseCommit, started)
		} else {
			txn.discard()
		}
		if err != nil {
			if errors.Is(err, ErrCommitUnknown) {
				// Before the writers hear: what they read next is read
				// again, whichever way the commit went. The batch's
				// AfterCommit hooks do not run (it may not have landed);
				// the remote counters move as for a change another node
				// made, so caches that follow other nodes reload too.
				s.moveAllRemote()
			}
			for _, p := range batch {
				p.done <- err
			}
			return
		}
		sh.bump()
		for _, x := range append(txs, hooks) {
			for _, f := range x.afterCommit {
				f()
			}
		}
		for _, p := range batch {
			p.done <- nil
		}
		return
	}
}

// beforeCommit runs the batch's BeforeCommit hooks (a hook may register
// another), turning a panic into the batch's error.
func beforeCommit(x *Txn) error {
	for i := 0; i < len(x.shared.before); i++ {
		if err := run(x.shared.before[i], x); err != nil {
			return err
		}
	}
	return nil
}

// run calls fn, turning a panic into that caller's error so that one bad
// write cannot take down the others or the process.
func run(fn func(*Txn) error, x *Txn) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("update panicked: %v", r)
		}
	}()
	return fn(x)
}
