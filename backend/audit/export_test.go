package audit

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"hostbound/backend/internal/testenv"
	"hostbound/backend/store"
)

func TestCSVRoundTripKeepsCommasQuotesAndNewlines(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	log := New([]byte("k"), testenv.NewClock().Now)
	tricky := []Record{
		{Actor: "admin", ActorName: `Ada "The Admin", Sr.`, Operation: "create api user", Target: "backup@web01,db01", Result: Success},
		{Actor: "bob", ActorName: "Bob\nNewline", Operation: "login", Target: "a;b", Result: Failure, Reason: "line1\r\nline2, \"quoted\""},
		{Actor: "eve", ActorName: "=HYPERLINK(\"http://x\")", Operation: "login", Target: "@SUM(1)", Result: Failure},
	}
	st.Update(func(tx *store.Txn) error {
		for _, r := range tricky {
			if _, err := log.Append(tx, r); err != nil {
				return err
			}
		}
		return nil
	})
	var buf bytes.Buffer
	st.View(func(tx *store.Txn) error {
		n, err := log.Export(tx, Filter{}, CSV, &buf, nil)
		if err != nil || n != 3 {
			t.Fatalf("export: %d, %v", n, err)
		}
		return nil
	})
	if !strings.HasPrefix(buf.String(), strings.Join(CSVHeader, ",")+"\r\n") {
		t.Fatalf("no CRLF header row: %q", buf.String()[:40])
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil || len(rows) != 4 {
		t.Fatalf("parse: %d rows, %v", len(rows), err)
	}
	// Newest first: rows[1] is eve, whose formulas are defused.
	if rows[1][3] != `'=HYPERLINK("http://x")` || rows[1][7] != "'@SUM(1)" {
		t.Fatalf("formula not defused: %q", rows[1])
	}
	rows = rows[1:]
	if rows[1][3] != "Bob\nNewline" || rows[1][9] != "line1\nline2, \"quoted\"" || rows[2][3] != `Ada "The Admin", Sr.` || rows[2][7] != "backup@web01,db01" {
		t.Fatalf("fields changed: %q", rows)
	}
	if _, err := time.Parse(time.RFC3339Nano, rows[1][1]); err != nil {
		t.Fatalf("time: %v", err)
	}

	buf.Reset()
	st.View(func(tx *store.Txn) error {
		_, err := log.Export(tx, Filter{Actor: "admin"}, JSONL, &buf, nil)
		return err
	})
	var r Record
	if err := json.Unmarshal(bytes.TrimSpace(buf.Bytes()), &r); err != nil || r.ActorName != tricky[0].ActorName {
		t.Fatalf("jsonl: %v %+v", err, r)
	}
}
