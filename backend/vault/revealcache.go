package vault

import (
	"sync"

	"hostbound/backend/access"
	"hostbound/backend/store"
)

// The retrieval path's shortcut (issue 14): what a password retrieval
// reads (the resource, the account, whether its caller may see them) is
// kept in memory for one generation of the vault's keys, so that a script
// fetching the same password again costs no store reads. Any committed
// write under vault/ moves the generation before its Update returns
// (store.Watch): a share revoked or a password changed is seen by every
// retrieval that starts after it. The caller's role enters through the
// key (a role that stops seeing every password looks up another entry).

// revealKey is what getAccount's answer depends on besides the vault.
type revealKey struct {
	userID   string
	seesAll  bool
	rid, aid uint64
}

type revealed struct {
	r    Resource
	acct Account
}

// revealCache holds the accounts found visible at one generation.
type revealCache struct {
	mu  sync.RWMutex
	gen uint64
	m   map[revealKey]revealed
}

// maxRevealCached bounds the cache; past it, it starts over.
const maxRevealCached = 4096

func (c *revealCache) get(gen uint64, k revealKey) (revealed, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.gen != gen {
		return revealed{}, false
	}
	v, ok := c.m[k]
	return v, ok
}

func (c *revealCache) put(gen uint64, k revealKey, v revealed) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen < c.gen {
		return // read before a change that someone has seen since
	}
	if c.gen != gen || c.m == nil || len(c.m) >= maxRevealCached {
		c.gen, c.m = gen, map[revealKey]revealed{}
	}
	c.m[k] = v
}

// cachedAccount is getAccount through the cache, for a read-only
// transaction opened after gen was loaded. Refusals are not kept.
func (s *Service) cachedAccount(tx *store.Txn, gen uint64, p access.Principal, rid, aid uint64) (Resource, Account, error) {
	k := revealKey{userID: p.UserID, seesAll: p.SeesAll(), rid: rid, aid: aid}
	if v, ok := s.reveals.get(gen, k); ok {
		return v.r, v.acct, nil
	}
	r, acct, err := getAccount(tx, p, rid, aid)
	if err == nil {
		s.reveals.put(gen, k, revealed{r, acct})
	}
	return r, acct, err
}
