package datadir

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestSecondLockOnTheSameDirectoryIsRefused(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	if err := Ensure(dir); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Fatalf("data directory mode %v, want 0700", fi.Mode().Perm())
	}
	first, err := Acquire(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Acquire(dir); !errors.Is(err, ErrInUse) {
		t.Fatalf("second lock: got %v, want ErrInUse", err)
	}
	if err := first.Release(); err != nil {
		t.Fatal(err)
	}
	again, err := Acquire(dir)
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	again.Release()
}

func TestResolvePrefersFlagThenEnvironment(t *testing.T) {
	t.Setenv(EnvVar, "/tmp/from-env")
	if got, _ := Resolve("/tmp/from-flag"); got != "/tmp/from-flag" {
		t.Errorf("flag: got %s", got)
	}
	if got, _ := Resolve(""); got != "/tmp/from-env" {
		t.Errorf("env: got %s", got)
	}
	t.Setenv(EnvVar, "")
	got, err := Resolve("")
	if err != nil || filepath.Base(got) != "hostbound" {
		t.Errorf("default: got %s, %v", got, err)
	}
}
