package store

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestConcurrentUpdatesCommitTogetherAndFailAlone(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func() *Store) {
		s := open()
		const writers = 64
		var wg sync.WaitGroup
		errs := make([]error, writers)
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = s.Update(func(tx *Txn) error {
					// Every writer moves one shared counter: a lost update
					// shows as a wrong total.
					var n int
					if err := tx.Get("counter", &n); err != nil && !errors.Is(err, ErrNotFound) {
						return err
					}
					if err := tx.Put("counter", n+1); err != nil {
						return err
					}
					if err := tx.Put(fmt.Sprintf("w/%02d", i), i); err != nil {
						return err
					}
					switch i % 16 {
					case 3:
						return fmt.Errorf("writer %d refuses", i)
					case 7:
						panic("writer panics")
					}
					return nil
				})
			}()
		}
		wg.Wait()
		ok := 0
		for i, err := range errs {
			switch i % 16 {
			case 3:
				if err == nil || !strings.Contains(err.Error(), "refuses") {
					t.Errorf("writer %d: %v", i, err)
				}
			case 7:
				if err == nil || !strings.Contains(err.Error(), "panicked") {
					t.Errorf("writer %d: %v", i, err)
				}
			default:
				if err != nil {
					t.Errorf("writer %d: %v", i, err)
				}
				ok++
			}
		}
		s.View(func(tx *Txn) error {
			var n int
			tx.Get("counter", &n)
			if n != ok {
				t.Errorf("counter %d, want %d successful writers", n, ok)
			}
			for i := range writers {
				has, _ := tx.Has(fmt.Sprintf("w/%02d", i))
				if has != (i%16 != 3 && i%16 != 7) {
					t.Errorf("writer %d's key present=%v", i, has)
				}
			}
			return nil
		})
	})
}

func TestAfterCommitRunsOnlyForCommittedWrites(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func() *Store) {
		s := open()
		var ran []string
		s.Update(func(tx *Txn) error { tx.AfterCommit(func() { ran = append(ran, "ok") }); return tx.Put("a", 1) })
		s.Update(func(tx *Txn) error { tx.AfterCommit(func() { ran = append(ran, "failed") }); return errors.New("no") })
		if strings.Join(ran, ",") != "ok" {
			t.Fatalf("hooks ran: %v", ran)
		}
		s.Close()
		if err := s.Update(func(*Txn) error { return nil }); !errors.Is(err, ErrClosed) {
			t.Fatalf("update after close: %v", err)
		}
	})
}

func TestABatchTooBigForOneTransactionIsSplit(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func() *Store) {
		s := open()
		big := strings.Repeat("x", 200<<10)
		var wg sync.WaitGroup
		errs := make([]error, 32)
		for i := range 32 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = s.Update(func(tx *Txn) error { return tx.Put(fmt.Sprint("big/", i), big) })
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("writer %d: %v", i, err)
			}
		}
		s.View(func(tx *Txn) error {
			if n, _ := tx.Count("big/"); n != 32 {
				t.Errorf("%d of 32 values stored", n)
			}
			return nil
		})
	})
}

// A counter kept in Local and written once by a BeforeCommit hook ends at
// the number of writers that committed: the hook sees every function of
// its batch, a failing function's increment is dropped with its retry, and
// the hook's AfterCommit runs.
func TestLocalStateIsWrittenOnceByBeforeCommit(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func() *Store) {
		s := open()
		type counter struct{ n, hooks int }
		var mu sync.Mutex
		committed := 0
		const writers = 64
		var wg sync.WaitGroup
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_ = s.Update(func(tx *Txn) error {
					c := tx.Local("counter", func() any {
						c := &counter{}
						if err := tx.Get("counter", &c.n); err != nil && !errors.Is(err, ErrNotFound) {
							panic(err)
						}
						tx.BeforeCommit(func(tx *Txn) error {
							c.hooks++
							if c.hooks > 1 {
								return fmt.Errorf("hook ran %d times", c.hooks)
							}
							n := c.n
							tx.AfterCommit(func() { mu.Lock(); committed = n; mu.Unlock() })
							return tx.Put("counter", c.n)
						})
						return c
					}).(*counter)
					c.n++
					if i%8 == 5 {
						return fmt.Errorf("writer %d refuses", i)
					}
					return nil
				})
			}()
		}
		wg.Wait()
		var n int
		if err := s.View(func(tx *Txn) error { return tx.Get("counter", &n) }); err != nil {
			t.Fatal(err)
		}
		if want := writers - writers/8; n != want {
			t.Errorf("counter = %d, want %d", n, want)
		}
		mu.Lock()
		defer mu.Unlock()
		if committed != n {
			t.Errorf("the hook's AfterCommit saw %d, want %d", committed, n)
		}
		if s.View(func(tx *Txn) error {
			if tx.Local("counter", nil) != nil {
				t.Error("a read-only transaction sees a batch's local state")
			}
			return nil
		}) != nil {
			t.Fatal("view")
		}
	})
}
