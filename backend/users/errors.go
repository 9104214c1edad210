package users

import "errors"

// Sentinel errors of the package; user-facing ones come as *apperr.Error.
var (
	// ErrAlreadySetUp: the first administrator exists already.
	ErrAlreadySetUp = errors.New("the first administrator has already been created")
)

// Messages of a refused API credential (PRODUCT.md §4), the same for every
// face: PMP clients match on some of them.
const (
	MsgUnknownKey  = "API key received is not associated to any user. Authentication failed."
	MsgExpired     = "API key has expired"
	MsgWrongHost   = "User is not allowed to access from this host"
	MsgAPIDisabled = "API user is disabled. Authentication failed."
	MsgRESTOff     = "REST API access is not enabled for this user"
	MsgTooMany     = "Too many failed authentication attempts from this address. Try again later."
	// MsgUnknownSSHKey: the SSH key offered is not the user's stored key.
	MsgUnknownSSHKey = "Public key is not associated to this user. Authentication failed."
	// Client certificates (the REST and XML-RPC APIs).
	MsgUnknownCert     = "Client certificate is not associated to any user. Authentication failed."
	MsgCertExpired     = "Client certificate has expired"
	MsgCertNotYetValid = "Client certificate is not valid yet"
	// MsgRevoked: the kill switch revoked the API user's access; the
	// refusal reads MsgRevoked + ": " + the administrator's reason.
	MsgRevoked = "Access revoked by an administrator"
	// MsgGone: the actor was deleted (or deleted and re-created) meanwhile.
	MsgGone = "Your account no longer exists"
)
