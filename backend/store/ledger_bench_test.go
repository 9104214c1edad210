package store

import (
	"bytes"
	"runtime"
	"testing"
)

// BenchmarkLedgerScan: a full scan of n ledger records (200-byte values)
// with a column entry after each (as the audit trail writes them), forward
// and reverse, reading every value (per record).
func BenchmarkLedgerScan(b *testing.B) {
	const n = 100_000
	s, err := Open(b.TempDir(), bytes.Repeat([]byte{7}, KeySize), quietLog())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	v := make([]byte, 200)
	appendTrail(b, s, n, 1000, func(uint64) []byte { return v })
	for _, reverse := range []bool{false, true} {
		b.Run(map[bool]string{false: "forward", true: "reverse"}[reverse], func(b *testing.B) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for b.Loop() {
				got := 0
				err := s.View(func(tx *Txn) error {
					return tx.t.scan("audit/rec/", recK(n+1), reverse, false, func(_ string, value func(func([]byte) error) error) (bool, error) {
						got++
						return true, value(func([]byte) error { return nil })
					})
				})
				if err != nil || got != n {
					b.Fatalf("%d, %v", got, err)
				}
			}
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/record")
			b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(b.N*n), "allocs/record")
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N*n), "B/record")
			b.ReportMetric(0, "ns/op")
		})
	}
}
