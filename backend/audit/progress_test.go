package audit

import (
	"testing"

	"hostbound/backend/internal/testenv"
	"hostbound/backend/store"
)

func TestVerifyTellsItsProgress(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	log := New([]byte("k"), testenv.NewClock().Now)
	const n = 2*progressEvery + 10
	for done := 0; done < n; done += 1000 {
		if err := st.Update(func(tx *store.Txn) error {
			for range min(1000, n-done) {
				if _, err := log.Append(tx, Record{Actor: "a", Operation: "op"}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	var seen []uint64
	err := st.View(func(tx *store.Txn) error {
		_, err := log.VerifyProgress(tx, func(c uint64) { seen = append(seen, c) })
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []uint64{progressEvery, 2 * progressEvery, n}; len(seen) != 3 || seen[0] != want[0] || seen[1] != want[1] || seen[2] != want[2] {
		t.Fatalf("progress %v, want %v", seen, want)
	}
}
