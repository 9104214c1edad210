package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// PostgresHasStore reports whether the database at url already holds a
// store (its table with the meta row), without opening it: a first run
// asks before it makes a master key that would not open it.
func PostgresHasStore(url string) (bool, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return false, errors.New("the PostgreSQL connection string does not parse")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return false, fmt.Errorf("postgres: connect: %w", err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", pgTable).Scan(&exists); err != nil || !exists {
		return false, err
	}
	err = conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM "+pgTable+")").Scan(&exists)
	return exists, err
}
