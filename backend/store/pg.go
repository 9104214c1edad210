package store

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/sirupsen/logrus"

	"hostbound/backend/keys"
)

// The PostgreSQL engine: one table of encrypted keys (pg_keys.go) and
// sealed values, so that a dump of the database shows only sizes, counts
// and the numbers inside keys.
//
// Writes take a transaction-scoped advisory lock first: serve nodes that
// share the database then commit one at a time, as one process's
// committer does, and the audit chain stays one chain. PostgreSQL's
// default synchronous_commit makes COMMIT durable when it returns.
//
// Nodes tell each other of their commits (pg_notify.go): a commit that
// writes under watched prefixes moves the other nodes' generations (their
// LoadRemote too) within moments, and while a node cannot hear (its
// listener is down) all its generations keep moving, so no cache trusts
// what it holds. Store.Publish carries messages between nodes the same
// way. Every pool connection has statement, lock and idle-in-transaction
// timeouts (pg_timeouts.go) unless the connection string sets them.
//
// Failover (pg_errors.go): a server that cannot be reached or cannot
// write is ErrUnavailable; a connection lost during COMMIT is
// ErrCommitUnknown too, and moves every generation. With a multi-host URL
// and target_session_attrs=read-write nothing else is needed: the pool
// drops a connection that failed and makes new ones on whichever server
// takes writes (the failover test: no write refused once the standby is
// promoted, without pool.Reset).

const (
	pgTable = "hostbound_kv"
	// pgWriteLock is the advisory lock of writers ("hbkv" as a number).
	pgWriteLock = 0x68626b76
	// pgKeyPage and pgValuePage bound the rows one scan query returns: a scan reads page by
	// page from the last key seen, never a whole prefix at once. Pages
	// with values are smaller, as values can be large.
	pgKeyPage   = 1000
	pgValuePage = 200
	pgNonceSize = 12
)

// pgMetaKey holds a sealed known value. Every piece of a stored key is
// digits, or digits "~" token (pg_keys.go); "hostbound-meta" is neither,
// so no key clashes with it. Scans skip it.
var pgMetaKey = []byte("\x00hostbound-meta")

// pgMetaValue is what the meta row seals: it opens only under the master
// key that created the database.
var pgMetaValue = []byte("hostbound postgres store v1")

type pgEngine struct {
	pool *pgxpool.Pool
	keys *keyCodec
	aead cipher.AEAD
	log  logrus.FieldLogger
	// notify listens for other nodes' commits and messages.
	notify *pgNotifier
}

// OpenPostgres opens (or creates) the store in the PostgreSQL database at
// url (a pgx connection string) with the master key. A database made
// under another master key is ErrWrongKey, and is left as it was.
func OpenPostgres(url string, key []byte, log logrus.FieldLogger) (*Store, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("open store: master key is %d bytes, want %d", len(key), KeySize)
	}
	e, err := openPostgres(url, key, log)
	if err != nil {
		return nil, err
	}
	s := start(e)
	e.notify.watches.Store(&s.watchSet)
	return s, nil
}

func openPostgres(url string, key []byte, log logrus.FieldLogger) (*pgEngine, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's parse errors can quote the URL, password included.
		return nil, errors.New("open store: the PostgreSQL connection string does not parse")
	}
	if !strings.Contains(url, "pool_max_conns") {
		// pgx's default (the cores, at least 4) leaves Views queueing
		// behind each other while the committer holds one.
		cfg.MaxConns = 16
	}
	pgSetTimeouts(&cfg.ConnConfig.Config)
	kc, err := newKeyCodec(key)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	blk, err := aes.NewCipher(keys.Derive(key, keys.StorePostgresValues))
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	aead, err := cipher.NewGCM(blk)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		return nil, fmt.Errorf("open store: postgres: %w", err)
	}
	e := &pgEngine{pool: pool, keys: kc, aead: aead, log: log}
	if err := e.init(); err != nil {
		pool.Close()
		return nil, err
	}
	if e.notify, err = newPgNotifier(cfg.ConnConfig.Copy(), key, log); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open store: postgres: listen: %w", err)
	}
	return e, nil
}

// init creates the table and the meta row if missing, or checks the meta
// row against the key. It runs under the writers' lock, so two nodes
// starting on an empty database make one meta row; a wrong key rolls
// back, changing nothing.
func (e *pgEngine) init() error {
	ctx := context.Background()
	tx, err := e.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("open store: %w", pgFail("connect", err, false))
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(pgWriteLock)); err != nil {
		return fmt.Errorf("open store: postgres: %w", err)
	}
	var exists bool
	if err := tx.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", pgTable).Scan(&exists); err != nil {
		return fmt.Errorf("open store: postgres: %w", err)
	}
	if !exists {
		if _, err := tx.Exec(ctx, "CREATE TABLE "+pgTable+" (k bytea PRIMARY KEY, v bytea NOT NULL)"); err != nil {
			return fmt.Errorf("open store: postgres: create table: %w", err)
		}
	}
	var sealed []byte
	err = tx.QueryRow(ctx, "SELECT v FROM "+pgTable+" WHERE k = $1", pgMetaKey).Scan(&sealed)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		var rows bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM "+pgTable+")").Scan(&rows); err != nil {
			return fmt.Errorf("open store: postgres: %w", err)
		}
		if rows {
			// Not a store this code made: sealing a new meta row over
			// it would take it over under this key.
			return errors.New("open store: postgres: table " + pgTable + " has rows but no meta row")
		}
		if _, err := tx.Exec(ctx, "INSERT INTO "+pgTable+" (k, v) VALUES ($1, $2)", pgMetaKey, e.seal(pgMetaKey, pgMetaValue)); err != nil {
			return fmt.Errorf("open store: postgres: %w", err)
		}
	case err != nil:
		return fmt.Errorf("open store: postgres: %w", err)
	default:
		v, err := e.open(pgMetaKey, sealed)
		if err != nil || !bytes.Equal(v, pgMetaValue) {
			return ErrWrongKey
		}
		return nil // nothing to commit
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("open store: postgres: %w", err)
	}
	e.log.Info("store: initialised the PostgreSQL store (its table and meta row)")
	return nil
}

// seal encrypts value for the stored key k: nonce || AES-GCM(value), with
// k as associated data, so a value copied to another row does not open.
func (e *pgEngine) seal(k, value []byte) []byte {
	out := make([]byte, pgNonceSize, pgNonceSize+len(value)+e.aead.Overhead())
	if _, err := rand.Read(out); err != nil {
		panic(err) // crypto/rand does not fail on Linux
	}
	return e.aead.Seal(out, out, value, k)
}

var errBadStoredValue = errors.New("a stored value does not open")

func (e *pgEngine) open(k, sealed []byte) ([]byte, error) {
	if len(sealed) < pgNonceSize+e.aead.Overhead() {
		return nil, errBadStoredValue
	}
	v, err := e.aead.Open(nil, sealed[:pgNonceSize], sealed[pgNonceSize:], k)
	if err != nil {
		return nil, errBadStoredValue
	}
	return v, nil
}

// Statements that open the two kinds of transaction. Writers use read
// committed: each statement after the lock sees what the previous lock
// holder committed (repeatable read would take its snapshot at the lock's
// own statement, before it is granted).
var (
	pgBeginWrite = fmt.Sprintf("BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(%d)", pgWriteLock)
	pgBeginRead  = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
)

// begin takes a connection. A writer begins and takes the lock at once
// (one round trip); a reader's BEGIN goes with its first query.
func (e *pgEngine) begin(update bool) (etxn, error) {
	ctx := context.Background()
	conn, err := e.pool.Acquire(ctx)
	if err != nil {
		return nil, pgFail("connect", err, false)
	}
	if update {
		if _, err := conn.Exec(ctx, pgBeginWrite); err != nil {
			err = pgFail("begin", err, conn.Conn().IsClosed())
			conn.Release() // the pool drops a connection left in a transaction
			return nil, err
		}
	}
	return &pgTxn{e: e, conn: conn, ctx: ctx, update: update, pendAt: map[string]int{}}, nil
}

// checkSpace: PostgreSQL refuses what it cannot write, atomically.
func (e *pgEngine) checkSpace() error { return nil }

func (e *pgEngine) size() int64 {
	var n int64
	if err := e.pool.QueryRow(context.Background(), "SELECT pg_total_relation_size($1)", pgTable).Scan(&n); err != nil {
		return 0
	}
	return n
}

func (e *pgEngine) close() error {
	e.notify.stop()
	e.pool.Close()
	return nil
}

// pgTxn is one transaction on one connection. A writer's sets and deletes
// wait in pend and go to the server together, in one round trip with the
// next query that needs them (a scan) or with COMMIT; get answers from
// pend first, so the transaction reads its own writes.
type pgTxn struct {
	e      *pgEngine
	conn   *pgxpool.Conn // nil once committed or discarded
	ctx    context.Context
	update bool
	begun  bool // a reader's BEGIN was sent
	pend   []pgOp
	pendAt map[string]int // stored key → its last op in pend
	// pendBytes bounds what waits in memory: past pgMaxPending the ops go
	// to the server on their own.
	pendBytes int
	// notify is the payload of the NOTIFY sent with COMMIT ("": none).
	notify string
}

const pgMaxPending = 4 << 20

type pgOp struct {
	k, sealed, value []byte
	delete           bool
}

const pgUpsert = "INSERT INTO " + pgTable + " (k, v) VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v"

// run runs one query, sending first what must precede it (a reader's
// BEGIN, a writer's pending ops) in the same round trip, and calls each
// for every row.
func (x *pgTxn) run(sql string, args []any, each func(pgx.Rows) error) error {
	b := &pgx.Batch{}
	if !x.update && !x.begun {
		b.Queue(pgBeginRead)
	}
	x.queuePending(b)
	if b.Len() == 0 {
		rows, err := x.conn.Query(x.ctx, sql, args...)
		if err != nil {
			return err
		}
		return consume(rows, each)
	}
	b.Queue(sql, args...)
	br := x.conn.SendBatch(x.ctx, b)
	defer br.Close()
	for range b.Len() - 1 {
		if _, err := br.Exec(); err != nil {
			return err
		}
	}
	x.begun = true
	rows, err := br.Query()
	if err != nil {
		return err
	}
	if err := consume(rows, each); err != nil {
		return err
	}
	return br.Close()
}

func consume(rows pgx.Rows, each func(pgx.Rows) error) error {
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// queuePending moves the pending ops into b.
func (x *pgTxn) queuePending(b *pgx.Batch) {
	for _, op := range x.pend {
		if op.delete {
			b.Queue("DELETE FROM "+pgTable+" WHERE k = $1", op.k)
		} else {
			b.Queue(pgUpsert, op.k, op.sealed)
		}
	}
	x.pend, x.pendBytes = x.pend[:0], 0
	clear(x.pendAt)
}

// flush sends the pending ops alone.
func (x *pgTxn) flush() error {
	b := &pgx.Batch{}
	x.queuePending(b)
	if b.Len() == 0 {
		return nil
	}
	if err := x.conn.SendBatch(x.ctx, b).Close(); err != nil {
		return x.fail("write", err)
	}
	return nil
}

func (x *pgTxn) get(key string, fn func([]byte) error) error {
	k := x.e.keys.encode(key)
	if i, ok := x.pendAt[string(k)]; ok {
		if x.pend[i].delete {
			return ErrNotFound
		}
		return fn(x.pend[i].value)
	}
	var sealed []byte
	found := false
	err := x.run("SELECT v FROM "+pgTable+" WHERE k = $1", []any{k}, func(r pgx.Rows) error {
		found = true
		return r.Scan(&sealed)
	})
	if err != nil {
		return x.fail("get", err)
	}
	if !found {
		return ErrNotFound
	}
	v, err := x.e.open(k, sealed)
	if err != nil {
		return err
	}
	return fn(v)
}

func (x *pgTxn) add(op pgOp) error {
	if !x.update {
		return errors.New("postgres: write in a read-only transaction")
	}
	x.pendAt[string(op.k)] = len(x.pend)
	x.pend = append(x.pend, op)
	x.pendBytes += len(op.k) + 2*len(op.value) + 64
	if x.pendBytes > pgMaxPending {
		return x.flush()
	}
	return nil
}

func (x *pgTxn) set(key string, value []byte) error {
	k := x.e.keys.encode(key)
	// value is the caller's: keep a copy for get.
	return x.add(pgOp{k: k, sealed: x.e.seal(k, value), value: bytes.Clone(value)})
}

func (x *pgTxn) delete(key string) error {
	return x.add(pgOp{k: x.e.keys.encode(key), delete: true})
}

// commit sends the pending ops and COMMIT in one round trip. PostgreSQL
// answers ROLLBACK to the COMMIT of a transaction a statement failed in:
// that is an error too.
func (x *pgTxn) commit() error {
	if !x.update {
		x.discard()
		return nil
	}
	defer x.discard()
	b := &pgx.Batch{}
	x.queuePending(b)
	if x.notify != "" {
		b.Queue("SELECT pg_notify($1, $2)", pgChannel, x.notify)
	}
	b.Queue("COMMIT")
	br := x.conn.SendBatch(x.ctx, b)
	var tag pgconn.CommandTag
	var err error
	at := 0 // the statement that failed; b.Len()-1 is COMMIT
	for ; at < b.Len(); at++ {
		if tag, err = br.Exec(); err != nil {
			break
		}
	}
	if cerr := br.Close(); err == nil {
		err, at = cerr, b.Len()-1
	}
	if err != nil {
		return x.commitFail(err, at == b.Len()-1)
	}
	if tag.String() != "COMMIT" {
		return errors.New("postgres: commit: the server rolled the transaction back")
	}
	return nil
}

// discard rolls back what is open and gives the connection back.
func (x *pgTxn) discard() {
	if x.conn == nil {
		return
	}
	if x.conn.Conn().PgConn().TxStatus() != 'I' {
		x.conn.Exec(x.ctx, "ROLLBACK")
	}
	x.conn.Release()
	x.conn = nil
}

// pgRow is one row of a scan page.
type pgRow struct{ k, v []byte }

// scan reads page by page, each page a query bounded by the last key of
// the one before; fn runs between queries, so it may read and write in
// the same transaction (one connection runs one query at a time).
func (x *pgTxn) scan(prefix, start string, reverse, keysOnly bool, fn func(string, func(func([]byte) error) error) (bool, error)) error {
	lo, exact := x.e.keys.scanPrefix(prefix)
	if lo == nil {
		lo = []byte{} // pgx sends a nil slice as NULL
	}
	hi := prefixEnd(lo)
	// keep: the decoded key belongs to the scan. A prefix or start that
	// ends inside a word has no place in the stored order (pg_keys.go):
	// the stored range is then wider, and keep filters by plaintext.
	keep := func(k string) bool { return exact || strings.HasPrefix(k, prefix) }
	var bound []byte // reverse: the greatest stored key to return
	if reverse {
		if start < prefix {
			return nil
		}
		// Digits and separators are stored as they are, so a start that
		// adds only those to an exact prefix bounds the stored range
		// (start is prefix+Num(top) in practice). Any other start scans
		// the whole prefix; keep checks every key against it either way.
		if rest, ok := strings.CutPrefix(start, prefix); ok && exact && strings.Trim(rest, "0123456789/\x00") == "" {
			bound = append(bytes.Clone(lo), rest...)
		}
		inner := keep
		keep = func(k string) bool { return k <= start && inner(k) }
	}
	page := pgValuePage
	cols := "k, v"
	if keysOnly {
		page, cols = pgKeyPage, "k"
	}
	var after []byte // exclusive bound: the last key of the previous page
	for {
		rows, err := x.page(cols, lo, hi, bound, after, reverse, page, keysOnly)
		if err != nil {
			return err
		}
		for _, r := range rows {
			key, err := x.e.keys.decode(r.k)
			if err != nil {
				return err
			}
			if !keep(key) {
				continue
			}
			var value func(func([]byte) error) error
			if !keysOnly {
				// Opened only if fn asks: many scans read keys alone.
				value = func(f func([]byte) error) error {
					v, err := x.e.open(r.k, r.v)
					if err != nil {
						return err
					}
					return f(v)
				}
			}
			more, err := fn(key, value)
			if err != nil || !more {
				return err
			}
		}
		if len(rows) < page {
			return nil
		}
		after = rows[len(rows)-1].k
	}
}

// page runs one scan query: keys in [lo, hi) (hi nil: no upper end),
// reverse from bound down, past after, at most limit rows.
func (x *pgTxn) page(cols string, lo, hi, bound, after []byte, reverse bool, limit int, keysOnly bool) ([]pgRow, error) {
	var q strings.Builder
	args := []any{pgMetaKey, lo}
	fmt.Fprintf(&q, "SELECT %s FROM %s WHERE k <> $1 AND k >= $2", cols, pgTable)
	arg := func(op string, v []byte) {
		args = append(args, v)
		fmt.Fprintf(&q, " AND k %s $%d", op, len(args))
	}
	if hi != nil {
		arg("<", hi)
	}
	if bound != nil {
		arg("<=", bound)
	}
	order := "ASC"
	if after != nil {
		if reverse {
			arg("<", after)
		} else {
			arg(">", after)
		}
	}
	if reverse {
		order = "DESC"
	}
	fmt.Fprintf(&q, " ORDER BY k %s LIMIT %d", order, limit)
	out := make([]pgRow, 0, 64)
	err := x.run(q.String(), args, func(rows pgx.Rows) error {
		var r pgRow
		var err error
		if keysOnly {
			err = rows.Scan(&r.k)
		} else {
			err = rows.Scan(&r.k, &r.v)
		}
		out = append(out, r)
		return err
	})
	if err != nil {
		return nil, x.fail("scan", err)
	}
	return out, nil
}

// prefixEnd is the least key above every key with prefix p, nil when
// there is none (p empty or all 0xff).
func prefixEnd(p []byte) []byte {
	end := bytes.Clone(p)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}
