package core

import "hostbound/backend/store"

// SetAfterCopy makes CopyTo call f on the copy before verifying it, until
// the returned function is called.
func SetAfterCopy(f func(dst *store.Store)) (reset func()) {
	afterCopy = f
	return func() { afterCopy = nil }
}
