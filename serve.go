package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"hostbound/backend/applog"
	"hostbound/backend/core"
	"hostbound/backend/datadir"
	"hostbound/backend/headless"
	"hostbound/backend/masterkey"
	"hostbound/backend/users"
)

// runServe is `hostbound serve`: the REST API (and the SSH CLI) without a window, logging
// JSON to stdout, stopping cleanly on SIGTERM or SIGINT.
func runServe(args []string) int {
	fs := flag.NewFlagSet("hostbound serve", flag.ContinueOnError)
	dataDirFlag := fs.String("data-dir", "", "data directory (default: $"+datadir.EnvVar+" or <user config dir>/hostbound)")
	listen := fs.String("listen", "", "address to serve on (default: the address in Settings, 127.0.0.1:7272)")
	sshListen := fs.String("ssh-listen", "", "SSH CLI address (default: Settings; off unless enabled there or given here)")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn, error")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	restrictUmask()
	log, err := applog.New(os.Stdout, *logLevel)
	if err != nil {
		fmt.Fprintln(os.Stderr, "hostbound serve:", err)
		return 2
	}
	dir, err := datadir.Resolve(*dataDirFlag)
	if err == nil {
		if err := refuseDefaultDataDir(dir); err != nil {
			fmt.Fprintln(os.Stderr, "hostbound serve:", err)
			return 2
		}
		err = datadir.Ensure(dir)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "hostbound serve:", err)
		return 1
	}
	lock, err := datadir.Acquire(dir)
	if err != nil {
		fmt.Fprintf(os.Stderr, "hostbound serve: %v (%s)\n", err, dir)
		return 1
	}
	defer lock.Release()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	err = headless.Serve(ctx, headless.Options{
		DataDir:        dir,
		Listen:         *listen,
		SSHListen:      *sshListen,
		PassphraseFile: os.Getenv(headless.PassphraseFileEnv),
		Keyring:        masterkey.NewOSKeyring(),
		Core:           core.Config{Log: log, Clock: time.Now, Hasher: users.DefaultHasher, Resolver: net.DefaultResolver},
	})
	if err != nil {
		log.WithError(err).Error("hostbound serve stopped")
		fmt.Fprintln(os.Stderr, "hostbound serve:", err)
		return 1
	}
	return 0
}
