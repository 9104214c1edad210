package keys

import (
	"crypto/hmac"
	"crypto/sha256"
	"sync"
	"testing"
)

// A reused state gives what a fresh HMAC gives, from many goroutines at
// once (a state put back without its Reset would chain the inputs).
func TestMACMatchesAFreshHMAC(t *testing.T) {
	key := []byte("a key of some length")
	m := NewMAC(key)
	key[0] = 'X' // NewMAC keeps its own copy
	want := func(data string) []byte {
		h := hmac.New(sha256.New, []byte("a key of some length"))
		h.Write([]byte(data))
		return h.Sum(nil)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				data := string(rune('a'+g)) + string(rune('a'+i%26))
				if got := m.Sum(nil, []byte(data)); !hmac.Equal(got, want(data)) {
					t.Errorf("Sum(%q) = %x, want %x", data, got, want(data))
					return
				}
			}
		})
	}
	wg.Wait()
	if got := m.Sum([]byte("prefix"), []byte("x")); string(got[:6]) != "prefix" || !hmac.Equal(got[6:], want("x")) {
		t.Errorf("Sum appends to dst: got %x", got)
	}
}

func BenchmarkMAC(b *testing.B) {
	m := NewMAC([]byte("k"))
	data := make([]byte, 300)
	var out [32]byte
	b.ReportAllocs()
	for b.Loop() {
		m.Sum(out[:0], data)
	}
}
