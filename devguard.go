package main

import (
	"fmt"
	"os"
	"path/filepath"
)

// refuseDefaultDataDir stops a development build from opening the user's
// real data. A dev build (the Wails `dev` tag, made by `make build-dev` for
// the end-to-end tests) serves the frontend bridge on a local port that any
// web page in a local browser can reach, so it may only ever see scratch
// data.
func refuseDefaultDataDir(dir string) error {
	return checkDataDir(devBuild, dir, defaultDataDir())
}

// defaultDataDir is where datadir.Resolve lands without --data-dir or
// $HOSTBOUND_DATA_DIR; "" when there is no user config directory.
func defaultDataDir() string {
	base, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(base, "hostbound")
}

func checkDataDir(dev bool, dir, defaultDir string) error {
	if !dev || defaultDir == "" || !sameDir(dir, defaultDir) {
		return nil
	}
	return fmt.Errorf("this is a development build (built with the dev tag, its frontend bridge is open to any local web page): "+
		"it refuses the default data directory %s; pass --data-dir to a scratch directory", defaultDir)
}

// sameDir compares after Clean and Abs, and, where both exist, as files:
// a symlinked config directory or another spelling of the same path on a
// case-insensitive file system is still the default.
func sameDir(a, b string) bool {
	a, errA := filepath.Abs(a)
	b, errB := filepath.Abs(b)
	if errA == nil && errB == nil && a == b {
		return true
	}
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}
