package masterkey

import "sync"

// MemoryKeyring is an in-memory Keyring for tests and for callers that want
// to fake keyring failures. Err, when set, is returned by every call.
type MemoryKeyring struct {
	mu      sync.Mutex
	secrets map[string]string
	Err     error
}

// NewMemoryKeyring returns an empty working keyring.
func NewMemoryKeyring() *MemoryKeyring { return &MemoryKeyring{secrets: map[string]string{}} }

func (k *MemoryKeyring) Get(service, account string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.Err != nil {
		return "", k.Err
	}
	s, ok := k.secrets[service+"/"+account]
	if !ok {
		return "", ErrKeyMissing
	}
	return s, nil
}

func (k *MemoryKeyring) Set(service, account, secret string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.Err != nil {
		return k.Err
	}
	k.secrets[service+"/"+account] = secret
	return nil
}

// Probe reports Err.
func (k *MemoryKeyring) Probe() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.Err
}

// Forget removes every secret (a keyring that lost its entries).
func (k *MemoryKeyring) Forget() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.secrets = map[string]string{}
}

// Replace overwrites every stored secret with s (a key replaced by another).
func (k *MemoryKeyring) Replace(s string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for a := range k.secrets {
		k.secrets[a] = s
	}
}
