package store

import (
	"errors"
	"testing"
)

func TestAGenerationMovesWithEveryCommittedWriteUnderItsPrefixes(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func() *Store) {
		s := open()
		g := s.Watch("vault/", "role/")
		other := s.Watch("user/")
		update := func(fn func(tx *Txn) error) error { return s.Update(fn) }

		gen := g.Load()
		if err := update(func(tx *Txn) error { return tx.Put("audit/rec/1", record{"x", 1}) }); err != nil {
			t.Fatal(err)
		}
		if g.Changed(nil, gen) {
			t.Fatal("a write elsewhere moved the generation")
		}
		for _, write := range []func(tx *Txn) error{
			func(tx *Txn) error { return tx.Put("vault/res/1", record{"r", 1}) },
			func(tx *Txn) error { return tx.PutKey("role/x") },
			func(tx *Txn) error { return tx.PutRaw("vault/raw", []byte(`1`)) },
			func(tx *Txn) error { return tx.Delete("vault/res/1") },
		} {
			gen := g.Load()
			if err := update(func(tx *Txn) error {
				if g.Changed(tx, gen) {
					t.Error("changed before the write")
				}
				if err := write(tx); err != nil {
					return err
				}
				if !g.Changed(tx, gen) {
					t.Error("a write earlier in the batch is not seen as a change")
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if !g.Changed(nil, gen) || g.Load() != gen+1 {
				t.Fatalf("generation %d after a commit from %d, want %d", g.Load(), gen, gen+1)
			}
		}
		if other.Load() != 0 {
			t.Fatalf("user/ generation moved to %d without a write there", other.Load())
		}

		gen = g.Load()
		refused := errors.New("refused")
		if err := update(func(tx *Txn) error {
			if err := tx.Put("vault/res/2", record{"r", 2}); err != nil {
				return err
			}
			return refused
		}); !errors.Is(err, refused) {
			t.Fatal(err)
		}
		if g.Changed(nil, gen) {
			t.Fatal("a failed Update moved the generation")
		}
	})
}
