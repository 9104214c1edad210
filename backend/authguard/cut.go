package authguard

import (
	"strings"
	"unicode/utf8"

	"hostbound/backend/audit"
)

// Bounds of the text a failure record keeps.
const (
	maxTarget = 256
	maxReason = 512
	maxName   = 256 // actor names, source, operation: an SSH login name will be attacker text too
	ellipsis  = "…"
)

// trim bounds every text field of a failure record.
func trim(r audit.Record) audit.Record {
	r.Target, r.Reason = cut(r.Target, maxTarget), cut(r.Reason, maxReason)
	for _, f := range []*string{&r.Actor, &r.ActorName, &r.ActorKind, &r.Source, &r.Operation} {
		*f = cut(*f, maxName)
	}
	return r
}

// cut returns s in at most limit bytes (limit > len(ellipsis)), cut on a
// character boundary and ending in "…" when shortened. Invalid UTF-8 is
// repaired as audit.Append would repair it (a run of bad bytes becomes one
// U+FFFD), so the stored text stays within the bound. The work is one pass
// over s with at most limit bytes of output, however long s is.
func cut(s string, limit int) string {
	if len(s) <= limit && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(min(len(s), limit))
	keep := 0    // the longest prefix of b that leaves room for the ellipsis
	bad := false // inside a run of invalid bytes
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		piece := s[i : i+w]
		i += w
		if r == utf8.RuneError && w == 1 {
			if bad {
				continue
			}
			piece = "\uFFFD"
		}
		bad = r == utf8.RuneError && w == 1
		if b.Len()+len(piece) > limit {
			return b.String()[:keep] + ellipsis
		}
		b.WriteString(piece)
		if b.Len() <= limit-len(ellipsis) {
			keep = b.Len()
		}
	}
	return b.String()
}
