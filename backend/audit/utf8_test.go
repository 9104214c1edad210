package audit

import (
	"testing"
	"time"

	"hostbound/backend/internal/testenv"
	"hostbound/backend/store"
)

// A client controls some fields (a resource name in the URL, a REASON):
// invalid UTF-8 in them must not make the chain look tampered with.
func TestInvalidUTF8InARecordKeepsTheChainValid(t *testing.T) {
	st := testenv.Store(t)
	l := New([]byte("audit key"), time.Now)
	err := st.Update(func(tx *store.Txn) error {
		_, err := l.Append(tx, Record{Actor: "job\xc0", Target: "resourcename \xff\xfe", Reason: "reason \xed\xa0\x80", Operation: "GET_RESOURCEID"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = st.View(func(tx *store.Txn) error {
		if _, err := l.Verify(tx); err != nil {
			return err
		}
		recs, err := l.List(tx)
		if err == nil && recs[0].Target != "resourcename \uFFFD" {
			t.Errorf("target stored as %q", recs[0].Target)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
