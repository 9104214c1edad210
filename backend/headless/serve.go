// Package headless runs Hostbound without a window (`hostbound serve`): it
// unlocks the data directory with the OS keyring or a passphrase file and
// serves the REST API until it is told to stop.
package headless

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/sirupsen/logrus"

	"hostbound/backend/core"
	"hostbound/backend/masterkey"
)

// PassphraseFileEnv names the file holding the passphrase in passphrase mode.
const PassphraseFileEnv = "HOSTBOUND_PASSPHRASE_FILE"

// Options of Serve.
type Options struct {
	DataDir        string
	Listen         string // overrides the stored setting when set
	PassphraseFile string
	Keyring        masterkey.Keyring
	Core           core.Config
}

// Serve unlocks, serves the REST API and returns when ctx ends (SIGTERM),
// after in-flight requests finished and the store closed.
func Serve(ctx context.Context, o Options) error {
	log := o.Core.Log.WithField("component", "serve")
	key, err := unlock(o)
	if err != nil {
		return err
	}
	svc, err := core.Open(o.DataDir, key, o.Core)
	if err != nil {
		return fmt.Errorf("open the data directory: %w", err)
	}
	defer svc.Store.Close()
	if has, err := svc.Users.HasUsers(); err != nil || !has {
		return errors.Join(err, errors.New("this data directory has no administrator yet: run the desktop app once to set it up"))
	}
	srv, set, err := svc.APIServer(o.Listen)
	if err != nil {
		return err
	}
	listen := set.Listen
	if o.Listen != "" {
		listen = o.Listen
	}
	if err := srv.Start(listen); err != nil {
		return err
	}
	st := srv.Status()
	log.WithFields(logrus.Fields{"url": st.URL, "fingerprint": st.Fingerprint}).Info("serving the REST API")
	<-ctx.Done()
	log.Info("stopping")
	stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Stop(stopCtx)
}

func unlock(o Options) ([]byte, error) {
	m := masterkey.New(o.DataDir, o.Keyring)
	h, err := m.Header()
	if errors.Is(err, masterkey.ErrNotInitialized) {
		return nil, errors.New("this data directory has not been set up: run the desktop app once to set it up")
	}
	if err != nil {
		return nil, err
	}
	if h.Mode == masterkey.ModeKeyring {
		return m.Load()
	}
	if o.PassphraseFile == "" {
		return nil, fmt.Errorf("this data directory is protected with a passphrase: put it in a file and set %s", PassphraseFileEnv)
	}
	b, err := os.ReadFile(o.PassphraseFile)
	if err != nil {
		return nil, fmt.Errorf("read the passphrase file: %w", err)
	}
	return m.Unlock(strings.TrimRight(string(b), "\r\n"))
}
