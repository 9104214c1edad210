package onboard_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"hostbound/backend/onboard"
)

func TestParseCSV(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		in   string
		want []onboard.Row
	}{
		{"reads every column by its header name",
			"Username,Host Name,Full Name,Access Level,Access Scope,Department,Location,Expiry Date,SSH Public Key\n" +
				"backup@web01,web01.example.com,Nightly Backup,Password User,Passwords Owned and Shared,Ops,Berlin,2030-01-31,ssh-ed25519 AAAA x\n",
			[]onboard.Row{{Line: 2, Username: "backup@web01", Host: "web01.example.com", FullName: "Nightly Backup",
				AccessLevel: "Password User", AccessScope: "Passwords Owned and Shared", Department: "Ops", Location: "Berlin",
				ExpiryDate: "2030-01-31", SSHPublicKey: "ssh-ed25519 AAAA x"}}},
		{"matches header names in any case and spacing, in any order",
			"HOST  NAME,username,full name\nweb01,backup@web01,Backup\n",
			[]onboard.Row{{Line: 2, Username: "backup@web01", Host: "web01", FullName: "Backup"}}},
		{"skips a UTF-8 byte order mark",
			"\uFEFFHost Name\nweb01\n",
			[]onboard.Row{{Line: 2, Host: "web01"}}},
		{"reads CRLF line ends",
			"Host Name,Department\r\nweb01,Ops\r\nweb02,Dev\r\n",
			[]onboard.Row{{Line: 2, Host: "web01", Department: "Ops"}, {Line: 3, Host: "web02", Department: "Dev"}}},
		{"reads quoted cells with commas, quotes and line breaks",
			"Host Name,Full Name,Location\nweb01,\"Backup, nightly\",\"Rack \"\"A\"\"\nRow 2\"\nweb02,x,y\n",
			[]onboard.Row{{Line: 2, Host: "web01", FullName: "Backup, nightly", Location: "Rack \"A\"\nRow 2"},
				{Line: 4, Host: "web02", FullName: "x", Location: "y"}}},
		{"leaves out empty rows, also those of empty cells",
			"Host Name,Department\n\nweb01,Ops\n,\n  ,  \nweb02,\n",
			[]onboard.Row{{Line: 3, Host: "web01", Department: "Ops"}, {Line: 6, Host: "web02"}}},
		{"trims the cells and accepts rows that leave out trailing cells",
			"Host Name,Full Name,Department\n  web01  ,  Backup \nweb02\n",
			[]onboard.Row{{Line: 2, Host: "web01", FullName: "Backup"}, {Line: 3, Host: "web02"}}},
		{"knows Host and Expiry as PRODUCT.md names them",
			"Host,Expiry\nweb01,2030-01-31\n",
			[]onboard.Row{{Line: 2, Host: "web01", ExpiryDate: "2030-01-31"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, err := onboard.ParseCSV(strings.NewReader(c.in))
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", c.want) {
				t.Fatalf("got  %+v\nwant %+v", got, c.want)
			}
		})
	}
}

func TestParseCSVRefusals(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		in      string
		want    error
		message string
	}{
		{"an unknown column, by its name", "Host Name,Hostname,Department\nweb01,x,y\n", onboard.ErrUnknownColumn,
			`unknown column "Hostname" (the columns are Username, Host Name, Full Name, Access Level, Access Scope, Department, Location, Expiry Date, SSH Public Key)`},
		{"a column without a name", "Host Name,,Department\nweb01,x,y\n", onboard.ErrUnknownColumn, "unknown column: column 2 has no name"},
		{"a column named twice", "Host Name,host name\nweb01,web02\n", onboard.ErrDuplicateColumn, "column named twice: Host Name"},
		{"no Host Name column", "Username,Full Name\nbackup,Backup\n", onboard.ErrNoHostColumn, "no Host Name column"},
		{"nothing at all", "", onboard.ErrEmpty, "no rows"},
		{"a header without rows", "Host Name\n\n", onboard.ErrEmpty, "no rows"},
		{"a row longer than the header", "Host Name\nweb01,extra\n", onboard.ErrMalformed, "malformed CSV: line 2 has 2 cells, the header 1"},
		{"a stray quote", "Host Name\nweb\"01\n", onboard.ErrMalformed, "malformed CSV: line 2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := onboard.ParseCSV(strings.NewReader(c.in))
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if !strings.HasPrefix(err.Error(), c.message) {
				t.Fatalf("message = %q, want it to start with %q", err, c.message)
			}
		})
	}
}

func TestParseCSVRefusesMoreThanMaxRows(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("Host Name\n")
	for i := range onboard.MaxRows + 1 {
		fmt.Fprintf(&b, "h%d\n", i)
	}
	if _, err := onboard.ParseCSV(strings.NewReader(b.String())); !errors.Is(err, onboard.ErrTooManyRows) {
		t.Fatalf("err = %v", err)
	}
}

func TestParseHosts(t *testing.T) {
	t.Parallel()
	got, err := onboard.ParseHosts("\uFEFFweb01.example.com\r\n\n  10.0.0.7  \n# the database\n10.0.1.0/24\r\nnot a host\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []onboard.Row{{Line: 1, Host: "web01.example.com"}, {Line: 3, Host: "10.0.0.7"}, {Line: 5, Host: "10.0.1.0/24"},
		{Line: 6, Host: "not a host"}}
	if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
	if _, err := onboard.ParseHosts(" \n# only a comment\n"); !errors.Is(err, onboard.ErrEmpty) {
		t.Fatalf("empty list: err = %v", err)
	}
}

// FuzzParseCSV: any input either parses into rows that each have a cell,
// starting on increasing lines, or fails with one of the sentinels.
func FuzzParseCSV(f *testing.F) {
	for _, s := range []string{
		"Username,Host Name,Full Name\nbackup@web01,web01,Backup\n",
		"\uFEFFHost Name\r\nweb01\r\n",
		"Host Name,Location\nweb01,\"a,\"\"b\"\"\nc\"\n",
		"Host Name,Bogus\nx,y\n",
		"Host Name\nx,y\n",
		"\"",
		"",
	} {
		f.Add(s)
	}
	sentinels := []error{onboard.ErrUnknownColumn, onboard.ErrDuplicateColumn, onboard.ErrNoHostColumn,
		onboard.ErrEmpty, onboard.ErrTooManyRows, onboard.ErrMalformed}
	f.Fuzz(func(t *testing.T, in string) {
		rows, err := onboard.ParseCSV(strings.NewReader(in))
		if err != nil {
			for _, s := range sentinels {
				if errors.Is(err, s) {
					return
				}
			}
			t.Fatalf("unexpected error %v", err)
		}
		last := 1
		for _, r := range rows {
			if r.Line <= last {
				t.Fatalf("line %d after %d", r.Line, last)
			}
			last = r.Line
			if r == (onboard.Row{Line: r.Line}) {
				t.Fatal("an empty row was kept")
			}
		}
	})
}

// 10,000 rows of every column, for the note's figures.
func BenchmarkParseCSV10000(b *testing.B) {
	var s strings.Builder
	s.WriteString(strings.Join(onboard.Columns, ",") + "\n")
	for i := range 10_000 {
		fmt.Fprintf(&s, "backup@web%05d,web%05d.example.com,Backup %d,Password User,Passwords Owned and Shared,Ops,Berlin,2030-01-31,\n", i, i, i)
	}
	in := s.String()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if rows, err := onboard.ParseCSV(strings.NewReader(in)); err != nil || len(rows) != 10_000 {
			b.Fatal(err)
		}
	}
}
