package store

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Txn is a transaction with JSON-encoded values.
type Txn struct {
	t           etxn
	readOnly    bool // View's
	afterCommit []func()
	shared      *shared // what the functions committed together share
}

// shared is what the functions of one commit attempt (store.Update's
// batch) share: values kept by Local, and the hooks BeforeCommit runs.
// A retried attempt gets a fresh one.
type shared struct {
	local  map[any]any
	before []func(*Txn) error
	// watches are the store's generations; touched, those this batch
	// moves when it commits (watch.go).
	watches *[]*Gen
	touched map[*Gen]bool
}

// Local returns the value kept under key by the functions committed
// together with this one, creating it with mk on first use (nil mk: only
// look). Domain code keeps what each function of a batch would otherwise
// rewrite (the audit chain's head, counters) here and writes it once from a
// BeforeCommit hook registered in mk. A read-only transaction has its own.
func (x *Txn) Local(key any, mk func() any) any {
	if x.shared == nil {
		x.shared = &shared{}
	}
	if v, ok := x.shared.local[key]; ok {
		return v
	}
	if mk == nil {
		return nil
	}
	if x.shared.local == nil {
		x.shared.local = map[any]any{}
	}
	v := mk()
	x.shared.local[key] = v
	return v
}

// BeforeCommit runs f once, after every function of the batch has run and
// before the commit, in registration order; its error fails the batch.
// It never runs for a read-only transaction.
func (x *Txn) BeforeCommit(f func(*Txn) error) {
	if x.shared == nil {
		x.shared = &shared{}
	}
	x.shared.before = append(x.shared.before, f)
}

// ReadOnly reports whether x is a View's transaction: what it reads is one
// snapshot, and nothing it does commits.
func (x *Txn) ReadOnly() bool { return x.readOnly }

// AfterCommit runs f once the transaction has committed, in commit order;
// never when it fails, nor when the commit's outcome is unknown
// (ErrCommitUnknown: PostgreSQL went away during COMMIT). In-memory views
// of the data (indexes, caches) update here, so they never show what did
// not land; one kept by AfterCommit alone then misses a write that may
// have landed, while one checked against a Gen (Watch) reads again, as
// such a commit moves every Gen.
func (x *Txn) AfterCommit(f func()) { x.afterCommit = append(x.afterCommit, f) }

// Get decodes the value at key into v, or returns ErrNotFound.
func (x *Txn) Get(key string, v any) error {
	var decodeErr error
	err := x.t.get(key, func(b []byte) error {
		decodeErr = json.Unmarshal(b, v)
		return nil
	})
	switch {
	case errors.Is(err, ErrNotFound):
		return err
	case err != nil:
		return fmt.Errorf("get %s: %w", key, err)
	case decodeErr != nil:
		return fmt.Errorf("decode %s: %w", key, decodeErr)
	}
	return nil
}

// Has reports whether a value exists at key.
func (x *Txn) Has(key string) (bool, error) {
	err := x.t.get(key, func([]byte) error { return nil })
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("get %s: %w", key, err)
	}
	return true, nil
}

// Put encodes v as JSON and stores it at key.
func (x *Txn) Put(key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	if err := x.t.set(key, b); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	x.touch(key)
	return nil
}

// Delete removes key; deleting a missing key is not an error.
func (x *Txn) Delete(key string) error {
	if err := x.t.delete(key); err != nil {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	x.touch(key)
	return nil
}

// decoder returns the decode function Each hands out for one entry.
func decoder(key string, value func(func([]byte) error) error) func(v any) error {
	return func(v any) error {
		return value(func(b []byte) error {
			if err := json.Unmarshal(b, v); err != nil {
				return fmt.Errorf("decode %s: %w", key, err)
			}
			return nil
		})
	}
}

// Each calls fn with the key and raw value of every entry whose key starts
// with prefix, in key order, until fn returns an error or false.
func (x *Txn) Each(prefix string, fn func(key string, decode func(v any) error) (bool, error)) error {
	return x.t.scan(prefix, "", false, false, func(key string, value func(func([]byte) error) error) (bool, error) {
		return fn(key, decoder(key, value))
	})
}

// Count returns the number of keys with the prefix, without reading values.
func (x *Txn) Count(prefix string) (int, error) {
	n := 0
	err := x.t.scan(prefix, "", false, true, func(string, func(func([]byte) error) error) (bool, error) {
		n++
		return true, nil
	})
	return n, err
}

// Any reports whether at least one key starts with prefix.
func (x *Txn) Any(prefix string) bool {
	found := false
	_ = x.t.scan(prefix, "", false, true, func(string, func(func([]byte) error) error) (bool, error) {
		found = true
		return false, nil
	})
	return found
}

// PutKey stores a key with no value (index entries).
func (x *Txn) PutKey(key string) error {
	if err := x.t.set(key, nil); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	x.touch(key)
	return nil
}

// EachReverse is Each from the key at or below start down to the first key
// with the prefix (newest first when keys end in a sequence number).
func (x *Txn) EachReverse(prefix, start string, fn func(key string, decode func(v any) error) (bool, error)) error {
	return x.t.scan(prefix, start, true, false, func(key string, value func(func([]byte) error) error) (bool, error) {
		return fn(key, decoder(key, value))
	})
}

// EachKey calls fn with every key that starts with prefix, in key order,
// without reading values.
func (x *Txn) EachKey(prefix string, fn func(key string) error) error {
	return x.t.scan(prefix, "", false, true, func(key string, _ func(func([]byte) error) error) (bool, error) {
		return true, fn(key)
	})
}

// EachKeyReverse walks keys only (no values), from start down to the first
// key with the prefix.
func (x *Txn) EachKeyReverse(prefix, start string, fn func(key string) (bool, error)) error {
	return x.t.scan(prefix, start, true, true, func(key string, _ func(func([]byte) error) error) (bool, error) {
		return fn(key)
	})
}
