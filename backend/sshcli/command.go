package sshcli

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Command is one exec request in PMP's syntax: a name (upper case) and
// its --name=value options (names lower case).
type Command struct {
	Name    string
	Options map[string]string
}

// MaxCommandLen bounds the raw command a client may send.
const MaxCommandLen = 8 << 10

// ErrUsage is wrapped by every error of ParseCommand: the command line is
// not in PMP's syntax. Its message is safe to show to the client.
var ErrUsage = errors.New("usage")

func usage(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUsage, fmt.Sprintf(format, args...))
}

// ParseCommand parses an exec request's raw command line:
//
//	NAME --option=value --other="a value" '--third=it''s'
//
// Words are split at unquoted white space; single quotes keep everything
// literally, double quotes keep everything but \" and \\ (which escape),
// and a backslash outside quotes escapes the next character, as a POSIX
// shell does. Every word after the name must be --name=value.
//
// Because ssh joins its arguments with single spaces, a value the client's
// shell unquoted (--reason="nightly backup" typed at a prompt arrives as
// --reason=nightly backup) continues over the following words that are not
// options, with the white space between them as it arrived. A value that
// itself holds " --" or starts or ends with white space must be quoted for
// the remote side too.
//
// Names are case-insensitive (made upper case for the command, lower case
// for options); an option may be given once.
func ParseCommand(raw string) (Command, error) {
	if len(raw) > MaxCommandLen {
		return Command{}, usage("the command is longer than %d bytes", MaxCommandLen)
	}
	words, err := splitWords(raw)
	if err != nil {
		return Command{}, err
	}
	if len(words) == 0 {
		return Command{}, usage("no command")
	}
	if !validName(words[0].text) {
		return Command{}, usage("invalid command %q", clip(words[0].text))
	}
	c := Command{Name: strings.ToUpper(words[0].text), Options: map[string]string{}}
	last := ""
	for i, w := range words[1:] {
		if !strings.HasPrefix(w.text, "--") {
			if last == "" {
				return Command{}, usage("unexpected argument %q: options are --name=value", clip(w.text))
			}
			// A value split by the client's shell: keep the white space
			// that separated it as it arrived.
			c.Options[last] += raw[words[i].end:w.start] + w.text
			continue
		}
		name, value, ok := strings.Cut(w.text[2:], "=")
		if !ok {
			return Command{}, usage("option %q needs a value: --name=value", clip(w.text))
		}
		if !validName(name) {
			return Command{}, usage("invalid option name %q", clip(name))
		}
		name = strings.ToLower(name)
		if _, dup := c.Options[name]; dup {
			return Command{}, usage("option --%s is given twice", name)
		}
		c.Options[name], last = value, name
	}
	return c, nil
}

// String formats c so that ParseCommand reads it back: options in name
// order, values single-quoted.
func (c Command) String() string {
	var b strings.Builder
	b.WriteString(c.Name)
	for _, name := range slices.Sorted(maps.Keys(c.Options)) {
		b.WriteString(" --" + name + "=" + quote(c.Options[name]))
	}
	return b.String()
}

// quote single-quotes s for a POSIX shell and for ParseCommand.
func quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// validName: a command or option name, ASCII letters, digits, - and _.
func validName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// clip shortens what a message quotes back.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

type word struct {
	text       string
	start, end int // the raw bytes it came from
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// splitWords splits raw into shell words (see ParseCommand).
func splitWords(raw string) ([]word, error) {
	var words []word
	i := 0
	for {
		for i < len(raw) && isSpace(raw[i]) {
			i++
		}
		if i == len(raw) {
			return words, nil
		}
		start := i
		var b strings.Builder
		for i < len(raw) && !isSpace(raw[i]) {
			switch c := raw[i]; c {
			case '\'':
				end := strings.IndexByte(raw[i+1:], '\'')
				if end < 0 {
					return nil, usage("unterminated single quote")
				}
				b.WriteString(raw[i+1 : i+1+end])
				i += end + 2
			case '"':
				i++
				for {
					if i == len(raw) {
						return nil, usage("unterminated double quote")
					}
					if raw[i] == '"' {
						i++
						break
					}
					if raw[i] == '\\' && i+1 < len(raw) && (raw[i+1] == '"' || raw[i+1] == '\\') {
						i++
					}
					b.WriteByte(raw[i])
					i++
				}
			case '\\':
				if i+1 == len(raw) {
					return nil, usage("a backslash ends the command")
				}
				b.WriteByte(raw[i+1])
				i += 2
			default:
				b.WriteByte(c)
				i++
			}
		}
		words = append(words, word{text: b.String(), start: start, end: i})
	}
}
