package store

import (
	"strings"
	"sync"
	"sync/atomic"
)

// Gen counts the committed transactions that wrote under some key
// prefixes. A cache of what is stored there (decoded, checked) is valid
// while the generation it was filled at is current: every commit that
// writes there moves it before its Update returns, so a read that starts
// after a change returned sees a new generation.
type Gen struct {
	n        atomic.Uint64
	remote   atomic.Uint64 // watch_remote.go
	prefixes []string
}

// Load returns the current generation. Read it before the transaction
// whose reads a cache keeps: a change committed meanwhile then shows as a
// newer generation.
func (g *Gen) Load() uint64 { return g.n.Load() }

// Changed reports whether a write under g's prefixes committed since gen,
// or was made earlier in tx's batch (tx nil: outside a commit).
func (g *Gen) Changed(tx *Txn, gen uint64) bool {
	if g.n.Load() != gen {
		return true
	}
	return tx != nil && tx.shared != nil && tx.shared.touched[g]
}

// Watch returns the generation of the keys under prefixes. Call it once
// per use, when wiring (each call makes a new counter).
func (s *Store) Watch(prefixes ...string) *Gen {
	g := &Gen{prefixes: prefixes}
	s.watchMu.Lock()
	defer s.watchMu.Unlock()
	old := s.watches.Load()
	var ws []*Gen
	if old != nil {
		ws = append(ws, *old...)
	}
	ws = append(ws, g)
	s.watches.Store(&ws)
	return g
}

// watchSet is the store's generations, read by every write.
type watchSet struct {
	watchMu sync.Mutex
	watches atomic.Pointer[[]*Gen]
}

// touch marks the generations whose prefixes key is under as moved by
// x's batch.
func (x *Txn) touch(key string) {
	if x.shared == nil || x.shared.watches == nil {
		return
	}
	for _, g := range *x.shared.watches {
		if x.shared.touched[g] {
			continue
		}
		for _, p := range g.prefixes {
			if strings.HasPrefix(key, p) {
				if x.shared.touched == nil {
					x.shared.touched = map[*Gen]bool{}
				}
				x.shared.touched[g] = true
				break
			}
		}
	}
}

// bump moves the generations a committed batch wrote under.
func (sh *shared) bump() {
	for g := range sh.touched {
		g.n.Add(1)
	}
}
