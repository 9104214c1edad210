package store

import "errors"

// Sentinel errors of the store. Callers match them with errors.Is.
var (
	// ErrNotFound: no value under that key.
	ErrNotFound = errors.New("not found")
	// ErrWrongKey: the master key does not decrypt this database. Nothing
	// on disk was changed.
	ErrWrongKey = errors.New("the master key does not match this data directory")
	// ErrAlreadyRunning: another process holds the directory lock.
	ErrAlreadyRunning = errors.New("Hostbound is already running with this data directory")
	// ErrClosed: a write after Close.
	ErrClosed = errors.New("the store is closed")
	// ErrDiskFull: the data directory's disk is (nearly) full; the write was
	// refused before it reached Badger, and nothing was changed.
	ErrDiskFull = errors.New("not enough free disk space for the data directory")
)
