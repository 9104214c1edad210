// Hostbound: a desktop app for application-to-application password
// management. main parses flags, sets up the data directory and the logger,
// and runs the Wails window; app.go owns the wiring.
package main

import (
	"context"
	"embed"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/logger"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"hostbound/backend/applog"
	"hostbound/backend/datadir"
	"hostbound/backend/settings"
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

func run(args []string) int {
	limitMemory()
	if len(args) > 0 && args[0] == "serve" {
		return runServe(args[1:])
	}
	fs := flag.NewFlagSet("hostbound", flag.ContinueOnError)
	dataDirFlag := fs.String("data-dir", "", "data directory (default: $"+datadir.EnvVar+" or <user config dir>/hostbound)")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn, error")
	apiListen := fs.String("api-listen", settings.DefaultListen, "REST API address until Settings change it")
	showVersion := fs.Bool("version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *showVersion {
		fmt.Println("hostbound", version)
		return 0
	}
	restrictUmask()

	dir, err := datadir.Resolve(*dataDirFlag)
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
	log, err := applog.New(logFile, *logLevel)
	if err != nil {
		fmt.Fprintln(os.Stderr, "hostbound:", err)
		return 2
	}
	log.WithFields(map[string]any{"component": "main", "version": version, "dataDir": dir}).Info("starting")

	app := NewApp(dir, logPath, *apiListen, log)
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
