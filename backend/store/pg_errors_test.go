package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

// A deferred constraint trigger makes COMMIT itself wait for an advisory
// lock the test holds; the test then terminates the writer's backend
// while it is in COMMIT, as a crash of the server at that moment would.
func TestPostgresAConnectionLostInCommitIsAnUnknownOutcomeAndMovesEveryGen(t *testing.T) {
	t.Parallel()
	s, url, _ := openPG(t)
	touched, other := s.Watch("a/"), s.Watch("b/")
	c := pgSQL(t, url)
	ctx := context.Background()
	for _, q := range []string{
		"CREATE FUNCTION wait_in_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_advisory_xact_lock(4242); RETURN NULL; END $$",
		"CREATE CONSTRAINT TRIGGER wait_in_commit AFTER INSERT ON " + pgTable + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION wait_in_commit()",
		"SELECT pg_advisory_lock(4242)",
	} {
		if _, err := c.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	before, otherBefore := touched.Load(), other.Load()
	ran := false
	done := make(chan error, 1)
	go func() {
		done <- s.Update(func(tx *Txn) error {
			tx.AfterCommit(func() { ran = true })
			return tx.Put("a/"+Num(1), record{"alice", 1})
		})
	}()
	var pid int
	for deadline := time.Now().Add(30 * time.Second); ; {
		err := c.QueryRow(ctx, "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'COMMIT' AND wait_event = 'advisory'").Scan(&pid)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the writer never waited in COMMIT: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := c.Exec(ctx, "SELECT pg_terminate_backend($1, 10000)", pid); err != nil {
		t.Fatal(err)
	}
	err := <-done
	if !errors.Is(err, ErrCommitUnknown) || !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Update: got %v, want ErrCommitUnknown and ErrUnavailable", err)
	}
	if touched.Load() == before || other.Load() == otherBefore {
		t.Fatalf("generations did not all move: %d→%d, %d→%d", before, touched.Load(), otherBefore, other.Load())
	}
	if ran {
		t.Fatal("an AfterCommit hook ran for a commit whose outcome is unknown")
	}

	// The same store writes again on a new connection; the cut-off
	// transaction did not land (its backend died before committing).
	for _, q := range []string{"DROP TRIGGER wait_in_commit ON " + pgTable, "SELECT pg_advisory_unlock(4242)"} {
		if _, err := c.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Update(func(tx *Txn) error { return tx.Put("a/"+Num(2), record{"bob", 2}) }); err != nil {
		t.Fatalf("Update after the lost connection: %v", err)
	}
	if err := s.View(func(tx *Txn) error {
		if ok, err := tx.Has("a/" + Num(1)); err != nil || ok {
			t.Errorf("the cut-off write: present %v, %v", ok, err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// A server that refuses writes (here a database made read-only; a standby
// answers the same 25006) is ErrUnavailable, and its outcome is known:
// nothing committed, no generation moves.
func TestPostgresARefusedWriteIsUnavailableAndChangesNothing(t *testing.T) {
	t.Parallel()
	s, url, _ := openPG(t)
	g := s.Watch("")
	c := pgSQL(t, url)
	ctx := context.Background()
	readOnly := func(on bool) {
		t.Helper()
		q := "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET default_transaction_read_only = on', current_database()); END $$"
		if !on {
			q = "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I RESET default_transaction_read_only', current_database()); END $$"
		}
		if _, err := c.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
		s.eng.(*pgEngine).pool.Reset() // new sessions take the setting
	}
	readOnly(true)
	gen := g.Load()
	err := s.Update(func(tx *Txn) error { return tx.Put("a/"+Num(1), record{"alice", 1}) })
	if !errors.Is(err, ErrUnavailable) || errors.Is(err, ErrCommitUnknown) {
		t.Fatalf("Update on a read-only database: got %v, want ErrUnavailable alone", err)
	}
	if g.Load() != gen {
		t.Fatal("a refused write moved the generation")
	}
	readOnly(false)
	if err := s.Update(func(tx *Txn) error { return tx.Put("a/"+Num(1), record{"alice", 1}) }); err != nil {
		t.Fatalf("Update once writable again: %v", err)
	}
}
