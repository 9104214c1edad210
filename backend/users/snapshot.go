package users

import (
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"hostbound/backend/access"
	"hostbound/backend/apperr"
	"hostbound/backend/store"
)

// The retrieval path's shortcut (issue 14): a call of an API user reads
// its user and role from memory instead of decoding them from the store
// twice per request, and its use is written once per commit batch.
//
// Correctness rests on one counter. Every committed change of a user, a
// key or a role moves the generation (after the commit, in the committer,
// before the next batch runs); a cached entry is only used while the
// generation it was read at is current, and audit.Log.Reveal commits a
// call's record only if the generation its read saw is still current,
// checked inside the commit: a key disabled, regenerated or revoked is
// refused from the first call committed after the change. Recording a use
// does not move it.

// generation is the users' change counter.
type generation struct{ n atomic.Uint64 }

// changed moves the generation once tx commits. Until then the calls
// committed with it (the rest of its batch) see the change as pending.
func (s *Service) changed(tx *store.Txn) {
	tx.Local(pendingChange{}, func() any {
		tx.BeforeCommit(markChanged)
		return true
	})
	tx.AfterCommit(func() { s.gen.n.Add(1) })
}

// pendingChange marks a batch that changes a user, key or role.
type pendingChange struct{}

// Generation is the current generation (audit.SnapshotResolver).
// Other nodes' changes count as well (cluster.go): the sum of two
// counters that only grow moves whenever either does.
func (s *Service) Generation() uint64 { return s.gen.n.Load() + s.remote.changes.LoadRemote() }

// Changed reports whether a user, key or role changed since generation gen
// (in tx's batch too: a call after a regeneration in the same commit is
// decided again)
// (audit.SnapshotResolver).
func (s *Service) Changed(tx *store.Txn, gen uint64) bool {
	return s.Generation() != gen || (tx != nil && tx.Local(pendingChange{}, nil) != nil)
}

// cached is a user as stored at a generation, with its role. Shared and
// never modified.
type cached struct {
	u    *User
	role access.Role
}

// authCache holds the users that called lately, by key HMAC and by
// lower-case username, for one generation; a new generation empties it.
type authCache struct {
	mu     sync.RWMutex
	gen    uint64
	byHash map[string]*cached
	byName map[string]*cached
}

// maxCached bounds the cache (~2 KB an entry); past it, it starts over.
const maxCached = 4096

func (c *authCache) get(gen uint64, hash, name string) *cached {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.gen != gen {
		return nil
	}
	if hash != "" {
		return c.byHash[hash]
	}
	return c.byName[strings.ToLower(name)]
}

func (c *authCache) put(gen uint64, hash string, e *cached) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen || c.byName == nil || len(c.byName) >= maxCached {
		if gen < c.gen {
			return // read before a change that someone has seen since
		}
		c.gen, c.byHash, c.byName = gen, map[string]*cached{}, map[string]*cached{}
	}
	if hash != "" {
		c.byHash[hash] = e
	}
	c.byName[strings.ToLower(e.u.Username)] = e
}

// userByKey finds the user holding the key whose HMAC is hash, from the
// cache or the store.
func (s *Service) userByKey(hash string) (*User, error) {
	gen := s.Generation() // before the read: a change after it shows as a new generation
	if e := s.cache.get(gen, hash, ""); e != nil {
		return e.u, nil
	}
	var e cached
	err := s.st.View(func(tx *store.Txn) error {
		var err error
		e.u, err = s.lookup(tx, hash)
		return err
	})
	if err != nil {
		return nil, err
	}
	// A role that cannot be read is the use case's refusal (Resolve), not
	// the authentication's: such a user is just not cached.
	if e.role, err = s.roleOf(e.u); err == nil {
		s.cache.put(gen, hash, &e)
	}
	return e.u, nil
}

func (s *Service) roleOf(u *User) (r access.Role, err error) {
	err = s.st.View(func(tx *store.Txn) error {
		r, err = role(tx, u.Role)
		return err
	})
	return r, err
}

// ResolveRead is Resolve for a read whose audit record commits later
// (audit.Log.Reveal): it writes nothing and may answer from the cache. gen
// was read before tx opened: what tx reads is then at least as new as gen,
// and may be cached under it.
func (s *Service) ResolveRead(tx *store.Txn, a access.Actor, gen uint64) (access.Principal, error) {
	e := s.cache.get(gen, "", a.Username)
	if e == nil {
		var u User
		err := tx.Get(userKey(a.Username), &u)
		if errors.Is(err, store.ErrNotFound) {
			return access.Principal{}, s.gone(a)
		}
		if err != nil {
			return access.Principal{}, err
		}
		r, err := role(tx, u.Role)
		if err != nil {
			return access.Principal{}, err
		}
		e = &cached{u: &u, role: r}
		s.cache.put(gen, "", e)
	}
	u := e.u
	if u.ID != a.UserID || u.Kind != a.Kind {
		return access.Principal{}, s.gone(a)
	}
	if a.Kind == KindAPI {
		if msg := keyRefusal(u, a.Credential, s.clock()); msg != "" {
			return access.Principal{}, apperr.New(refusalCode(msg), "%s", msg)
		}
	} else if u.Disabled {
		return access.Principal{}, apperr.New(apperr.Unauthenticated, MsgDisabled)
	}
	return access.Principal{Actor: a, FullName: u.FullName, Role: e.role, Scope: u.Scope}, nil
}

// uses are the key uses of one commit batch, by lower-case username.
type uses map[string]*use

type use struct {
	id, from string
	at       time.Time
	n        int64
}

type usesKey struct{}

// Used records a use of a's API key in tx (audit.SnapshotResolver): the
// batch writes each user's last use and count once, before it commits,
// with the calls' audit records.
func (s *Service) Used(tx *store.Txn, a access.Actor) error {
	if a.Kind != KindAPI || a.Credential == "" {
		return nil
	}
	m := tx.Local(usesKey{}, func() any {
		m := uses{}
		tx.BeforeCommit(func(tx *store.Txn) error { return s.writeUses(tx, m) })
		return m
	}).(uses)
	name := strings.ToLower(a.Username)
	x := m[name]
	if x == nil || x.id != a.UserID {
		x = &use{id: a.UserID}
		m[name] = x
	}
	x.from, x.at = a.Source, s.clock().UTC()
	x.n++
	return nil
}

// writeUses writes the batch's uses on the users as the batch leaves them
// (a change earlier in the batch included). A use does not move the
// generation: it changes nothing a call is decided on.
func (s *Service) writeUses(tx *store.Txn, m uses) error {
	for name, x := range m {
		var u User
		err := s.written.read(tx, name, &u)
		if errors.Is(err, store.ErrNotFound) {
			continue // deleted in this batch
		}
		if err != nil {
			return err
		}
		if u.ID != x.id || u.APIKey == nil {
			continue
		}
		at := x.at
		u.APIKey.LastUsedAt, u.APIKey.LastUsedFrom = &at, x.from
		u.APIKey.UseCount += x.n
		if err := s.written.write(tx, name, &u); err != nil {
			return err
		}
		tx.AfterCommit(func() { s.idx.set(&u) })
	}
	return nil
}
