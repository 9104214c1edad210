package store

import (
	"errors"
	"fmt"
)

// EachRaw calls fn with every key starting with prefix and its value as
// stored (JSON, or empty for a key-only entry), in key order, until fn
// returns an error. value is valid only during the call. It is for code that
// moves entries without reading them (backups); the domain decodes through
// Each.
func (x *Txn) EachRaw(prefix string, fn func(key string, value []byte) error) error {
	return x.t.scan(prefix, "", false, false, func(key string, value func(func([]byte) error) error) (bool, error) {
		return true, value(func(v []byte) error { return fn(key, v) })
	})
}

// PutRaw stores value at key as it is, the other half of EachRaw (a
// restore). value must be what EachRaw gave: JSON, or empty.
func (x *Txn) PutRaw(key string, value []byte) error {
	if err := x.t.set(key, value); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	x.touch(key)
	return nil
}

// GetRaw calls fn with the value at key as stored (JSON, or empty for a
// key-only entry; valid only during the call), or returns ErrNotFound: for
// code that can tell stored bytes it wrote itself without decoding them.
func (x *Txn) GetRaw(key string, fn func(value []byte) error) error {
	err := x.t.get(key, fn)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("get %s: %w", key, err)
	}
	return err
}
