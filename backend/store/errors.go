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
	// ErrUnavailable: the database cannot be reached or cannot take writes
	// now (PostgreSQL down, failing over, read-only); a face answers 503
	// with Retry-After. Unless ErrCommitUnknown too, nothing was changed.
	ErrUnavailable = errors.New("the database cannot be reached; try again")
	// ErrCommitUnknown (with ErrUnavailable): the connection dropped while
	// COMMIT was in flight, so the write may or may not have landed. The
	// caller was not told it succeeded; the store's generations have moved
	// so caches read again (commit.go).
	ErrCommitUnknown = errors.New("the database went away during the commit; it may or may not have been saved")
)
