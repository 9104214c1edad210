package store

import (
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
)

// Which PostgreSQL failures are ErrUnavailable: the server cannot be
// reached, went away, or cannot write now (a standby, a server shutting
// down or starting up). A face answers them with 503 and Retry-After; the
// same request may work on the next try, once a failover is done.

// pgUnavailableCodes are the SQLSTATEs of a server that cannot take the
// request now (besides class 08, connection exceptions).
var pgUnavailableCodes = []string{
	"25006", // read_only_sql_transaction: a standby, or a read-only server
	"57P01", // admin_shutdown
	"57P02", // crash_shutdown
	"57P03", // cannot_connect_now: starting up, in recovery
}

// pgUnavailable reports whether err is one of those failures. lost: the
// connection it happened on is closed now. A server's own error decides
// by its code, so a refused password or a missing database (a setting to
// fix, not a wait) is not ErrUnavailable even when connecting.
func pgUnavailable(err error, lost bool) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return strings.HasPrefix(pe.Code, "08") || slices.Contains(pgUnavailableCodes, pe.Code)
	}
	var ne net.Error
	return lost || errors.As(err, new(*pgconn.ConnectError)) || errors.As(err, &ne) ||
		errors.Is(err, pgconn.ErrConnClosed) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNREFUSED)
}

// pgFail wraps the error of op, adding ErrUnavailable when it is one.
func pgFail(op string, err error, lost bool) error {
	if pgUnavailable(err, lost) {
		return fmt.Errorf("postgres: %s: %w: %w", op, ErrUnavailable, err)
	}
	return fmt.Errorf("postgres: %s: %w", op, err)
}

// fail is pgFail for an error on x's connection.
func (x *pgTxn) fail(op string, err error) error {
	return pgFail(op, err, x.conn.Conn().IsClosed())
}

// commitFail wraps the error of the batch that ends in COMMIT. The server
// runs the batch in order and skips to its end after an error: its error
// on a statement before COMMIT means COMMIT did not run. A connection
// lost at any point of the batch (the answers may still have been on
// their way), or the server going away in COMMIT itself, leaves the
// outcome unknown, unless pgx sent nothing.
func (x *pgTxn) commitFail(err error, atCommit bool) error {
	lost := x.conn.Conn().IsClosed()
	var pe *pgconn.PgError
	if pgUnavailable(err, lost) && !pgconn.SafeToRetry(err) && (atCommit || !errors.As(err, &pe)) {
		return fmt.Errorf("postgres: commit: %w (%w): %w", ErrCommitUnknown, ErrUnavailable, err)
	}
	return pgFail("commit", err, lost)
}
