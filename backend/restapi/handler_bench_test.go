package restapi

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"hostbound/backend/internal/testenv"
)

// BenchmarkRetrievalHandler is one audited GET password through the API's
// http.Handler, in process: no TLS, no sockets, so that allocs/op, B/op
// and ns/op are the handler's own (authentication, the vault's read, the
// audit record's commit through the store's writer with its fsync) and a
// CPU profile shows only them. httptest.NewRecorder's own allocations are
// in the figures, the same before and after. Sequential, and with
// b.RunParallel at GOMAXPROCS×32 goroutines (64 on 2 cores, like the
// 64 clients of bench-rest).
func BenchmarkRetrievalHandler(b *testing.B) {
	w := benchWorld(b, 100)
	api := New(Config{Users: w.Users, Vault: w.Vault, Clock: w.Clock.Now, Log: testenv.Log()})
	path := fmt.Sprintf("%s/resources/%d/accounts/%d/password", Base, w.res.ID, w.db.ID)
	newReq := func() *http.Request {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		r.RemoteAddr = "127.0.0.1:40000" // the API user's host
		r.Header.Set("AUTHTOKEN", w.key)
		return r
	}
	once := func(b *testing.B, r *http.Request) bool {
		rec := httptest.NewRecorder()
		api.ServeHTTP(rec, r)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "s3cr3t-pg-password") {
			b.Errorf("%d %s", rec.Code, rec.Body) // Errorf: RunParallel's goroutines may not FailNow
			return false
		}
		return true
	}
	b.Run("sequential", func(b *testing.B) {
		r := newReq()
		b.ReportAllocs()
		for b.Loop() {
			if !once(b, r) {
				return
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.SetParallelism(32)
		b.RunParallel(func(pb *testing.PB) {
			r := newReq()
			for pb.Next() {
				if !once(b, r) {
					return
				}
			}
		})
	})
}
