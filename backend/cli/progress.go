package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Progress shows how far long work has come: a bar on a terminal, a plain
// line every tenth of the way otherwise (logs, CI).
type Progress interface {
	// Set says n of the total are done.
	Set(n int64)
	// Done ends the display and prints msg on its own line.
	Done(msg string)
}

// Progress returns a display of what (e.g. "verify audit trail") over
// total steps, on stderr; total < 0 when it is not known.
func (e *Env) Progress(total int64, what string) Progress {
	if e.StderrTTY {
		bar := progressbar.NewOptions64(total,
			progressbar.OptionSetWriter(e.Stderr),
			progressbar.OptionSetDescription(what),
			progressbar.OptionShowCount(),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish())
		return &barProgress{bar: bar, w: e.Stderr}
	}
	return &lineProgress{w: e.Stderr, what: what, total: total, last: -1}
}

type barProgress struct {
	bar *progressbar.ProgressBar
	w   io.Writer
}

func (p *barProgress) Set(n int64) { _ = p.bar.Set64(n) }

func (p *barProgress) Done(msg string) {
	_ = p.bar.Finish()
	if msg != "" {
		io.WriteString(p.w, msg+"\n")
	}
}

type lineProgress struct {
	w     io.Writer
	what  string
	total int64
	last  int64 // the last tenth printed
}

func (p *lineProgress) Set(n int64) {
	if p.total <= 0 {
		return
	}
	tenth := n * 10 / p.total
	if tenth == p.last {
		return
	}
	p.last = tenth
	fmt.Fprintf(p.w, "%s: %d of %d\n", p.what, n, p.total)
}

func (p *lineProgress) Done(msg string) {
	if msg != "" {
		io.WriteString(p.w, msg+"\n")
	}
}
