package keys

import (
	"crypto/hmac"
	"crypto/sha256"
	"hash"
	"slices"
	"sync"
)

// MAC is HMAC-SHA256 under one key, safe for concurrent use. It reuses
// keyed states: hmac.New costs two SHA-256 blocks and ~700 B each time,
// and the retrieval path computes two MACs per call (the API key's hash
// and the audit chain's link).
type MAC struct{ pool sync.Pool }

// NewMAC keys a MAC with a copy of key.
func NewMAC(key []byte) *MAC {
	k := slices.Clone(key)
	m := &MAC{}
	m.pool.New = func() any { return hmac.New(sha256.New, k) }
	return m
}

// Sum appends HMAC-SHA256(key, data) to dst.
func (m *MAC) Sum(dst, data []byte) []byte {
	h := m.pool.Get().(hash.Hash)
	h.Write(data)
	dst = h.Sum(dst)
	h.Reset()
	m.pool.Put(h)
	return dst
}
