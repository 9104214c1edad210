package store

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"hostbound/backend/internal/pgtest"
)

// openPG opens a store on a fresh database, closed when the test ends.
func openPG(t *testing.T) (s *Store, url string, key []byte) {
	t.Helper()
	url, key = pgtest.URL(t), newKey(t)
	return reopenPG(t, url, key), url, key
}

func reopenPG(t *testing.T, url string, key []byte) *Store {
	t.Helper()
	s, err := OpenPostgres(url, key, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// pgSQL runs statements on the database directly, as an operator would.
func pgSQL(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	c, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

// tableSum is a digest of every row of the table.
func tableSum(t *testing.T, c *pgx.Conn) string {
	t.Helper()
	var sum string
	if err := c.QueryRow(context.Background(), "SELECT count(*) || ':' || coalesce(md5(string_agg(k || v, ''::bytea ORDER BY k)), '') FROM "+pgTable).Scan(&sum); err != nil {
		t.Fatal(err)
	}
	return sum
}

func TestPostgresAWrongKeyIsRefusedAndChangesNothing(t *testing.T) {
	t.Parallel()
	s, url, _ := openPG(t)
	if err := s.Update(func(tx *Txn) error { return tx.Put("users/"+Num(1), record{"alice", 1}) }); err != nil {
		t.Fatal(err)
	}
	c := pgSQL(t, url)
	before := tableSum(t, c)
	if _, err := OpenPostgres(url, newKey(t), quietLog()); !errors.Is(err, ErrWrongKey) {
		t.Fatalf("wrong key: got %v, want ErrWrongKey", err)
	}
	if after := tableSum(t, c); after != before {
		t.Fatalf("the table changed: %s → %s", before, after)
	}
}

func TestPostgresADumpRevealsNoSecretNorName(t *testing.T) {
	t.Parallel()
	s, url, _ := openPG(t)
	var planted []string
	err := s.Update(func(tx *Txn) error {
		for i := range 20 {
			secret := fmt.Sprintf("S3cret-%02d-b7d1e9", i)
			name := fmt.Sprintf("planted-name-%02d", i)
			planted = append(planted, secret, name)
			// as values, as key pieces (a word, after a number), and
			// as an index key's piece with no value
			if err := tx.Put("users/"+Num(uint64(i)), record{Name: name + " " + secret}); err != nil {
				return err
			}
			if err := tx.Put("vault/res/"+Num(uint64(i))+"/acct/"+name, secret); err != nil {
				return err
			}
			if err := tx.PutKey("users/by-name/" + Num(uint64(i)) + secret); err != nil {
				return err
			}
			if err := tx.PutRaw(name+"/"+secret, []byte(`"`+secret+`"`)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	dump := pgtest.Dump(t, url)
	if !bytes.Contains(dump, []byte(pgTable)) {
		t.Fatalf("the dump has no %s table:\n%s", pgTable, dump)
	}
	// Numbers in keys are stored plain: seeing one (bytea prints as hex)
	// shows the rows are in the dump and the search below would find text.
	if !bytes.Contains(dump, []byte(hex.EncodeToString([]byte("/"+Num(19))))) {
		t.Fatal("the dump holds no rows")
	}
	lower := bytes.ToLower(dump)
	for _, p := range append(planted, "users", "vault", "acct", "by-name") {
		for _, form := range []string{p, hex.EncodeToString([]byte(p)), base64.StdEncoding.EncodeToString([]byte(p)), base64.RawURLEncoding.EncodeToString([]byte(p))} {
			if bytes.Contains(dump, []byte(form)) || bytes.Contains(lower, []byte(strings.ToLower(form))) {
				t.Errorf("the dump contains %q (as %q)", p, form)
			}
		}
	}
}

func TestPostgresTwoStoresOnOneDatabaseSeeEachOthersWrites(t *testing.T) {
	t.Parallel()
	a, url, key := openPG(t)
	b := reopenPG(t, url, key)
	if err := a.Update(func(tx *Txn) error { return tx.Put("rec/1", record{"from a", 1}) }); err != nil {
		t.Fatal(err)
	}
	var got record
	if err := b.View(func(tx *Txn) error { return tx.Get("rec/1", &got) }); err != nil || got.Name != "from a" {
		t.Fatalf("b sees %+v, %v", got, err)
	}
	if err := b.Update(func(tx *Txn) error { return tx.Delete("rec/1") }); err != nil {
		t.Fatal(err)
	}
	if err := a.View(func(tx *Txn) error { return tx.Get("rec/1", &got) }); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a still sees the deleted key: %v", err)
	}
}

func TestPostgresUpdatesOfTwoStoresOnOneDatabaseSerialize(t *testing.T) {
	t.Parallel()
	a, url, key := openPG(t)
	b := reopenPG(t, url, key)
	const each = 200
	var wg sync.WaitGroup
	errs := make(chan error, 2*each)
	for _, s := range []*Store{a, b} {
		// Several goroutines per store, so batches form too.
		for g := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range each / 4 {
					errs <- s.Update(func(tx *Txn) error {
						var n int
						if err := tx.Get("counter", &n); err != nil && !errors.Is(err, ErrNotFound) {
							return err
						}
						return tx.Put("counter", n+1)
					})
				}
				_ = g
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := a.View(func(tx *Txn) error { return tx.Get("counter", &n) }); err != nil || n != 2*each {
		t.Fatalf("counter = %d (%v), want %d", n, err, 2*each)
	}
}

// pgScanned collects a scan's keys.
func pgScanned(t *testing.T, s *Store, scan func(tx *Txn, add func(string)) error) []string {
	t.Helper()
	var out []string
	if err := s.View(func(tx *Txn) error { return scan(tx, func(k string) { out = append(out, k) }) }); err != nil {
		t.Fatal(err)
	}
	return out
}

func pgNums(prefix string, from, to int, step int) []string {
	var out []string
	for i := from; i != to+step; i += step {
		out = append(out, prefix+Num(uint64(i)))
	}
	return out
}

func TestPostgresScansFollowTheOrderOfNumbersAcrossPages(t *testing.T) {
	t.Parallel()
	s, _, _ := openPG(t)
	// More keys than a page of either kind, written in random order.
	const users, recs = 2*pgKeyPage + 17, 3*pgValuePage + 5
	order := rand.Perm(users)
	err := s.Update(func(tx *Txn) error {
		for _, i := range order {
			if err := tx.PutKey("users/" + Num(uint64(i))); err != nil {
				return err
			}
		}
		for i := range recs {
			if err := tx.Put("audit/rec/"+Num(uint64(i)), i); err != nil {
				return err
			}
		}
		for _, k := range []string{"audit/head", "vault/res/" + Num(7) + "/acct/" + Num(2), "vault/res/" + Num(7) + "/acct/" + Num(10), "vault/res/" + Num(7), "vault/res/" + Num(8) + "/acct/" + Num(1)} {
			if err := tx.Put(k, k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	equal := func(what string, got, want []string) {
		t.Helper()
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s: got %d keys %.200q…, want %d %.200q…", what, len(got), got, len(want), want)
		}
	}
	equal("EachKey users/", pgScanned(t, s, func(tx *Txn, add func(string)) error {
		return tx.EachKey("users/", func(k string) error { add(k); return nil })
	}), pgNums("users/", 0, users-1, 1))
	equal("Each audit/rec/", pgScanned(t, s, func(tx *Txn, add func(string)) error {
		return tx.Each("audit/rec/", func(k string, decode func(any) error) (bool, error) {
			var n int
			if err := decode(&n); err != nil || "audit/rec/"+Num(uint64(n)) != k {
				return false, fmt.Errorf("%s holds %d: %v", k, n, err)
			}
			add(k)
			return true, nil
		})
	}), pgNums("audit/rec/", 0, recs-1, 1))
	equal("a prefix ending in digits", pgScanned(t, s, func(tx *Txn, add func(string)) error {
		return tx.EachKey("users/"+Num(100)[:19], func(k string) error { add(k); return nil })
	}), pgNums("users/", 100, 109, 1))
	equal("nested", pgScanned(t, s, func(tx *Txn, add func(string)) error {
		return tx.EachKey("vault/res/"+Num(7)+"/", func(k string) error { add(k); return nil })
	}), []string{"vault/res/" + Num(7) + "/acct/" + Num(2), "vault/res/" + Num(7) + "/acct/" + Num(10)})
	equal("a prefix inside a word", pgScanned(t, s, func(tx *Txn, add func(string)) error {
		return tx.EachKey("audit/he", func(k string) error { add(k); return nil })
	}), []string{"audit/head"})
	equal("EachReverse from start", pgScanned(t, s, func(tx *Txn, add func(string)) error {
		return tx.EachReverse("audit/rec/", "audit/rec/"+Num(pgValuePage+3), func(k string, _ func(any) error) (bool, error) {
			add(k)
			return true, nil
		})
	}), pgNums("audit/rec/", pgValuePage+3, 0, -1))
	equal("EachKeyReverse, stopped", pgScanned(t, s, func(tx *Txn, add func(string)) error {
		return tx.EachKeyReverse("users/", "users/"+Num(users+50), func(k string) (bool, error) {
			add(k)
			return !strings.HasSuffix(k, Num(users-3)), nil
		})
	}), pgNums("users/", users-1, users-3, -1))
	equal("EachKeyReverse from a deeper start", pgScanned(t, s, func(tx *Txn, add func(string)) error {
		return tx.EachKeyReverse("vault/res/", "vault/res/"+Num(7)+"/acct/"+Num(5), func(k string) (bool, error) {
			add(k)
			return true, nil
		})
	}), []string{"vault/res/" + Num(7) + "/acct/" + Num(2), "vault/res/" + Num(7)})
	// A start with a word in it: the keys at or below it, in no promised
	// order between the words.
	got := pgScanned(t, s, func(tx *Txn, add func(string)) error {
		return tx.EachKeyReverse("audit/", "audit/rec/"+Num(1), func(k string) (bool, error) {
			add(k)
			return true, nil
		})
	})
	slices.Sort(got)
	equal("EachKeyReverse from a start with a word", got, []string{"audit/head", "audit/rec/" + Num(0), "audit/rec/" + Num(1)})
	n := 0
	if err := s.View(func(tx *Txn) error {
		var err error
		n, err = tx.Count("users/")
		return err
	}); err != nil || n != users {
		t.Errorf("Count = %d, %v", n, err)
	}
	all := pgScanned(t, s, func(tx *Txn, add func(string)) error {
		return tx.EachRaw("", func(k string, _ []byte) error { add(k); return nil })
	})
	if len(all) != users+recs+5 {
		t.Errorf("EachRaw(\"\") returned %d keys, want %d", len(all), users+recs+5)
	}
}

func TestPostgresAScanMayWriteAsItGoes(t *testing.T) {
	t.Parallel()
	s, _, _ := openPG(t)
	err := s.Update(func(tx *Txn) error {
		for i := range pgValuePage + 10 {
			if err := tx.Put("tmp/"+Num(uint64(i)), i); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(func(tx *Txn) error {
		return tx.Each("tmp/", func(k string, _ func(any) error) (bool, error) {
			return true, tx.Delete(k)
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(pgScanned(t, s, func(tx *Txn, add func(string)) error {
		return tx.EachKey("tmp/", func(k string) error { add(k); return nil })
	})); n != 0 {
		t.Fatalf("%d keys left", n)
	}
}

func TestPostgresAValueMovedToAnotherKeyDoesNotOpen(t *testing.T) {
	t.Parallel()
	s, url, _ := openPG(t)
	if err := s.Update(func(tx *Txn) error {
		if err := tx.Put("a", "alpha"); err != nil {
			return err
		}
		return tx.Put("b", "beta")
	}); err != nil {
		t.Fatal(err)
	}
	c := pgSQL(t, url)
	ctx := context.Background()
	e := s.eng.(*pgEngine)
	if _, err := c.Exec(ctx, "UPDATE "+pgTable+" SET v = (SELECT v FROM "+pgTable+" WHERE k = $1) WHERE k = $2", e.keys.encode("a"), e.keys.encode("b")); err != nil {
		t.Fatal(err)
	}
	var got string
	err := s.View(func(tx *Txn) error { return tx.Get("b", &got) })
	if err == nil || errors.Is(err, ErrNotFound) {
		t.Fatalf("the moved value: %q, %v", got, err)
	}
	if strings.Contains(err.Error(), "alpha") {
		t.Fatalf("the error shows the value: %v", err)
	}
}

func TestPostgresALostConnectionIsAnErrorNotAnAnswer(t *testing.T) {
	t.Parallel()
	s, url, _ := openPG(t)
	if err := s.Update(func(tx *Txn) error { return tx.Put("k", "v") }); err != nil {
		t.Fatal(err)
	}
	c := pgSQL(t, url)
	err := s.View(func(tx *Txn) error {
		// End every other session on this database, this View's too.
		if _, err := c.Exec(context.Background(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"); err != nil {
			t.Fatal(err)
		}
		var v string
		return tx.Get("k", &v)
	})
	if err == nil || errors.Is(err, ErrNotFound) {
		t.Fatalf("a read on a dead connection: %v", err)
	}
	// The pool connects again for the next transaction.
	var v string
	if err := s.View(func(tx *Txn) error { return tx.Get("k", &v) }); err != nil || v != "v" {
		t.Fatalf("after the loss: %q, %v", v, err)
	}
}

func TestPostgresSizeIsTheTables(t *testing.T) {
	t.Parallel()
	s, _, _ := openPG(t)
	if err := s.Update(func(tx *Txn) error { return tx.Put("k", strings.Repeat("x", 64<<10)) }); err != nil {
		t.Fatal(err)
	}
	if n := s.Size(); n < 8<<10 || n > 16<<20 {
		t.Fatalf("size %d", n)
	}
}

// BenchmarkUpdateThenView: one Update and one View of its value, one
// after the other, on each engine (the round trips a request pays); and
// from 64 goroutines at once (group commits).
func BenchmarkUpdateThenView(b *testing.B) {
	for _, engine := range []string{"badger", "postgres"} {
		open := func(b *testing.B) *Store {
			key := make([]byte, KeySize)
			crand.Read(key)
			var s *Store
			var err error
			if engine == "badger" {
				s, err = Open(b.TempDir(), key, quietLog())
			} else {
				s, err = OpenPostgres(pgtest.URL(b), key, quietLog())
			}
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { s.Close() })
			return s
		}
		roundTrip := func(b *testing.B, s *Store, i int) {
			key := "bench/" + Num(uint64(i%100))
			if err := s.Update(func(tx *Txn) error { return tx.Put(key, record{"x", i}) }); err != nil {
				b.Fatal(err)
			}
			var r record
			if err := s.View(func(tx *Txn) error { return tx.Get(key, &r) }); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(engine, func(b *testing.B) {
			s := open(b)
			for i := 0; b.Loop(); i++ {
				roundTrip(b, s, i)
			}
		})
		b.Run(engine+"/parallel64", func(b *testing.B) {
			s := open(b)
			b.SetParallelism(32) // × 2 cores
			b.RunParallel(func(pb *testing.PB) {
				for i := 0; pb.Next(); i++ {
					roundTrip(b, s, i)
				}
			})
		})
	}
}

// A writer's sets and deletes wait to be sent; its reads see them anyway.
func TestPostgresAWriterReadsItsOwnWrites(t *testing.T) {
	t.Parallel()
	s, _, _ := openPG(t)
	err := s.Update(func(tx *Txn) error {
		if err := tx.Put("p/"+Num(1), "one"); err != nil {
			return err
		}
		var v string
		if err := tx.Get("p/"+Num(1), &v); err != nil || v != "one" {
			return fmt.Errorf("get after put: %q, %v", v, err)
		}
		if n, err := tx.Count("p/"); err != nil || n != 1 {
			return fmt.Errorf("count after put: %d, %v", n, err)
		}
		if err := tx.Delete("p/" + Num(1)); err != nil {
			return err
		}
		if ok, err := tx.Has("p/" + Num(1)); ok || err != nil {
			return fmt.Errorf("has after delete: %v, %v", ok, err)
		}
		if tx.Any("p/") {
			return errors.New("a scan after the delete still finds the key")
		}
		return tx.Put("p/"+Num(2), "two")
	})
	if err != nil {
		t.Fatal(err)
	}
	got := pgScanned(t, s, func(tx *Txn, add func(string)) error {
		return tx.EachKey("p/", func(k string) error { add(k); return nil })
	})
	if len(got) != 1 || got[0] != "p/"+Num(2) {
		t.Fatalf("committed: %q", got)
	}
}

// Nodes starting together on an empty database make one store.
func TestPostgresNodesOpeningAnEmptyDatabaseTogetherAgree(t *testing.T) {
	t.Parallel()
	url, key := pgtest.URL(t), newKey(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := OpenPostgres(url, key, quietLog())
			if err == nil {
				err = s.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("node %d: %v", i, err)
		}
	}
	// A table of the same name that no store made is refused, not taken.
	other := pgtest.URL(t)
	if _, err := pgSQL(t, other).Exec(context.Background(), "CREATE TABLE "+pgTable+" (k bytea PRIMARY KEY, v bytea NOT NULL); INSERT INTO "+pgTable+" VALUES ('x', 'y')"); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenPostgres(other, key, quietLog()); err == nil || errors.Is(err, ErrWrongKey) {
		t.Fatalf("a foreign table: %v", err)
	}
}

// The same random writes through both engines: every scan returns the
// same keys and values, in the same order wherever the order is promised
// (orderDefined, pg_keys_test.go).
func TestPostgresAnswersAsBadgerDoes(t *testing.T) {
	t.Parallel()
	pg, _, _ := openPG(t)
	bg, err := Open(t.TempDir(), newKey(t), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer bg.Close()
	r := rand.New(rand.NewPCG(3, 4))
	var written []string
	for range 4 {
		type op struct {
			key string
			del bool
		}
		var ops []op
		for range 300 {
			if len(written) > 0 && r.IntN(5) == 0 {
				ops = append(ops, op{written[r.IntN(len(written))], true})
				continue
			}
			k := randomKey(r)
			written = append(written, k)
			ops = append(ops, op{key: k})
		}
		for _, s := range []*Store{pg, bg} {
			if err := s.Update(func(tx *Txn) error {
				for _, o := range ops {
					if o.del {
						if err := tx.Delete(o.key); err != nil {
							return err
						}
					} else if err := tx.Put(o.key, o.key); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}
	}
	type entry struct{ key, value string }
	collect := func(s *Store, scan func(tx *Txn, add func(k string, decode func(any) error) (bool, error)) error) []entry {
		var out []entry
		if err := s.View(func(tx *Txn) error {
			return scan(tx, func(k string, decode func(any) error) (bool, error) {
				var v string
				if err := decode(&v); err != nil {
					return false, err
				}
				out = append(out, entry{k, v})
				return true, nil
			})
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	compare := func(what string, scan func(tx *Txn, add func(k string, decode func(any) error) (bool, error)) error, reverse bool) {
		t.Helper()
		got, want := collect(pg, scan), collect(bg, scan)
		if len(got) != len(want) {
			t.Fatalf("%s: postgres %d entries, badger %d", what, len(got), len(want))
		}
		for i := range got {
			if got[i].key != got[i].value {
				t.Fatalf("%s: %q holds %q", what, got[i].key, got[i].value)
			}
			// Pairs within a window: all of them would cost n² per scan.
			for _, later := range got[i+1 : min(len(got), i+64)] {
				a, b := got[i].key, later.key
				if reverse {
					a, b = b, a
				}
				if orderDefined(a, b) && a > b {
					t.Fatalf("%s: %q comes before %q", what, got[i].key, later.key)
				}
			}
		}
		slices.SortFunc(got, func(a, b entry) int { return strings.Compare(a.key, b.key) })
		slices.SortFunc(want, func(a, b entry) int { return strings.Compare(a.key, b.key) })
		if !slices.Equal(got, want) {
			t.Fatalf("%s: the engines disagree", what)
		}
	}
	compare(`EachRaw("")`, func(tx *Txn, add func(string, func(any) error) (bool, error)) error {
		return tx.EachRaw("", func(k string, v []byte) error {
			_, err := add(k, func(x any) error { return json.Unmarshal(v, x) })
			return err
		})
	}, false)
	// Prefixes that end in a separator or after a whole number, and a
	// few cut inside one; 150 of them at random.
	seen := map[string]bool{}
	var ps []string
	for _, k := range written {
		for _, p := range prefixes(k) {
			piece := p[strings.LastIndexAny(p, "/\x00")+1:]
			if !seen[p] && (piece == "" || len(piece) == 20 || r.IntN(50) == 0) {
				seen[p] = true
				ps = append(ps, p)
			}
		}
	}
	r.Shuffle(len(ps), func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
	for _, p := range ps[:min(len(ps), 150)] {
		compare("Each "+p, func(tx *Txn, add func(string, func(any) error) (bool, error)) error {
			return tx.Each(p, add)
		}, false)
		// From a key that is there (inclusive bound) or a number.
		start := p + Num(uint64(r.IntN(40)))
		var under []string
		for _, k := range written {
			if strings.HasPrefix(k, p) && strings.Trim(k[len(p):], "0123456789/\x00") == "" {
				under = append(under, k)
			}
		}
		if len(under) > 0 && r.IntN(2) == 0 {
			start = under[r.IntN(len(under))]
		}
		compare("EachReverse "+start, func(tx *Txn, add func(string, func(any) error) (bool, error)) error {
			return tx.EachReverse(p, start, add)
		}, true)
	}
	if len(seen) < 50 {
		t.Fatalf("only %d prefixes compared", len(seen))
	}
}
