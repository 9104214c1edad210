package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"golang.org/x/term"
)

// osTerminal is the process's terminal: stdin for input, stderr for prompts.
type osTerminal struct {
	in  *os.File
	out io.Writer
	r   *bufio.Reader
}

// OSTerminal returns the terminal on stdin, or nil when stdin is not one
// (a pipe, a service): secrets must then come from files.
func OSTerminal() Terminal {
	if !term.IsTerminal(int(os.Stdin.Fd())) {
		return nil
	}
	return &osTerminal{in: os.Stdin, out: os.Stderr, r: bufio.NewReader(os.Stdin)}
}

// IsTerminal reports whether f is a terminal (stderr: draw progress bars).
func IsTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

func (t *osTerminal) ReadLine(prompt string) (string, error) {
	fmt.Fprint(t.out, prompt)
	line, err := t.r.ReadString('\n')
	if err != nil && line == "" {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// ReadPassword reads without echo. Ctrl-C while it waits restores the
// terminal's echo before the process ends.
func (t *osTerminal) ReadPassword(prompt string) (string, error) {
	fd := int(t.in.Fd())
	state, err := term.GetState(fd)
	if err != nil {
		return "", err
	}
	sig := make(chan os.Signal, 1)
	done := make(chan struct{})
	signal.Notify(sig, os.Interrupt)
	go func() {
		select {
		case <-sig:
			_ = term.Restore(fd, state)
			fmt.Fprintln(t.out)
			os.Exit(130)
		case <-done:
		}
	}()
	defer func() { signal.Stop(sig); close(done) }()
	fmt.Fprint(t.out, prompt)
	b, err := term.ReadPassword(fd)
	fmt.Fprintln(t.out)
	return string(b), err
}
