package backup

import "errors"

// Sentinel errors of Read and Verify. Callers match them with errors.Is;
// none of them carries key material or passphrase text.
var (
	// ErrWrongPassphrase: the passphrase does not open the file. The file's
	// cleartext part is intact, so it is a Hostbound backup made with
	// another passphrase.
	ErrWrongPassphrase = errors.New("wrong passphrase, or not a Hostbound backup")
	// ErrNotBackup: the file does not start as a Hostbound backup does.
	ErrNotBackup = errors.New("not a Hostbound backup file")
	// ErrTruncated: the file ends early (a copy cut short, a full disk).
	ErrTruncated = errors.New("the backup file is incomplete (truncated)")
	// ErrTampered: the file is damaged or was changed after it was written.
	ErrTampered = errors.New("the backup file is damaged or has been tampered with")
	// ErrNewerFormat: the file was written by a newer Hostbound.
	ErrNewerFormat = errors.New("the backup was made by a newer version of Hostbound")
)
