package sshcli

import (
	"errors"
	"maps"
	"testing"
)

func TestParseCommand(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, raw string
		want      Command
	}{
		{"a bare command is upper-cased", "help", Command{Name: "HELP", Options: map[string]string{}}},
		{"options are name=value, names lower-cased", "RETRIEVE --Resource=db01 --account=postgres",
			Command{Name: "RETRIEVE", Options: map[string]string{"resource": "db01", "account": "postgres"}}},
		{"a double-quoted value keeps its spaces", `RETRIEVE --reason="nightly backup"`,
			Command{Name: "RETRIEVE", Options: map[string]string{"reason": "nightly backup"}}},
		{"a single-quoted value is literal", `RETRIEVE --reason='a "b" \c'`,
			Command{Name: "RETRIEVE", Options: map[string]string{"reason": `a "b" \c`}}},
		{"a double-quoted value unescapes \\\" and \\\\ only", `X --a="q\"\\\n"`,
			Command{Name: "X", Options: map[string]string{"a": `q"\\n`}}},
		{"a whole quoted word is an option too", `X "--reason=two words"`,
			Command{Name: "X", Options: map[string]string{"reason": "two words"}}},
		{"a value the client's shell unquoted continues over plain words", "X --reason=nightly  backup --ticketid=7",
			Command{Name: "X", Options: map[string]string{"reason": "nightly  backup", "ticketid": "7"}}},
		{"an empty value is a value", "X --account=",
			Command{Name: "X", Options: map[string]string{"account": ""}}},
		{"a value may hold =", "X --newpassword=a=b",
			Command{Name: "X", Options: map[string]string{"newpassword": "a=b"}}},
		{"white space around is ignored", " \tX  --a=1 \r\n",
			Command{Name: "X", Options: map[string]string{"a": "1"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseCommand(tc.raw)
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != tc.want.Name || !maps.Equal(got.Options, tc.want.Options) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestParseCommandRefusals(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{
		"", "   ", "RETRIEVE db01", "RETRIEVE --resource", "RETRIEVE --resource=a --resource=b",
		"RETRIEVE --Resource=a --resource=b", `RETRIEVE --reason="open`, "RETRIEVE --reason='open",
		`RETRIEVE --a=b\`, "RE;TRIEVE", "X --a.b=1", "X --=1", string(make([]byte, MaxCommandLen+1)),
	} {
		if c, err := ParseCommand(raw); !errors.Is(err, ErrUsage) {
			t.Errorf("%q: got %+v, %v; want a usage error", raw, c, err)
		}
	}
}

func TestCheckNamesWhatIsWrong(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]string{
		"LIST":                  `usage: unknown command "LIST". Commands: RETRIEVE, RESET_LOCAL, HELP`,
		"RETRIEVE --resource=a": "usage: missing option --account. Usage: " + commands["RETRIEVE"].synopsis,
		"RETRIEVE --resource=a --account=b --x=1": "usage: unknown option --x for RETRIEVE. Usage: " + commands["RETRIEVE"].synopsis,
		"HELP --x=1": "usage: unknown option --x for HELP. Usage: HELP",
	} {
		c, err := ParseCommand(raw)
		if err == nil {
			err = check(c)
		}
		if err == nil || err.Error() != want {
			t.Errorf("%q: %v, want %q", raw, err, want)
		}
	}
}

// FuzzParseCommand: no input panics; what parses formats back (String) to
// a line that parses to the same command; an error is always a usage error.
func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{
		"HELP", "RETRIEVE --resource=db01 --account=postgres --reason=\"nightly backup\"",
		"RESET_LOCAL --resource=db01 --account=postgres --newpassword='it'\\''s' --reason=x y",
		`X "--a=b c" --d=\ e`, "X --a=\"\\\"\\\\\"", "X --a='", "X --a=\x00\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		c, err := ParseCommand(raw)
		if err != nil {
			if !errors.Is(err, ErrUsage) {
				t.Fatalf("%q: an error that is not a usage error: %v", raw, err)
			}
			return
		}
		if len(c.String()) > MaxCommandLen {
			return // quoting made it longer than a client may send
		}
		again, err := ParseCommand(c.String())
		if err != nil {
			t.Fatalf("%q: formatted as %q, which does not parse: %v", raw, c.String(), err)
		}
		if again.Name != c.Name || !maps.Equal(again.Options, c.Options) {
			t.Fatalf("%q: round trip through %q gave %+v, want %+v", raw, c.String(), again, c)
		}
	})
}
