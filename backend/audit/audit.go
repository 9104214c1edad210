// Package audit is Hostbound's append-only, hash-chained audit trail.
//
// Records are stored under "audit/rec/<seq>" with a zero-padded sequence
// number. Each holds Prev, the chain value of the record before it, V, the
// version of the encoding it was hashed in, and Hash = HMAC-SHA256(audit
// key, the record in that encoding, Prev included); encoding.go defines the
// versions, so Record can grow without breaking the hashes of old records.
// Append runs inside the caller's transaction, so a change and its record
// commit together or not at all; it cuts Target and Reason to a fixed size
// whatever the caller sends. Verify walks the chain and names the first
// record that does not fit.
package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"hostbound/backend/keys"
	"hostbound/backend/store"
)

// Actor kinds.
const (
	ActorOperator = "operator"
	ActorAPIUser  = "api"
	ActorSystem   = "system"
)

// Results.
const (
	Success = "success"
	Failure = "failure"
)

// Record is one audited action. It never holds a secret.
type Record struct {
	Seq       uint64    `json:"seq"`
	Time      time.Time `json:"time"`
	Actor     string    `json:"actor"`     // username
	ActorName string    `json:"actorName"` // full name
	ActorKind string    `json:"actorKind"`
	Source    string    `json:"source"` // source address, or "desktop"
	Operation string    `json:"operation"`
	Target    string    `json:"target"`
	Result    string    `json:"result"`
	Reason    string    `json:"reason"`
	Prev      string    `json:"prev"`
	Hash      string    `json:"hash"`
	// V is the encoding version Hash covers (see encoding.go); 0, and not
	// stored, for records written before versions existed.
	V int `json:"v,omitempty"`
}

// The most one record holds of the fields a caller fills from outside input
// (a URL path, a REASON), in bytes, "…" included.
const (
	maxTarget = 1024
	maxReason = 2048
)

const (
	headKey   = "audit/head"
	recPrefix = "audit/rec/"
)

type head struct {
	Seq  uint64 `json:"seq"`
	Hash string `json:"hash"`
	// The newest hour and day aggregates (aggregate.go) are kept open
	// here, written with the head once per batch, instead of as keys of
	// their own: two fewer writes per batch. A bucket goes to its own key
	// when a record counts into a newer one.
	Hour *openBucket `json:"hour,omitempty"`
	Day  *openBucket `json:"day,omitempty"`
}

// openBucket is an aggregate kept in the head: its key and counts.
type openBucket struct {
	Key string `json:"key"`
	Counts
}

// Log appends to and verifies the chain.
type Log struct {
	mac      *keys.MAC // the chain's key
	clock    func() time.Time
	aggReady atomic.Bool // the aggregates' marker has been seen (aggregate.go)
	cols     columns     // what queries filter on (columns.go)
}

// New returns a log whose chain is keyed with key (derived from the master
// key; see package keys).
func New(key []byte, clock func() time.Time) *Log {
	return &Log{mac: keys.NewMAC(key), clock: clock}
}

// ErrTampered: Verify found a record that does not fit the chain.
var ErrTampered = errors.New("audit trail has been tampered with")

// Append adds r to the chain inside tx, filling Seq, Time, Prev, V and Hash.
// A Target longer than 1024 bytes or a Reason longer than 2048 is cut on a
// character boundary and ends in "…".
func (l *Log) Append(tx *store.Txn, r Record) (Record, error) {
	p, err := pendingOf(tx)
	if err != nil {
		return Record{}, fmt.Errorf("audit append: %w", err)
	}
	h := p.head
	r.Seq = h.Seq + 1
	// Fields can hold what a client sent (a resource name in a URL, a
	// REASON). JSON turns invalid UTF-8 into "\ufffd" escapes, which read
	// back as U+FFFD and marshal differently: the stored record would no
	// longer match its hash. Store the repaired text, as it will be read.
	for _, f := range []*string{&r.Actor, &r.ActorName, &r.ActorKind, &r.Source, &r.Operation, &r.Target, &r.Result, &r.Reason} {
		*f = strings.ToValidUTF8(*f, "\uFFFD")
	}
	r.Target, r.Reason = clip(r.Target, maxTarget), clip(r.Reason, maxReason)
	if r.Time.IsZero() {
		r.Time = l.clock().UTC()
	}
	r.Prev = h.Hash
	r.V = currentVersion
	r.Hash, _ = l.chain(r) // currentVersion always has an encoder
	if err := tx.Put(recKey(r.Seq), r); err != nil {
		return Record{}, fmt.Errorf("audit append: %w", err)
	}
	p.head.Seq, p.head.Hash = r.Seq, r.Hash    // written once per batch (pending.go)
	if err := tx.PutKey(cKey(r)); err != nil { // the filters' column (columns.go)
		return Record{}, fmt.Errorf("audit append: %w", err)
	}
	e := entryOf(r)
	tx.AfterCommit(func() { l.cols.add(e) })
	if err := l.aggregate(tx, p, r); err != nil { // the dashboard's counters (aggregate.go)
		return Record{}, fmt.Errorf("audit append: %w", err)
	}
	return r, nil
}

// List returns the records in order (oldest first). Filters and paging come
// with the audit screen.
func (l *Log) List(tx *store.Txn) ([]Record, error) {
	var out []Record
	err := tx.Each(recPrefix, func(_ string, decode func(any) error) (bool, error) {
		var r Record
		if err := decode(&r); err != nil {
			return false, err
		}
		out = append(out, r)
		return true, nil
	})
	return out, err
}

// Verify walks the whole chain. It returns the number of records checked,
// or an error wrapping ErrTampered that names the first bad sequence number.
func (l *Log) Verify(tx *store.Txn) (uint64, error) { return l.VerifyProgress(tx, nil) }

// progressEvery is how many records pass between two progress calls.
const progressEvery = 4096

// VerifyProgress is Verify telling progress (when set) how many records
// it has checked, now and then and at the end.
func (l *Log) VerifyProgress(tx *store.Txn, progress func(checked uint64)) (uint64, error) {
	h, herr := readHead(tx)
	if herr != nil {
		return 0, fmt.Errorf("audit verify: %w", herr)
	}
	var n uint64
	prev := ""
	err := tx.Each(recPrefix, func(key string, decode func(any) error) (bool, error) {
		n++
		var r Record
		if err := decode(&r); err != nil {
			return false, fmt.Errorf("%w: record %d cannot be read", ErrTampered, n)
		}
		if key != recKey(n) || r.Seq != n {
			return false, fmt.Errorf("%w: record %d is missing or out of order", ErrTampered, n)
		}
		sum, err := l.chain(r)
		if err != nil {
			return false, fmt.Errorf("%w: record %d: %v", ErrTampered, n, err)
		}
		if r.Prev != prev || !hmac.Equal([]byte(r.Hash), []byte(sum)) {
			return false, fmt.Errorf("%w: record %d was altered", ErrTampered, n)
		}
		prev = r.Hash
		if progress != nil && n%progressEvery == 0 {
			progress(n)
		}
		return true, nil
	})
	if progress != nil {
		progress(n)
	}
	if err != nil {
		return n, err
	}
	if n != h.Seq || prev != h.Hash {
		return n, fmt.Errorf("%w: the chain ends at record %d but %d were written", ErrTampered, n, h.Seq)
	}
	return n, nil
}

// chain returns r's Hash: the HMAC of r in the encoding r.V names.
func (l *Log) chain(r Record) (string, error) {
	b, err := hashInput(r)
	if err != nil {
		return "", err
	}
	var sum [sha256.Size]byte
	return hex.EncodeToString(l.mac.Sum(sum[:0], b)), nil
}

// clip cuts valid UTF-8 s to at most n bytes, "…" included, without
// splitting a character.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func recKey(seq uint64) string { return recPrefix + store.Num(seq) }

// Record appends r in a transaction of its own, for events that change
// nothing else (a refused attempt, a login). Its failure is not returned:
// the event's outcome stands, and a failing store shows on the next write.
func (l *Log) Record(st *store.Store, r Record) {
	_ = st.Update(func(tx *store.Txn) error {
		_, err := l.Append(tx, r)
		return err
	})
}
