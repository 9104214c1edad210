package onboard

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// aliases are further names of columns (PRODUCT.md calls Host Name "Host"
// and Expiry Date "Expiry"), lower-cased.
var aliases = map[string]int{"host": 1, "expiry": 7}

// columnOf returns the index into Columns of a header cell: any case, any
// run of spaces between words.
func columnOf(name string) (int, bool) {
	norm := strings.ToLower(strings.Join(strings.Fields(name), " "))
	for i, c := range Columns {
		if strings.ToLower(c) == norm {
			return i, true
		}
	}
	i, ok := aliases[norm]
	return i, ok
}

// ParseCSV reads a CSV file with a header row (see the package doc). It
// returns the rows in order, or the first error: ErrUnknownColumn,
// ErrDuplicateColumn, ErrNoHostColumn, ErrMalformed (with the line),
// ErrEmpty or ErrTooManyRows.
func ParseCSV(r io.Reader) ([]Row, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // rows may leave out trailing empty cells
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, ErrEmpty
	}
	if err != nil {
		return nil, malformed(err)
	}
	cols := make([]int, len(header))
	seen := map[int]bool{}
	for i, name := range header {
		c, ok := columnOf(name)
		switch {
		case strings.TrimSpace(name) == "":
			return nil, fmt.Errorf("%w: column %d has no name (the columns are %s)", ErrUnknownColumn, i+1, strings.Join(Columns, ", "))
		case !ok:
			return nil, fmt.Errorf("%w %q (the columns are %s)", ErrUnknownColumn, strings.TrimSpace(name), strings.Join(Columns, ", "))
		case seen[c]:
			return nil, fmt.Errorf("%w: %s", ErrDuplicateColumn, Columns[c])
		}
		seen[c], cols[i] = true, c
	}
	if !seen[1] {
		return nil, ErrNoHostColumn
	}
	var rows []Row
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, malformed(err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) > len(cols) {
			return nil, fmt.Errorf("%w: line %d has %d cells, the header %d", ErrMalformed, line, len(rec), len(cols))
		}
		row, empty := Row{Line: line}, true
		for i, v := range rec {
			v = strings.TrimSpace(v)
			*row.cell(cols[i]) = v
			empty = empty && v == ""
		}
		if empty {
			continue
		}
		if len(rows) == MaxRows {
			return nil, fmt.Errorf("%w: more than %d", ErrTooManyRows, MaxRows)
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil, ErrEmpty
	}
	return rows, nil
}

// malformed names the line of a csv.ParseError.
func malformed(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%w: line %d: %v", ErrMalformed, pe.StartLine, pe.Err)
	}
	return fmt.Errorf("%w: %v", ErrMalformed, err)
}

// ParseHosts reads a host list: one host a line (see the package doc). A
// line is kept as it is, trimmed: a line that is not one host is the
// validation's to refuse, on its own row.
func ParseHosts(text string) ([]Row, error) {
	text = strings.TrimPrefix(text, "\uFEFF")
	var rows []Row
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if len(rows) == MaxRows {
			return nil, fmt.Errorf("%w: more than %d", ErrTooManyRows, MaxRows)
		}
		rows = append(rows, Row{Line: i + 1, Host: line})
	}
	if len(rows) == 0 {
		return nil, ErrEmpty
	}
	return rows, nil
}
