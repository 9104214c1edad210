package store

import (
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// pgSessionTimeouts are the limits every pool connection gets unless the
// connection string sets them (as parameters or in options): a statement
// or a wait for a lock (the writers' advisory lock included) that hangs
// fails instead of holding a request, and a connection left in a
// transaction is ended by the server.
var pgSessionTimeouts = []struct{ name, value string }{
	{"statement_timeout", "30s"},
	{"lock_timeout", "30s"},
	{"idle_in_transaction_session_timeout", "60s"},
}

func pgSetTimeouts(cc *pgconn.Config) {
	options := cc.RuntimeParams["options"] // e.g. "-c statement_timeout=5s"
	for _, p := range pgSessionTimeouts {
		if _, set := cc.RuntimeParams[p.name]; set || strings.Contains(options, p.name) {
			continue
		}
		cc.RuntimeParams[p.name] = p.value
	}
}
