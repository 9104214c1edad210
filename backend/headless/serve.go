// Package headless runs Hostbound without a window (`hostbound serve`): it
// unlocks the data directory with the OS keyring or a passphrase file and
// serves the REST API (and the SSH CLI when enabled) until it is told to
// stop.
package headless

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/sirupsen/logrus"

	"hostbound/backend/core"
	"hostbound/backend/restapi"
	"hostbound/backend/sshcli"
)

// PassphraseFileEnv names the file holding the passphrase in passphrase mode.
const PassphraseFileEnv = "HOSTBOUND_PASSPHRASE_FILE"

// Options of Serve.
type Options struct {
	DataDir string
	// Listen overrides the stored address when set; without either the
	// API listens on settings.DefaultListen (127.0.0.1:7272).
	Listen string
	// SSHListen, when set, serves the SSH CLI there even if Settings
	// turned it off; without it the SSH CLI runs as Settings say.
	SSHListen      string
	PassphraseFile string
	Keyring        core.Keyring
	Core           core.Config
	// Started, when set, is told the server's address once it listens.
	Started func(url, fingerprint string)
	// Pprof, when set, is the loopback address to serve Go's profiler on
	// (PprofEnv); anything but a loopback address is refused.
	Pprof string
}

// Serve unlocks, serves the REST API and returns when ctx ends (SIGTERM),
// after in-flight requests finished and the store closed.
func Serve(ctx context.Context, o Options) error {
	log := o.Core.Log.WithField("component", "serve")
	if o.Pprof != "" {
		if err := checkPprofAddr(o.Pprof); err != nil {
			return err
		}
	}
	life := core.NewLifecycle(o.DataDir, o.Keyring, o.Core)
	if err := unlock(life, o); err != nil {
		return err
	}
	defer life.Close()
	svc := life.Services()
	if has, err := svc.Users.HasUsers(); err != nil || !has {
		return errors.Join(err, errors.New("this data directory has no administrator yet: set it up with `hostbound init` (or the desktop app)"))
	}
	srv := restapi.NewHeadlessRunner(life, o.Listen, o.Core.Clock, o.Core.Log)
	if err := srv.Restart(); err != nil {
		return err
	}
	defer srv.Stop()
	st := srv.Status()
	log.WithFields(logrus.Fields{"url": st.URL, "fingerprint": st.Fingerprint}).Info("serving the REST API")
	ssh := sshcli.NewHeadlessRunner(life, o.SSHListen, o.Core.Clock, o.Core.Log)
	if err := ssh.Restart(); err != nil {
		return err
	}
	defer ssh.Stop()
	if o.Pprof != "" {
		p, err := startPprof(o.Pprof, log)
		if err != nil {
			return err
		}
		defer p.close()
	}
	if sst := ssh.Status(); sst.Running {
		log.WithFields(logrus.Fields{"address": sst.Address, "fingerprint": sst.Fingerprint}).Info("serving the SSH CLI")
	}
	if o.Started != nil {
		o.Started(st.URL, st.Fingerprint)
	}
	<-ctx.Done()
	log.Info("stopping")
	return nil
}

func unlock(life *core.Lifecycle, o Options) error {
	switch life.Start() {
	case core.PhaseOpen:
		return nil
	case core.PhaseSetup:
		return errors.New("this data directory has not been set up: set it up with `hostbound init` (or the desktop app)")
	case core.PhaseLocked:
		return errors.New(life.State().LockedReason)
	}
	if o.PassphraseFile == "" {
		return fmt.Errorf("this data directory is protected with a passphrase: put it in a file and set %s", PassphraseFileEnv)
	}
	b, err := os.ReadFile(o.PassphraseFile)
	if err != nil {
		return fmt.Errorf("read the passphrase file: %w", err)
	}
	return life.Unlock(strings.TrimRight(string(b), "\r\n"))
}
