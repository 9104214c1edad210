package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDevBuildRefusesTheDefaultDataDirectory(t *testing.T) {
	t.Parallel()
	def := filepath.Join(t.TempDir(), "config", "hostbound")
	if err := os.MkdirAll(def, 0o700); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(def, link); err != nil {
		t.Fatal(err)
	}
	cwd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(cwd, def)
	if err != nil {
		t.Fatal(err)
	}
	scratch := t.TempDir()
	cases := []struct {
		name       string
		dev        bool
		dir, deflt string
		refused    bool
	}{
		{"a dev build refuses the default directory", true, def, def, true},
		{"a dev build refuses the default spelled with dots and slashes", true, def + "/./sub/..//", def, true},
		{"a dev build refuses the default as a relative path", true, rel, def, true},
		{"a dev build refuses the default reached through a symlink", true, link, def, true},
		{"a dev build refuses the default before it exists", true, def + "-new", def + "-new", true},
		{"a dev build accepts a scratch directory", true, scratch, def, false},
		{"a dev build accepts the default's parent directory", true, filepath.Dir(def), def, false},
		{"a dev build accepts any directory when there is no default", true, def, "", false},
		{"a release build accepts the default directory", false, def, def, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			err := checkDataDir(c.dev, c.dir, c.deflt)
			if !c.refused {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("accepted")
			}
			for _, want := range []string{"development build", c.deflt, "pass --data-dir to a scratch directory"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
		})
	}
}

// The wiring of the two above: this binary refuses the real default exactly
// when it was built with the dev tag (go test -tags dev . checks the other
// half).
func TestThisBuildRefusesTheDefaultOnlyWithTheDevTag(t *testing.T) {
	t.Parallel()
	def := defaultDataDir()
	if def == "" {
		t.Fatal("no user config directory to test with")
	}
	if err := refuseDefaultDataDir(def); (err != nil) != devBuild {
		t.Fatalf("devBuild %v, refuseDefaultDataDir(%s) = %v", devBuild, def, err)
	}
}
