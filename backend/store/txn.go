package store

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// Txn is a transaction with JSON-encoded values.
type Txn struct {
	t           *badger.Txn
	afterCommit []func()
}

// AfterCommit runs f once the transaction has committed, in commit order;
// never when it fails. In-memory views of the data (indexes, caches)
// update here, so they never show what did not land.
func (x *Txn) AfterCommit(f func()) { x.afterCommit = append(x.afterCommit, f) }

// Get decodes the value at key into v, or returns ErrNotFound.
func (x *Txn) Get(key string, v any) error {
	item, err := x.t.Get([]byte(key))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("get %s: %w", key, err)
	}
	return item.Value(func(b []byte) error {
		if err := json.Unmarshal(b, v); err != nil {
			return fmt.Errorf("decode %s: %w", key, err)
		}
		return nil
	})
}

// Has reports whether a value exists at key.
func (x *Txn) Has(key string) (bool, error) {
	_, err := x.t.Get([]byte(key))
	if errors.Is(err, badger.ErrKeyNotFound) {
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
	if err := x.t.Set([]byte(key), b); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	return nil
}

// Delete removes key; deleting a missing key is not an error.
func (x *Txn) Delete(key string) error {
	if err := x.t.Delete([]byte(key)); err != nil {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	return nil
}

// Each calls fn with the key and raw value of every entry whose key starts
// with prefix, in key order, until fn returns an error or false.
func (x *Txn) Each(prefix string, fn func(key string, decode func(v any) error) (bool, error)) error {
	it := x.t.NewIterator(badger.IteratorOptions{Prefix: []byte(prefix), PrefetchValues: true, PrefetchSize: 64})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		item := it.Item()
		key := string(item.Key())
		decode := func(v any) error {
			return item.Value(func(b []byte) error {
				if err := json.Unmarshal(b, v); err != nil {
					return fmt.Errorf("decode %s: %w", key, err)
				}
				return nil
			})
		}
		more, err := fn(key, decode)
		if err != nil {
			return err
		}
		if !more {
			return nil
		}
	}
	return nil
}

// Count returns the number of keys with the prefix, without reading values.
func (x *Txn) Count(prefix string) (int, error) {
	it := x.t.NewIterator(badger.IteratorOptions{Prefix: []byte(prefix)})
	defer it.Close()
	n := 0
	for it.Rewind(); it.Valid(); it.Next() {
		n++
	}
	return n, nil
}

// Any reports whether at least one key starts with prefix.
func (x *Txn) Any(prefix string) bool {
	it := x.t.NewIterator(badger.IteratorOptions{Prefix: []byte(prefix)})
	defer it.Close()
	it.Rewind()
	return it.Valid()
}

// PutKey stores a key with no value (index entries).
func (x *Txn) PutKey(key string) error {
	if err := x.t.Set([]byte(key), nil); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	return nil
}

// EachReverse is Each from the key at or below start down to the first key
// with the prefix (newest first when keys end in a sequence number).
func (x *Txn) EachReverse(prefix, start string, fn func(key string, decode func(v any) error) (bool, error)) error {
	it := x.t.NewIterator(badger.IteratorOptions{Prefix: []byte(prefix), Reverse: true, PrefetchValues: true, PrefetchSize: 64})
	defer it.Close()
	for it.Seek([]byte(start)); it.Valid(); it.Next() {
		item := it.Item()
		key := string(item.Key())
		decode := func(v any) error {
			return item.Value(func(b []byte) error {
				if err := json.Unmarshal(b, v); err != nil {
					return fmt.Errorf("decode %s: %w", key, err)
				}
				return nil
			})
		}
		more, err := fn(key, decode)
		if err != nil || !more {
			return err
		}
	}
	return nil
}

// EachKeyReverse walks keys only (no values), from start down to the first
// key with the prefix.
func (x *Txn) EachKeyReverse(prefix, start string, fn func(key string) (bool, error)) error {
	it := x.t.NewIterator(badger.IteratorOptions{Prefix: []byte(prefix), Reverse: true})
	defer it.Close()
	for it.Seek([]byte(start)); it.Valid(); it.Next() {
		more, err := fn(string(it.Item().Key()))
		if err != nil || !more {
			return err
		}
	}
	return nil
}
