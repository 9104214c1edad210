package masterkey

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"time"

	gokeyring "github.com/zalando/go-keyring"
)

// Keyring is the part of an OS keyring the master key needs. Get returns
// ErrNotFound-like errors as ErrKeyMissing.
type Keyring interface {
	Get(service, account string) (string, error)
	Set(service, account, secret string) error
}

// OSKeyring is the platform keyring (macOS Keychain, Windows Credential
// Manager, Secret Service on Linux) through go-keyring, guarded so that it
// never hangs the app: on Linux it needs a session bus, and every call has a
// timeout because a locked keyring may wait on a prompt forever.
type OSKeyring struct {
	Timeout time.Duration
}

// NewOSKeyring returns the platform keyring with a 10 s timeout per call.
func NewOSKeyring() *OSKeyring { return &OSKeyring{Timeout: 10 * time.Second} }

func (k *OSKeyring) Get(service, account string) (string, error) {
	var secret string
	err := k.call(func() error {
		var err error
		secret, err = gokeyring.Get(service, account)
		return err
	})
	if errors.Is(err, gokeyring.ErrNotFound) {
		return "", ErrKeyMissing
	}
	return secret, err
}

func (k *OSKeyring) Set(service, account, secret string) error {
	return k.call(func() error { return gokeyring.Set(service, account, secret) })
}

// Probe reports whether the keyring answers: nil when it does.
func (k *OSKeyring) Probe() error {
	_, err := k.Get("hostbound", "probe")
	if errors.Is(err, ErrKeyMissing) {
		return nil
	}
	return err
}

func (k *OSKeyring) call(fn func() error) error {
	if runtime.GOOS == "linux" && os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		// Without a bus, go-keyring would try to start one with dbus-launch.
		return fmt.Errorf("%w: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)", ErrKeyringUnavailable)
	}
	ctx, cancel := context.WithTimeout(context.Background(), k.Timeout)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		if err != nil && !errors.Is(err, gokeyring.ErrNotFound) {
			return fmt.Errorf("%w: %v", ErrKeyringUnavailable, err)
		}
		return err
	case <-ctx.Done():
		return fmt.Errorf("%w: no answer within %s (is the keyring locked?)", ErrKeyringUnavailable, k.Timeout)
	}
}
