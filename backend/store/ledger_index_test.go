package store

import (
	"math/rand/v2"
	"testing"
)

// A state kept in chunks answers as a plain slice of positions does,
// through appends (across a segment's end, with large steps), rewrites
// and deletes of archived and recent numbers, gaps and prepends, and the
// states published before each change keep answering as they did.
func TestLedgerStateAnswersAsAPlainIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	type snapshot struct {
		st    *ledgerState
		first uint64
		ref   []uint64
	}
	st, first, ref := &ledgerState{}, uint64(0), []uint64(nil)
	var snaps []snapshot
	seg, off := uint64(0), uint64(0)
	next := func() uint64 { // the position of the next record appended
		switch r := rng.IntN(20000); {
		case r < 2:
			seg, off = seg+1, 0 // a new segment
		case r < 6:
			off += 70000 + uint64(rng.IntN(1<<20)) // a large record
		default:
			off += 40 + uint64(rng.IntN(1500))
		}
		return seg<<32 | off
	}
	set := func(seq, p uint64) {
		nst, err := st.with(seq, p)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case len(ref) == 0:
			first, ref = seq, []uint64{p}
		case seq < first:
			grown := make([]uint64, first-seq, uint64(len(ref))+first-seq)
			for i := range grown {
				grown[i] = absent
			}
			grown[0] = p
			first, ref = seq, append(grown, ref...)
		default:
			for seq-first >= uint64(len(ref)) {
				ref = append(ref, absent)
			}
			ref[seq-first] = p
		}
		st = nst
	}
	check := func(what string, s *ledgerState, first uint64, ref []uint64) {
		t.Helper()
		if s.count() != len(ref) || (len(ref) > 0 && s.first != first) {
			t.Fatalf("%s: count %d first %d, want %d %d", what, s.count(), s.first, len(ref), first)
		}
		for i, want := range ref {
			if got := s.at(first + uint64(i)); got != want {
				t.Fatalf("%s: at(%d) = %x, want %x", what, first+uint64(i), got, want)
			}
		}
		if s.at(first+uint64(len(ref))) != absent || (first > 0 && s.at(first-1) != absent) {
			t.Fatalf("%s: a number out of range has a position", what)
		}
	}
	set(100, next())
	// Appends only, as an audit trail grows: most chunks compact.
	for step := range 20000 {
		set(first+uint64(len(ref)), next())
		if step%2500 == 0 {
			snaps = append(snaps, snapshot{st, first, append([]uint64(nil), ref...)})
		}
	}
	check("appended", st, first, ref)
	compact := 0
	for _, c := range st.old {
		if c.raw == nil {
			compact++
		}
	}
	if len(st.old) < 15 || compact < len(st.old)/2 || compact == len(st.old) {
		t.Fatalf("%d of %d chunks compact after 20,000 appends: want most, and some whole (a segment end, a large record)", compact, len(st.old))
	}
	// Then everything else a restore or a test may do.
	for step := range 20000 {
		n := first + uint64(len(ref))
		switch r := rng.IntN(1000); {
		case r < 3: // rewrite an archived or recent number
			set(first+uint64(rng.IntN(len(ref))), next())
		case r < 5: // delete one
			set(first+uint64(rng.IntN(len(ref))), absent)
		case r < 6:
			set(n+uint64(1+rng.IntN(40)), next()) // a gap
		case r < 7 && first > 50:
			set(first-uint64(1+rng.IntN(20)), next()) // before the first
		default:
			set(n, next())
		}
		if step%2500 == 0 {
			snaps = append(snaps, snapshot{st, first, append([]uint64(nil), ref...)})
		}
	}
	check("final", st, first, ref)
	for i, s := range snaps {
		check("snapshot "+string(rune('A'+i)), s.st, s.first, s.ref)
	}
}

// A transaction's pending marks are never chunked, so that publish finds
// them in pos and settles them.
func TestLedgerStateKeepsPendingMarksInPos(t *testing.T) {
	st := &ledgerState{}
	var err error
	for i := range 3 * ledgerChunkLen {
		p := uint64(i * 100)
		if i >= ledgerChunkLen/2 {
			p = pendingBit | uint64(i)
		}
		if st, err = st.with(uint64(1+i), p); err != nil {
			t.Fatal(err)
		}
	}
	if len(st.old) != 0 {
		t.Fatalf("%d chunks made over pending marks", len(st.old))
	}
	for i := ledgerChunkLen / 2; i < 3*ledgerChunkLen; i++ {
		slot := st.slot(uint64(1 + i))
		if slot == nil || *slot != pendingBit|uint64(i) {
			t.Fatalf("slot(%d) does not hold its pending mark", 1+i)
		}
		*slot = uint64(i * 100)
	}
	if st, err = st.with(uint64(1+3*ledgerChunkLen), 3*ledgerChunkLen*100); err != nil {
		t.Fatal(err)
	}
	if len(st.old) == 0 {
		t.Fatal("settled positions were not chunked")
	}
	for i := range 3*ledgerChunkLen + 1 {
		if got := st.at(uint64(1 + i)); got != uint64(i*100) {
			t.Fatalf("at(%d) = %d, want %d", 1+i, got, i*100)
		}
	}
}

func BenchmarkLedgerStateAt(b *testing.B) {
	st := &ledgerState{}
	for i := range 1 << 20 {
		st, _ = st.with(uint64(i), uint64(i)*700)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_ = st.at(uint64(i & (1<<20 - 1)))
		i += 7919
	}
}

// Changing a number leaves the states published before it as they were,
// whether the number is recent (in pos) or archived (in a chunk).
func TestLedgerStateChangesCopy(t *testing.T) {
	st := &ledgerState{}
	var err error
	for i := range 3 * ledgerChunkLen {
		if st, err = st.with(uint64(i), uint64(i)*100); err != nil {
			t.Fatal(err)
		}
	}
	for _, seq := range []uint64{3*ledgerChunkLen - 5, 10} {
		before := st
		if st, err = st.with(seq, 7); err != nil {
			t.Fatal(err)
		}
		if before.at(seq) != seq*100 || st.at(seq) != 7 {
			t.Fatalf("number %d: the earlier state sees %d, the new %d", seq, before.at(seq), st.at(seq))
		}
	}
}
