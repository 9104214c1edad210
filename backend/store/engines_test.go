package store

import (
	"testing"

	"hostbound/backend/internal/pgtest"
)

// TestMain stops the PostgreSQL cluster the pg tests started.
func TestMain(m *testing.M) { pgtest.Main(m) }

// forEachEngine runs test once per engine, each in its own subtest. open
// opens a store on that subtest's database (a directory, or a PostgreSQL
// database) under one master key: every call opens the same data again.
// Stores it returns are closed when the subtest ends.
func forEachEngine(t *testing.T, test func(t *testing.T, open func() *Store)) {
	t.Helper()
	engines := []struct {
		name  string
		place func(t *testing.T, key []byte) func() (*Store, error)
	}{
		{"badger", func(t *testing.T, key []byte) func() (*Store, error) {
			dir := t.TempDir()
			return func() (*Store, error) { return Open(dir, key, quietLog()) }
		}},
		{"postgres", func(t *testing.T, key []byte) func() (*Store, error) {
			url := pgtest.URL(t)
			return func() (*Store, error) { return OpenPostgres(url, key, quietLog()) }
		}},
	}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			openPlace := e.place(t, newKey(t))
			test(t, func() *Store {
				t.Helper()
				s, err := openPlace()
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				return s
			})
		})
	}
}
