package store

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// ledgerTxn is a transaction's side of the ledger: the lists as it sees
// them (as of its begin, with its own writes marked pending) and its writes.
type ledgerTxn struct {
	l    *ledger
	view [len(appendOnly)]*ledgerState
	pend []ledgerWrite
}

// inLedger reports whether key lives in the ledger (not a legacy key in
// Badger), with its list and number.
func (x *ledgerTxn) inLedger(key string) (list int, seq uint64, ok bool) {
	list, seq, ok = ledgerKey(key)
	if !ok {
		return 0, 0, false
	}
	if l := &x.l.lists[list]; l.hasLegacy && seq <= l.legacyMax {
		return 0, 0, false
	}
	return list, seq, true
}

// write records a set (or delete) of key, number seq, in list.
func (x *ledgerTxn) write(list int, seq uint64, key string, value []byte, del bool) error {
	st := x.view[list]
	if p := st.at(seq); p != absent {
		same := false
		err := x.open(p, func(k, _ []byte) error { same = string(k) == key; return nil })
		if err != nil {
			return err
		}
		if !same {
			if del {
				return nil // not this key
			}
			return fmt.Errorf("store: %s%s: %w", appendOnly[list], Num(seq), errSameNumber)
		}
	} else if del {
		return nil
	}
	next, err := st.with(seq, pendingBit|uint64(len(x.pend)))
	if err != nil {
		return err
	}
	x.view[list] = next
	x.pend = append(x.pend, ledgerWrite{list: list, seq: seq, key: key, value: value, delete: del})
	return nil
}

// entryAt returns the key and value at a position of the view, read
// through r (valid until its next read); errAbsent for a number without a
// key.
func (x *ledgerTxn) entryAt(r *ledgerReader, p uint64) ([]byte, []byte, error) {
	if p&pendingBit != 0 {
		w := x.pend[p&^pendingBit]
		if w.delete {
			return nil, nil, errAbsent
		}
		return []byte(w.key), w.value, nil
	}
	return r.read(p)
}

// open calls fn with the key and value at position p of the view (valid
// during the call), read by a get's reader.
func (x *ledgerTxn) open(p uint64, fn func(key, value []byte) error) error {
	r := x.l.reader(false, false)
	defer r.release()
	k, v, err := x.entryAt(r, p)
	if err != nil {
		return err
	}
	return fn(k, v)
}

// errAbsent: the number has no key.
var errAbsent = errors.New("no key with this number")

// size is the number of the list's first entry and how many numbers the
// list spans as this transaction sees it.
func (x *ledgerTxn) size(list int) (first uint64, n int) {
	st := x.view[list]
	return st.first, st.count()
}

// entry returns the key and value of a list's i-th number (errAbsent: none).
func (x *ledgerTxn) entry(r *ledgerReader, list, i int) ([]byte, []byte, error) {
	p := x.view[list].index(i)
	if p == absent {
		return nil, nil, errAbsent
	}
	return x.entryAt(r, p)
}

func (x *ledgerTxn) get(list int, seq uint64, key string, fn func([]byte) error) error {
	p := x.view[list].at(seq)
	if p == absent {
		return ErrNotFound
	}
	r := x.l.reader(false, false)
	defer r.release()
	k, v, err := x.entryAt(r, p)
	if errors.Is(err, errAbsent) || (err == nil && string(k) != key) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	return fn(v)
}

// lists returns the lists a scan of prefix may meet.
func (x *ledgerTxn) lists(prefix string) []int {
	var ls []int
	for i, p := range appendOnly {
		if strings.HasPrefix(p, prefix) || strings.HasPrefix(prefix, p) {
			if _, n := x.size(i); n > 0 {
				ls = append(ls, i)
			}
		}
	}
	return ls
}

// scanSource is one ordered stream of a merged scan.
type scanSource interface {
	valid() bool
	key() string
	value() func(func([]byte) error) error
	next() error
}

// ledgerSource walks one list's keys that start with prefix, reading
// through a scan's reader (release gives it back).
type ledgerSource struct {
	x       *ledgerTxn
	r       *ledgerReader
	list    int
	prefix  string
	reverse bool
	i, n    int
	k       string
	v       []byte
	ok      bool
	// val hands the current value to a callback (nil: keys only); made
	// once, not per entry.
	val func(func([]byte) error) error
}

func (x *ledgerTxn) source(list int, prefix, start string, reverse, keysOnly bool) (*ledgerSource, error) {
	_, n := x.size(list)
	s := &ledgerSource{x: x, list: list, prefix: prefix, reverse: reverse, n: n}
	if !keysOnly {
		s.val = func(fn func([]byte) error) error { return fn(s.v) }
	}
	if err := s.seek(start); err != nil {
		return nil, err
	}
	s.r = x.l.reader(true, reverse)
	if err := s.load(); err != nil {
		s.release()
		return nil, err
	}
	return s, nil
}

// seek finds where the walk starts by a binary search over the list (in
// key order), with a get's reader: those reads are far apart.
func (s *ledgerSource) seek(start string) error {
	r := s.x.l.reader(false, false)
	defer r.release()
	var err error
	first := s.x.view[s.list].first
	keyAt := func(i int) string {
		if err != nil {
			return ""
		}
		k, _, e := s.x.entry(r, s.list, i)
		if errors.Is(e, errAbsent) {
			// Orders like the key it lacks: its number, no suffix.
			return appendOnly[s.list] + Num(first+uint64(i))
		}
		err = e
		return string(k)
	}
	switch {
	case s.reverse: // the last key at or below start
		s.i = sort.Search(s.n, func(i int) bool { return keyAt(i) > start }) - 1
	case strings.HasPrefix(s.prefix, appendOnly[s.list]): // the first key at or above prefix
		s.i = sort.Search(s.n, func(i int) bool { return keyAt(i) >= s.prefix })
	}
	return err
}

// release gives the source's reader back; the source is done.
func (s *ledgerSource) release() {
	if s.r != nil {
		s.r.release()
		s.r, s.ok = nil, false
	}
}

// load reads the entry at i (skipping numbers without a key); the source
// ends when it is out of range or no longer has the prefix (the list is
// in key order).
func (s *ledgerSource) load() error {
	s.ok = false
	for s.i >= 0 && s.i < s.n {
		k, v, err := s.x.entry(s.r, s.list, s.i)
		if errors.Is(err, errAbsent) {
			s.step()
			continue
		}
		if err != nil {
			return err
		}
		if !strings.HasPrefix(string(k), s.prefix) {
			return nil
		}
		s.k, s.v, s.ok = string(k), v, true
		return nil
	}
	return nil
}

func (s *ledgerSource) step() {
	if s.reverse {
		s.i--
	} else {
		s.i++
	}
}

func (s *ledgerSource) valid() bool                           { return s.ok }
func (s *ledgerSource) key() string                           { return s.k }
func (s *ledgerSource) value() func(func([]byte) error) error { return s.val }

func (s *ledgerSource) next() error {
	s.step()
	return s.load()
}

// mergeScan calls fn with the keys of every source in key order (reverse:
// descending). No key is in two sources.
func mergeScan(srcs []scanSource, reverse bool, fn func(string, func(func([]byte) error) error) (bool, error)) error {
	for {
		var best scanSource
		for _, s := range srcs {
			if !s.valid() {
				continue
			}
			if best == nil || (!reverse && s.key() < best.key()) || (reverse && s.key() > best.key()) {
				best = s
			}
		}
		if best == nil {
			return nil
		}
		more, err := fn(best.key(), best.value())
		if err != nil || !more {
			return err
		}
		if err := best.next(); err != nil {
			return err
		}
	}
}
