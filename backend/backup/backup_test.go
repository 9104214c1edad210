package backup_test

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"hostbound/backend/apperr"
	"hostbound/backend/backup"
	"hostbound/backend/internal/testenv"
	"hostbound/backend/store"
)

// fast keeps scrypt cheap in tests; the app uses DefaultWorkFactor.
var fast = backup.Params{WorkFactor: 2}

const pass = "correct horse battery staple"

var when = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

// filled is a store with n entries under a few prefixes (some key-only, as
// indexes are), about 200 bytes each.
func filled(t testing.TB, n int) (*store.Store, []byte) {
	t.Helper()
	key := testenv.Key(t)
	st, err := store.Open(t.TempDir(), key, testenv.Log())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for start := 0; start < n; start += 500 {
		err := st.Update(func(tx *store.Txn) error {
			for i := start; i < min(start+500, n); i++ {
				var err error
				switch i % 3 {
				case 0:
					err = tx.Put(fmt.Sprintf("user/u%06d", i), map[string]any{"name": fmt.Sprintf("user %d", i), "pad": strings.Repeat("x", 180)})
				case 1:
					err = tx.Put(fmt.Sprintf("vault/res/%d", i), map[string]any{"id": i, "notes": "<&>"})
				default:
					err = tx.PutKey(fmt.Sprintf("audit/ix/actor/u%06d", i))
				}
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return st, key
}

// entries reads every raw entry of st.
func entries(t testing.TB, st *store.Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	if err := st.View(func(tx *store.Txn) error {
		return tx.EachRaw("", func(k string, v []byte) error { out[k] = string(v); return nil })
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func write(t testing.TB, st *store.Store, key []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := fast.Write(st, key, &buf, pass, when, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func read(file []byte, passphrase string) (backup.Header, map[string]string, error) {
	got := map[string]string{}
	h, err := backup.Read(bytes.NewReader(file), passphrase, func(k string, v []byte) error {
		got[k] = string(v)
		return nil
	})
	return h, got, err
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	st, key := filled(t, 900)
	var buf bytes.Buffer
	var last [2]int
	h, err := fast.Write(st, key, &buf, pass, when, func(done, total int) { last = [2]int{done, total} })
	if err != nil {
		t.Fatal(err)
	}
	if h.Records != 900 || h.Counts["user/"] != 300 || h.Counts["vault/res/"] != 300 || h.Counts["audit/ix/"] != 300 {
		t.Fatalf("header %+v", h)
	}
	if last != [2]int{900, 900} {
		t.Errorf("last progress %v, want 900 of 900", last)
	}
	if !strings.HasPrefix(buf.String(), "hostbound-backup\nversion 1\nage-header sha256:") {
		t.Errorf("preamble %q", buf.String()[:60])
	}
	if bytes.Contains(buf.Bytes(), []byte("user 12")) || bytes.Contains(buf.Bytes(), key) {
		t.Error("the file holds plaintext")
	}
	back, got, err := read(buf.Bytes(), pass)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(got, entries(t, st)) {
		t.Error("the entries read back differ from the store's")
	}
	if !bytes.Equal(back.MasterKey, key) || back.Records != 900 || !back.CreatedAt.Equal(when) || !maps.Equal(back.Counts, h.Counts) {
		t.Errorf("header read back %+v", back)
	}
}

func TestEmptyStore(t *testing.T) {
	t.Parallel()
	st, key := filled(t, 0)
	h, got, err := read(write(t, st, key), pass)
	if err != nil || h.Records != 0 || len(got) != 0 || h.AuditCount != 0 {
		t.Fatalf("%+v %v %v", h, got, err)
	}
}

func TestPassphraseRules(t *testing.T) {
	t.Parallel()
	st, key := filled(t, 3)
	path := filepath.Join(t.TempDir(), "vault.hbk")
	for _, p := range []string{"", "short", "elevenchars"} {
		_, err := fast.WriteFile(path, st, key, p, when, nil)
		e := apperr.As(err)
		if e == nil || e.Field != "passphrase" || !strings.HasPrefix(e.Message, "Backup passphrase: at least 12 characters") {
			t.Errorf("passphrase %q: %v", p, err)
		}
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Error("a refused passphrase left a file")
	}
	if _, err := os.Stat(path + ".partial"); !errors.Is(err, os.ErrNotExist) {
		t.Error("a refused passphrase left a partial file")
	}
	// Twelve characters (not bytes) are enough.
	if _, err := fast.WriteFile(path, st, key, "ääääääääääää", when, nil); err != nil {
		t.Error(err)
	}
}

func TestWriteFile(t *testing.T) {
	t.Parallel()
	st, key := filled(t, 30)
	dir := t.TempDir()

	t.Run("writes a 0600 file that verifies and leaves no partial", func(t *testing.T) {
		path := filepath.Join(dir, "a.hbk")
		// A partial left by a crash is replaced.
		if err := os.WriteFile(path+".partial", []byte("stale"), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := fast.WriteFile(path, st, key, pass, when, nil); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(path)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("%v %v", fi, err)
		}
		if _, err := os.Stat(path + ".partial"); !errors.Is(err, os.ErrNotExist) {
			t.Error("partial left behind")
		}
		h, err := backup.Verify(path, pass)
		if err != nil || h.Records != 30 {
			t.Fatalf("verify: %+v %v", h, err)
		}
	})
	t.Run("a failed write removes the partial and keeps what was at the path", func(t *testing.T) {
		path := filepath.Join(dir, "taken")
		if err := os.Mkdir(path, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(path, "keep"), nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := fast.WriteFile(path, st, key, pass, when, nil); err == nil {
			t.Fatal("renaming over a directory succeeded")
		}
		if _, err := os.Stat(path + ".partial"); !errors.Is(err, os.ErrNotExist) {
			t.Error("partial left behind")
		}
		if _, err := os.Stat(filepath.Join(path, "keep")); err != nil {
			t.Error("the directory at the path was touched")
		}
	})
	t.Run("a bad master key writes nothing", func(t *testing.T) {
		path := filepath.Join(dir, "nothing.hbk")
		if _, err := fast.WriteFile(path, st, []byte("short key"), pass, when, nil); err == nil {
			t.Fatal("a 9-byte master key was accepted")
		}
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Error("file left behind")
		}
		if _, err := os.Stat(path + ".partial"); !errors.Is(err, os.ErrNotExist) {
			t.Error("partial left behind")
		}
	})
}

// ageHeaderEnd is the offset just past the age header's "--- " line.
func ageHeaderEnd(t testing.TB, file []byte) int {
	i := bytes.Index(file, []byte("\n--- "))
	j := bytes.IndexByte(file[i+1:], '\n')
	if i < 0 || j < 0 {
		t.Fatal("no age header")
	}
	return i + 1 + j + 1
}

func TestRefusals(t *testing.T) {
	t.Parallel()
	// ~200 KB: four age chunks, so that cuts fall inside and between chunks.
	st, key := filled(t, 1500)
	file := write(t, st, key)
	hdrEnd := ageHeaderEnd(t, file)
	const chunk = 64<<10 + 16
	if len(file) < hdrEnd+16+3*chunk {
		t.Fatalf("file of %d bytes is too small for this test", len(file))
	}

	t.Run("a wrong passphrase is ErrWrongPassphrase", func(t *testing.T) {
		for _, p := range []string{"correct horse battery stapler", "", "x"} {
			if _, got, err := read(file, p); !errors.Is(err, backup.ErrWrongPassphrase) || len(got) != 0 {
				t.Errorf("%q: %v (%d entries)", p, err, len(got))
			}
		}
		if err := backup.ErrWrongPassphrase.Error(); err != "wrong passphrase, or not a Hostbound backup" {
			t.Errorf("message %q", err)
		}
	})

	t.Run("a file that is not a backup is ErrNotBackup", func(t *testing.T) {
		var plainAge bytes.Buffer
		r, _ := age.NewScryptRecipient(pass)
		r.SetWorkFactor(2)
		w, _ := age.Encrypt(&plainAge, r)
		w.Write([]byte("hello"))
		w.Close()
		for name, f := range map[string][]byte{
			"empty": {}, "text": []byte("hello, world\n"), "JSON": []byte(`{"records":1}`),
			"an age file": plainAge.Bytes(), "another magic": []byte("hostbound-backuq\nversion 1\n"),
			"a masterkey.json": []byte(`{"version":1,"mode":"keyring"}`),
		} {
			if _, _, err := read(f, pass); !errors.Is(err, backup.ErrNotBackup) {
				t.Errorf("%s: %v", name, err)
			}
		}
	})

	t.Run("a file cut short anywhere is ErrTruncated", func(t *testing.T) {
		cuts := []int{1, 5, len(backup.Magic), len(backup.Magic) + 4, hdrEnd - 70, hdrEnd - 1, hdrEnd, hdrEnd + 8,
			hdrEnd + 16, hdrEnd + 16 + 100, hdrEnd + 16 + chunk, hdrEnd + 16 + chunk + 1, hdrEnd + 16 + 2*chunk - 1,
			len(file) / 2, len(file) - chunk, len(file) - 17, len(file) - 1}
		for _, n := range cuts {
			if _, _, err := read(file[:n], pass); !errors.Is(err, backup.ErrTruncated) {
				t.Errorf("cut at %d of %d: %v", n, len(file), err)
			}
		}
	})

	t.Run("one flipped bit anywhere is refused", func(t *testing.T) {
		var at []int
		for i := 0; i < hdrEnd+32; i++ {
			at = append(at, i)
		}
		for i := hdrEnd + 32; i < len(file); i += 997 {
			at = append(at, i)
		}
		at = append(at, len(file)-1, len(file)-16, len(file)-17)
		for _, i := range at {
			bad := bytes.Clone(file)
			bad[i] ^= 0x01
			_, _, err := read(bad, pass)
			want := backup.ErrTampered
			if i < len(backup.Magic) {
				want = backup.ErrNotBackup
			}
			if !errors.Is(err, want) {
				t.Errorf("bit flipped at %d (header ends at %d): %v, want %v", i, hdrEnd, err, want)
			}
		}
	})

	t.Run("a newer format is named", func(t *testing.T) {
		bad := bytes.Replace(bytes.Clone(file), []byte("version 1\n"), []byte("version 2\n"), 1)
		if _, _, err := read(bad, pass); !errors.Is(err, backup.ErrNewerFormat) {
			t.Errorf("%v", err)
		}
	})

	t.Run("an error of fn stops the read and is returned", func(t *testing.T) {
		stop := errors.New("stop")
		n := 0
		_, err := backup.Read(bytes.NewReader(file), pass, func(string, []byte) error {
			if n++; n == 10 {
				return stop
			}
			return nil
		})
		if err != stop || n != 10 {
			t.Errorf("%v after %d", err, n)
		}
	})
}
