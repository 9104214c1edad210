package audit

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"hostbound/backend/store"
)

// Export formats.
const (
	CSV   = "csv"   // RFC 4180, header row, CRLF line ends
	JSONL = "jsonl" // one JSON record per line
)

// CSVHeader is the first row of a CSV export.
var CSVHeader = []string{"seq", "time", "actor", "actor_name", "actor_kind", "source", "operation", "target", "result", "reason", "hash"}

// Export writes every record matching f, newest first, to w. progress, when
// set, is called every 1,000 records with the count so far. It returns the
// number of records written.
func (l *Log) Export(tx *store.Txn, f Filter, format string, w io.Writer, progress func(int)) (int, error) {
	var write func(Record) error
	var flush func() error
	switch format {
	case CSV:
		cw := csv.NewWriter(w)
		cw.UseCRLF = true
		if err := cw.Write(CSVHeader); err != nil {
			return 0, err
		}
		write = func(r Record) error {
			return cw.Write([]string{strconv.FormatUint(r.Seq, 10), r.Time.Format(time.RFC3339Nano), cell(r.Actor), cell(r.ActorName),
				r.ActorKind, cell(r.Source), cell(r.Operation), cell(r.Target), r.Result, cell(r.Reason), r.Hash})
		}
		flush = func() error { cw.Flush(); return cw.Error() }
	case JSONL:
		enc := json.NewEncoder(w)
		write = func(r Record) error { return enc.Encode(r) }
		flush = func() error { return nil }
	default:
		return 0, fmt.Errorf("export format %q: want csv or jsonl", format)
	}
	n := 0
	var before uint64
	for {
		p, err := l.Query(tx, f, before, 1000)
		if err != nil {
			return n, err
		}
		for _, r := range p.Records {
			if err := write(r); err != nil {
				return n, err
			}
			n++
		}
		if progress != nil && len(p.Records) > 0 {
			progress(n)
		}
		if p.Next == 0 {
			return n, flush()
		}
		before = p.Next
	}
}

// cell keeps a spreadsheet from running a field as a formula: text that
// starts with = + - @ (or a tab or CR) gets a leading apostrophe (OWASP's
// advice for CSV injection). Names and targets come from outside, so
// they are not trusted.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
