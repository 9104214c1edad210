package audit

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"hostbound/backend/internal/testenv"
	"hostbound/backend/store"
)

func TestVerifyDetectsTampering(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		tamper func(tx *store.Txn) error
		want   string
	}{
		{"an honest log verifies", func(*store.Txn) error { return nil }, ""},
		{"an edited record is named", func(tx *store.Txn) error {
			var r Record
			if err := tx.Get(recKey(3), &r); err != nil {
				return err
			}
			r.Result = Success
			r.Reason = "edited"
			return tx.Put(recKey(3), r)
		}, "record 3 was altered"},
		{"a removed record is named", func(tx *store.Txn) error { return tx.Delete(recKey(2)) }, "record 2 is missing"},
		{"a removed last record is noticed", func(tx *store.Txn) error { return tx.Delete(recKey(5)) }, "chain ends at record 4"},
		{"two swapped records are named", func(tx *store.Txn) error {
			var a, b Record
			if err := tx.Get(recKey(2), &a); err != nil {
				return err
			}
			if err := tx.Get(recKey(4), &b); err != nil {
				return err
			}
			a.Seq, b.Seq = 4, 2
			if err := tx.Put(recKey(2), b); err != nil {
				return err
			}
			return tx.Put(recKey(4), a)
		}, "record 2 was altered"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			st := testenv.Store(t)
			log := New([]byte("k"), testenv.NewClock().Now)
			for i := 1; i <= 5; i++ {
				err := st.Update(func(tx *store.Txn) error {
					_, err := log.Append(tx, Record{Actor: "admin", Operation: "op", Target: fmt.Sprint(i), Result: Failure})
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			if err := st.Update(c.tamper); err != nil {
				t.Fatal(err)
			}
			st.View(func(tx *store.Txn) error {
				n, err := log.Verify(tx)
				if c.want == "" {
					if err != nil || n != 5 {
						t.Fatalf("honest log: %d, %v", n, err)
					}
					return nil
				}
				if !errors.Is(err, ErrTampered) || !strings.Contains(err.Error(), c.want) {
					t.Fatalf("got %v, want %q", err, c.want)
				}
				return nil
			})
		})
	}
}

func TestConcurrentAppendsKeepOneChain(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	log := New([]byte("k"), testenv.NewClock().Now)
	errs := make(chan error, 16)
	for w := range 16 {
		go func() {
			for i := range 10 {
				errs <- st.Update(func(tx *store.Txn) error {
					_, err := log.Append(tx, Record{Actor: fmt.Sprint(w), Operation: fmt.Sprint(i)})
					return err
				})
			}
		}()
	}
	for range 160 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	st.View(func(tx *store.Txn) error {
		if n, err := log.Verify(tx); err != nil || n != 160 {
			t.Fatalf("%d records, %v", n, err)
		}
		return nil
	})
}

// The records and the column are written once, in sequence: the embedded
// store keeps them out of Badger's tree (backend/store/ledger.go).
func TestRecordsAndColumnAreAppendOnlyInTheStore(t *testing.T) {
	for _, p := range []string{recPrefix, cPrefix} {
		if !store.AppendOnly(p) {
			t.Errorf("%s is not an append-only prefix of the store", p)
		}
	}
}
