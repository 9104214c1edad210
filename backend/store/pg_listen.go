package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// The listener: one connection of its own (outside the pool's budget)
// that LISTENs on both channels. While it is down this node may miss
// other nodes' commits, so no cache may trust what it holds: every
// generation moves when it breaks, every pgStaleTick until it is back,
// and once more after LISTEN succeeds again.

const (
	pgStaleTick      = 250 * time.Millisecond
	pgRetryMin       = 100 * time.Millisecond
	pgRetryMax       = 2 * time.Second
	pgConnectTimeout = 5 * time.Second
)

// connect opens the listener's connection and LISTENs.
func (n *pgNotifier) connect() (*pgx.Conn, error) {
	ctx, cancel := context.WithTimeout(n.ctx, pgConnectTimeout)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, n.connCfg.Copy())
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgChannel+"; LISTEN "+pgMsgChannel); err != nil {
		conn.Close(context.Background())
		return nil, err
	}
	n.pid.Store(conn.PgConn().PID())
	return conn, nil
}

// run receives until Close, reconnecting when the connection breaks.
func (n *pgNotifier) run(conn *pgx.Conn) {
	defer close(n.done)
	for conn != nil {
		err := n.receive(conn)
		n.pid.Store(0)
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		conn.Close(ctx)
		cancel()
		if n.ctx.Err() != nil {
			return // Close
		}
		// pgx's errors name host, user and database, never the password.
		n.log.WithError(err).Warn("store: the PostgreSQL change listener lost its connection; caches reload until it is back")
		if conn = n.reconnect(); conn != nil {
			n.moveAll()
			n.log.Info("store: the PostgreSQL change listener is back")
		}
	}
}

func (n *pgNotifier) receive(conn *pgx.Conn) error {
	for {
		nt, err := conn.WaitForNotification(n.ctx)
		if err != nil {
			return err
		}
		switch nt.Channel {
		case pgChannel:
			n.changed(nt.Payload)
		case pgMsgChannel:
			n.message(nt.Payload)
		}
	}
}

func (n *pgNotifier) moveAll() {
	if ws := n.watches.Load(); ws != nil {
		ws.moveAllRemote()
	}
}

// reconnect moves every generation now and every pgStaleTick, and
// connects with backoff; nil after Close.
func (n *pgNotifier) reconnect() *pgx.Conn {
	n.moveAll()
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(time.Duration(n.staleTick.Load()))
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				n.moveAll()
			}
		}
	}()
	defer func() { close(stop); <-stopped }()
	wait := pgRetryMin
	for {
		select {
		case <-n.ctx.Done():
			return nil
		case <-time.After(wait):
		}
		conn, err := n.connect()
		if err == nil {
			return conn
		}
		if n.ctx.Err() != nil {
			return nil
		}
		n.log.WithError(err).Debug("store: the PostgreSQL change listener could not reconnect yet")
		wait = min(2*wait, pgRetryMax)
	}
}
