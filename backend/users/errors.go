package users

import "errors"

// Sentinel errors of the package; user-facing ones come as *apperr.Error.
var (
	// ErrAlreadySetUp: the first administrator exists already.
	ErrAlreadySetUp = errors.New("the first administrator has already been created")
	// ErrNotFound: no user with that username.
	ErrNotFound = errors.New("user not found")
)
