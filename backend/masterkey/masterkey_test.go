package masterkey

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestKeyringModeStoresTheKeyAndLoadsItBack(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	kr := NewMemoryKeyring()
	key, err := New(dir, kr).CreateInKeyring()
	if err != nil {
		t.Fatal(err)
	}
	if len(key) != Size {
		t.Fatalf("key is %d bytes", len(key))
	}
	got, err := New(dir, kr).Load()
	if err != nil || !bytes.Equal(got, key) {
		t.Fatalf("Load: %v (equal=%v)", err, bytes.Equal(got, key))
	}
	assertHeaderHoldsNoKey(t, dir, key)
	if _, err := New(dir, kr).CreateInKeyring(); err == nil {
		t.Fatal("a second key was created over an existing one")
	}
}

func TestKeyringFaultsLeaveTheDirectoryLocked(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		break_ func(*MemoryKeyring)
		want   error
	}{
		{"a keyring that returns errors is reported as unavailable", func(k *MemoryKeyring) {
			k.Err = fmt.Errorf("%w: dbus says no", ErrKeyringUnavailable)
		}, ErrKeyringUnavailable},
		{"a keyring that lost the entry reports the key missing", (*MemoryKeyring).Forget, ErrKeyMissing},
		{"a key replaced by another is told apart", func(k *MemoryKeyring) {
			k.Replace(base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, Size)))
		}, ErrKeyMismatch},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			kr := NewMemoryKeyring()
			if _, err := New(dir, kr).CreateInKeyring(); err != nil {
				t.Fatal(err)
			}
			before, _ := os.ReadFile(filepath.Join(dir, HeaderFile))
			c.break_(kr)
			if _, err := New(dir, kr).Load(); !errors.Is(err, c.want) {
				t.Fatalf("Load: got %v, want %v", err, c.want)
			}
			after, _ := os.ReadFile(filepath.Join(dir, HeaderFile))
			if !bytes.Equal(before, after) {
				t.Fatal("the header changed")
			}
		})
	}
}

func TestWithoutAKeyringThePassphraseFallbackWorks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	broken := NewMemoryKeyring()
	broken.Err = ErrKeyringUnavailable
	if _, err := New(dir, broken).CreateInKeyring(); !errors.Is(err, ErrKeyringUnavailable) {
		t.Fatalf("CreateInKeyring with a broken keyring: %v", err)
	}
	if _, err := New(dir, broken).Header(); !errors.Is(err, ErrNotInitialized) {
		t.Fatalf("a failed keyring create left a header behind: %v", err)
	}
	const pass = "a long unlock passphrase"
	key, err := New(dir, broken).CreateWithPassphrase(pass)
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(dir, broken).Header()
	if err != nil || h.Mode != ModePassphrase || h.KDF.Name != "argon2id" || h.KDF.Time != 3 || h.KDF.Memory != 64*1024 || h.KDF.Threads != 2 || len(h.KDF.Salt) != 16 {
		t.Fatalf("header %+v, %v", h, err)
	}
	got, err := New(dir, broken).Unlock(pass)
	if err != nil || !bytes.Equal(got, key) {
		t.Fatalf("Unlock: %v", err)
	}
	assertHeaderHoldsNoKey(t, dir, key)
	if fi, _ := os.Stat(filepath.Join(dir, HeaderFile)); fi.Mode().Perm() != 0o600 {
		t.Fatalf("header mode %v, want 0600", fi.Mode().Perm())
	}
}

func TestAWrongPassphraseIsRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := New(dir, NewMemoryKeyring()).CreateWithPassphrase("the right passphrase"); err != nil {
		t.Fatal(err)
	}
	for _, wrong := range []string{"the wrong passphrase", "", "the right passphrasE"} {
		if _, err := New(dir, NewMemoryKeyring()).Unlock(wrong); !errors.Is(err, ErrWrongPassphrase) {
			t.Errorf("Unlock(%q): got %v, want ErrWrongPassphrase", wrong, err)
		}
	}
}

func TestShortPassphrasesAreRefused(t *testing.T) {
	t.Parallel()
	_, err := New(t.TempDir(), NewMemoryKeyring()).CreateWithPassphrase("too short")
	if err == nil || !strings.Contains(err.Error(), "at least 12 characters") {
		t.Fatalf("got %v", err)
	}
}

func TestDataWithoutAHeaderIsNeverReinitialised(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "db"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "db", "MANIFEST"), []byte("data"), 0o600); err != nil {
		t.Fatal(err)
	}
	m := New(dir, NewMemoryKeyring())
	if _, err := m.Header(); !errors.Is(err, ErrHeaderMissing) {
		t.Fatalf("Header: %v", err)
	}
	if _, err := m.CreateInKeyring(); !errors.Is(err, ErrHeaderMissing) {
		t.Fatalf("CreateInKeyring over existing data: %v", err)
	}
}

func TestADamagedHeaderIsReported(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, HeaderFile), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := New(dir, NewMemoryKeyring()).Load(); !errors.Is(err, ErrBadHeader) {
		t.Fatalf("got %v", err)
	}
}

func assertHeaderHoldsNoKey(t *testing.T, dir string, key []byte) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, HeaderFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, enc := range [][]byte{key, []byte(base64.StdEncoding.EncodeToString(key)), []byte(fmt.Sprintf("%x", key))} {
		if bytes.Contains(b, enc) {
			t.Fatal("the header holds the master key in the clear")
		}
	}
}
