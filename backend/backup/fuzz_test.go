package backup_test

import (
	"bytes"
	"testing"

	"hostbound/backend/backup"
)

// FuzzRead: whatever the file holds, Read returns an error or a header
// whose records it delivered — never a panic, never a hang.
func FuzzRead(f *testing.F) {
	st, key := filled(f, 40)
	var buf bytes.Buffer
	if _, err := (backup.Params{WorkFactor: 1}).Write(st, key, &buf, pass, when, nil); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add(buf.Bytes()[:200])
	f.Add([]byte(backup.Magic + "version 1\nage-header sha256:00\n"))
	f.Fuzz(func(t *testing.T, file []byte) {
		n := 0
		h, err := backup.Read(bytes.NewReader(file), pass, func(string, []byte) error { n++; return nil })
		if err == nil && n != h.Records {
			t.Fatalf("delivered %d records, header says %d", n, h.Records)
		}
	})
}
