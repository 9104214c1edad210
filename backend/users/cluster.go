package users

import (
	"time"

	"hostbound/backend/store"
)

// Several serve nodes on one PostgreSQL store (issue 16): another node's
// changes reach this one through the store's generations, which move on a
// notification from the database (store.Gen.LoadRemote; they never move
// on the embedded store, which has one process).
//
//   - A change of a user, key or role writes changeKey in its commit, so
//     every other node's remote change counter moves: the generation the
//     retrieval path decides on includes it (Generation), and a key
//     regenerated or a user disabled on one node is refused on the others
//     from the notification on.
//   - The in-memory index (lists, search, certificates) is read again
//     after such a change, and every followEvery minimum while only uses
//     (last used, counts) changed elsewhere. It never decides a refusal
//     alone: the store's record does.

// changeKey is written (key only) by every commit that moves the generation.
const changeKey = "userchange"

// followEvery is how often Follow looks for other nodes' changes, and
// usesEvery how stale another node's use counts may be in lists.
const (
	followEvery = 200 * time.Millisecond
	usesEvery   = 5 * time.Second
)

// remoteGens are the store generations that follow other nodes.
type remoteGens struct {
	changes *store.Gen // changeKey: users, keys, roles
	rows    *store.Gen // every user record, uses included
}

func watchRemote(st *store.Store) remoteGens {
	return remoteGens{changes: st.Watch(changeKey), rows: st.Watch(userPrefix)}
}

// markChanged makes tx's commit tell other nodes that a user, key or role
// changed. Called once per batch.
func markChanged(tx *store.Txn) error { return tx.PutKey(changeKey) }

// Follow reloads the index when other nodes changed users, until stop is
// closed. services starts it.
func (s *Service) Follow(stop <-chan struct{}) {
	t := time.NewTicker(followEvery)
	defer t.Stop()
	changes, rows := s.remote.changes.LoadRemote(), s.remote.rows.LoadRemote()
	last := time.Now()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		c, r := s.remote.changes.LoadRemote(), s.remote.rows.LoadRemote()
		if c == changes && (r == rows || time.Since(last) < usesEvery) {
			continue
		}
		// Read the counters before the store: a change after this read
		// moves them again and the next tick reloads once more.
		if err := s.idx.refresh(); err != nil {
			continue // the store is unreachable: keep the counters, retry
		}
		changes, rows, last = c, r, time.Now()
	}
}

// refresh reads every user again if the index has been read; if not,
// its first use reads them.
func (x *index) refresh() error {
	x.loading.Lock()
	defer x.loading.Unlock()
	if !x.isLoaded() {
		return nil
	}
	return x.readAll()
}
