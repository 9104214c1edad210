package desktop

import "hostbound/backend/access"

// Phase is the screen the app must show.
type Phase string

const (
	PhaseSetup  Phase = "setup"  // fresh data directory: create the first administrator
	PhaseUnlock Phase = "unlock" // passphrase mode: ask for the passphrase
	PhaseLocked Phase = "locked" // the key cannot be had; LockedReason says why
	PhaseLogin  Phase = "login"  // unlocked, nobody logged in
	PhaseReady  Phase = "ready"  // an operator is logged in
)

// AppState tells the frontend what to show.
type AppState struct {
	Phase Phase `json:"phase"`
	// KeyStorage is "keyring" or "passphrase" once the data directory has a
	// master key, "" before.
	KeyStorage string `json:"keyStorage"`
	// KeyringAvailable tells the setup screen whether the OS keyring can
	// hold the master key; KeyringProblem says why not.
	KeyringAvailable bool   `json:"keyringAvailable"`
	KeyringProblem   string `json:"keyringProblem"`
	// OS is runtime.GOOS ("linux", "darwin", "windows"): the setup screen
	// words the keyring's name and its fix for it.
	OS string `json:"os"`
	// LockedReason explains PhaseLocked in words an administrator can act on.
	LockedReason string        `json:"lockedReason"`
	DataDir      string        `json:"dataDir"`
	Operator     *OperatorView `json:"operator"`
	// IdleTimeoutSeconds is how long a session may stay idle.
	IdleTimeoutSeconds int `json:"idleTimeoutSeconds"`
	// Version of the app (wails.json's productVersion + the commit).
	Version string `json:"version"`
	// AuditIntegrity is the last check of the audit chain (after login).
	AuditIntegrity IntegrityResult `json:"auditIntegrity"`
	// Sample: the sample data is open (every screen says so); DataDir is
	// then the sample's directory.
	Sample bool `json:"sample"`
	// SampleExists: a sample was made and can be opened again.
	SampleExists bool `json:"sampleExists"`
}

// SetupRequest is the first-run form.
type SetupRequest struct {
	Username          string `json:"username"`
	FullName          string `json:"fullName"`
	Email             string `json:"email"`
	Password          string `json:"password"`
	ConfirmPassword   string `json:"confirmPassword"`
	Passphrase        string `json:"passphrase"`        // only without a keyring
	ConfirmPassphrase string `json:"confirmPassphrase"` // only without a keyring
}

// OperatorView is the logged-in operator as the header shows them.
type OperatorView struct {
	Username   string `json:"username"`
	FullName   string `json:"fullName"`
	Email      string `json:"email"`
	Role       string `json:"role"`     // role id, e.g. "privileged_admin"
	RoleName   string `json:"roleName"` // e.g. "Privileged Administrator"
	Scope      string `json:"scope"`    // "owned_shared" or "all"
	SuperAdmin bool   `json:"superAdmin"`
	// Permissions let the UI hide what the operator cannot do; the backend
	// checks them again on every call.
	Permissions []access.Permission `json:"permissions"`
}

// SecurityInfo is what the Settings screen shows.
type SecurityInfo struct {
	KeyStorage      string `json:"keyStorage"`      // "keyring" or "passphrase"
	KeyStorageLabel string `json:"keyStorageLabel"` // a sentence for people
	DataDir         string `json:"dataDir"`
	LogFile         string `json:"logFile"`
	StoreBytes      int64  `json:"storeBytes"`
	AuditRecords    uint64 `json:"auditRecords"` // never deleted by the app
}
