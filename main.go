// Hostbound: a desktop app for application-to-application password
// management. main hands the command line to backend/cli; without a
// command it sets up the data directory and the logger and runs the Wails
// window (app.go owns the wiring).
package main

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/logger"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"hostbound/backend/applog"
	"hostbound/backend/cli"
	"hostbound/backend/core"
	"hostbound/backend/datadir"
	"hostbound/backend/headless"
	"hostbound/backend/masterkey"
	"hostbound/backend/users"
)

//go:embed all:frontend/dist
var assets embed.FS

//go:embed build/appicon.png
var icon []byte

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func main() {
	os.Exit(run(os.Args[1:]))
}

// run dispatches the command line (backend/cli): no command opens the
// window, the commands administer or serve a data directory headless.
func run(args []string) int {
	manageMemory()
	env := &cli.Env{
		Version: version, Stdout: os.Stdout, Stderr: os.Stderr,
		Terminal: cli.OSTerminal(), StderrTTY: cli.IsTerminal(os.Stderr), Getenv: os.Getenv,
		Keyring: func() core.Keyring { return masterkey.NewOSKeyring() },
		Hasher:  users.DefaultHasher, Resolver: net.DefaultResolver, Clock: time.Now,
		Prepare: restrictUmask, CheckDataDir: refuseDefaultDataDir,
		Window: runWindow, Serve: serve,
	}
	return cli.Run(context.Background(), env, args)
}

// serve is `hostbound serve`'s server: the REST API and the SSH CLI.
func serve(ctx context.Context, o cli.ServeOptions) error {
	return headless.Serve(ctx, headless.Options{DataDir: o.DataDir, Listen: o.Listen, SSHListen: o.SSHListen,
		PassphraseFile: o.PassphraseFile, Keyring: o.Keyring, Core: o.Core, Started: o.Started,
		Pprof: os.Getenv(headless.PprofEnv)})
}

// runWindow is the desktop app on the data directory of o.
func runWindow(o cli.WindowOptions) int {
	restrictUmask()

	dir, err := datadir.Resolve(o.DataDir)
	if err == nil {
		if err := refuseDefaultDataDir(dir); err != nil {
			fmt.Fprintln(os.Stderr, "hostbound:", err)
			return 2
		}
		err = datadir.Ensure(dir)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "hostbound:", err)
		return 1
	}
	lock, err := datadir.Acquire(dir)
	if errors.Is(err, datadir.ErrInUse) {
		fmt.Fprintf(os.Stderr, "hostbound: %v (%s)\n", err, dir)
		showAlreadyRunning(dir)
		return 1
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "hostbound:", err)
		return 1
	}
	defer lock.Release()

	logPath := dir + string(os.PathSeparator) + "hostbound.log"
	logFile, err := applog.OpenFile(logPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "hostbound:", err)
		return 1
	}
	defer logFile.Close()
	log, err := applog.New(logFile, o.LogLevel)
	if err != nil {
		fmt.Fprintln(os.Stderr, "hostbound:", err)
		return 2
	}
	log.WithFields(map[string]any{"component": "main", "version": version, "dataDir": dir}).Info("starting")

	app := NewApp(dir, logPath, o.APIListen, o.StoreURL, log)
	err = wails.Run(&options.App{
		Title:              "Hostbound",
		Width:              1200,
		Height:             800,
		MinWidth:           800,
		MinHeight:          600,
		AssetServer:        &assetserver.Options{Assets: assets},
		Logger:             applog.Wails{L: log.WithField("component", "wails")},
		LogLevel:           logger.WARNING,
		LogLevelProduction: logger.WARNING,
		OnStartup:          app.startup,
		OnShutdown:         app.shutdown,
		SingleInstanceLock: singleInstance(dir, app.secondInstance),
		Linux:              &linux.Options{Icon: icon, ProgramName: "hostbound"},
		Bind:               app.Bindings(),
	})
	if err != nil {
		log.WithError(err).Error("window failed")
		fmt.Fprintln(os.Stderr, "hostbound:", err)
		return 1
	}
	return 0
}

func singleInstance(dir string, onSecond func(options.SecondInstanceData)) *options.SingleInstanceLock {
	return &options.SingleInstanceLock{UniqueId: "dev.hostbound.app." + datadir.ID(dir), OnSecondInstanceLaunch: onSecond}
}

// showAlreadyRunning handles a second start on a data directory that is in
// use. Wails' single-instance lock hands the start to the running window
// (which comes forward) and ends this process; where that lock cannot work
// (no session bus), a dialog says why nothing else opens.
func showAlreadyRunning(dir string) {
	_ = wails.Run(&options.App{
		Title:              "Hostbound",
		Width:              1,
		Height:             1,
		StartHidden:        true,
		AssetServer:        &assetserver.Options{Assets: assets},
		LogLevel:           logger.ERROR,
		SingleInstanceLock: singleInstance(dir, func(options.SecondInstanceData) {}),
		OnStartup: func(ctx context.Context) {
			_, _ = runtime.MessageDialog(ctx, runtime.MessageDialogOptions{
				Type:    runtime.ErrorDialog,
				Title:   "Hostbound",
				Message: datadir.ErrInUse.Error() + ":\n" + dir,
			})
			runtime.Quit(ctx)
		},
	})
}
