package cli

import (
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"hostbound/backend/applog"
)

func addServe(root *cobra.Command, env *Env) {
	var o ServeOptions
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the REST API (and the SSH CLI) without a window",
		Long: `Serve the REST API headless, logging JSON lines to stdout, until SIGTERM or
Ctrl-C (requests in flight finish first). It listens on --listen, else on the
address saved in Settings, else on 127.0.0.1:7272 (this machine only). The SSH
CLI runs as Settings say, or on --ssh-listen.

The data directory must have been set up (hostbound init). With the master key
in the OS keyring nothing else is needed; in passphrase mode give the file
holding the passphrase ($HOSTBOUND_PASSPHRASE_FILE or --passphrase-file).`,
		Example: `  hostbound serve --data-dir /srv/hostbound --listen 0.0.0.0:7272
  HOSTBOUND_PASSPHRASE_FILE=/etc/hostbound/passphrase hostbound serve --ssh-listen 0.0.0.0:2222`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return env.runServe(cmd, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Listen, "listen", "", "address to serve on (default: the address in Settings, 127.0.0.1:7272)")
	f.StringVar(&o.SSHListen, "ssh-listen", "", "SSH CLI address (default: Settings; off unless enabled there or given here)")
	passphraseFlag(cmd)
	root.AddCommand(cmd)
}

func (e *Env) runServe(cmd *cobra.Command, o ServeOptions) error {
	if e.Serve == nil {
		return failf("this build cannot serve")
	}
	log, err := applog.New(e.Stdout, flag(cmd, "log-level"))
	if err != nil {
		return usageError{err.Error()}
	}
	dir, lock, err := e.lockDir(cmd, true)
	if err != nil {
		return err
	}
	defer lock.Release()
	ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if o.Core, err = e.coreConfig(cmd, log); err != nil {
		return err
	}
	o.DataDir, o.PassphraseFile, o.Keyring = dir, e.passphraseFile(cmd), e.keyring()
	if err := e.Serve(ctx, o); err != nil {
		log.WithError(err).Error("hostbound serve stopped")
		return failf("serve: %w", err)
	}
	return nil
}
