package store

import "errors"

// engine is what the store needs from a database: transactions over keys
// and values with ordered prefix scans, whose commit is durable when it
// returns. Badger (badger.go) is the embedded default. The rest of the
// package (the committer, Txn's JSON values) is the same over any engine.
type engine interface {
	// begin starts a transaction; a read-only one (update false) sees one
	// consistent snapshot.
	begin(update bool) (etxn, error)
	// checkSpace refuses writes (ErrDiskFull) when the engine could not
	// take them safely; nil when it cannot tell.
	checkSpace() error
	// size is the bytes the data takes now.
	size() int64
	close() error
}

// etxn is one engine transaction. Values handed to fn are valid only
// during the call.
type etxn interface {
	// get calls fn with the value at key, or returns ErrNotFound.
	get(key string, fn func(value []byte) error) error
	// set and delete return an error wrapping errTxnTooBig when the
	// transaction outgrew what the engine commits at once.
	set(key string, value []byte) error
	delete(key string) error
	// scan walks the keys starting with prefix in key order (reverse:
	// from the greatest key at or below start). keysOnly scans need not
	// read values; value is then nil. fn returns false to stop.
	scan(prefix, start string, reverse, keysOnly bool, fn func(key string, value func(func([]byte) error) error) (bool, error)) error
	commit() error
	discard()
}

// errTxnTooBig: the transaction holds more than the engine commits at
// once; the committer splits the batch.
var errTxnTooBig = errors.New("transaction too big")
