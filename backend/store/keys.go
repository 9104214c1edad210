package store

import "strconv"

// Num is n zero-padded to 20 digits, the width of the largest uint64:
// keys that end in it sort in numeric order. (Sprintf("%020d") without
// its allocations, on the retrieval path.)
func Num(n uint64) string {
	var b [20]byte
	for i := range b {
		b[i] = '0'
	}
	d := strconv.AppendUint(b[:0:0], n, 10)
	copy(b[20-len(d):], d)
	return string(b[:])
}
