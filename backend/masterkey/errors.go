package masterkey

import "errors"

// Sentinel errors of the package. None of them carries key material.
var (
	// ErrNotInitialized: the data directory has no master key yet (first run).
	ErrNotInitialized = errors.New("no master key has been created for this data directory")
	// ErrKeyringUnavailable: no OS keyring can be used here (no session bus,
	// no Secret Service, a locked keyring that did not answer in time).
	ErrKeyringUnavailable = errors.New("the OS keyring is not available")
	// ErrKeyMissing: the header says the key is in the OS keyring, but the
	// keyring has no such entry.
	ErrKeyMissing = errors.New("the master key is missing from the OS keyring")
	// ErrKeyMismatch: a key was found but it is not the one this data
	// directory was created with.
	ErrKeyMismatch = errors.New("the master key in the OS keyring does not belong to this data directory")
	// ErrWrongPassphrase: the passphrase does not unwrap the master key.
	ErrWrongPassphrase = errors.New("wrong passphrase")
	// ErrHeaderMissing: data exists but its master key header is gone; the
	// data is left alone rather than re-initialised.
	ErrHeaderMissing = errors.New("the data directory holds data but its master key file (masterkey.json) is missing")
	// ErrBadHeader: the header file cannot be read.
	ErrBadHeader = errors.New("the master key file (masterkey.json) is damaged")
)
