package applog

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestRedactHookBlanksSecretFields(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	l, err := New(&buf, "info")
	if err != nil {
		t.Fatal(err)
	}
	const secret = "s3cr3t-value-never-logged"
	for _, field := range []string{"password", "newPassword", "apiKey", "token", "secret", "Authorization", "masterKey", "passphrase"} {
		l.WithField(field, secret).WithField("user", "alice").Info("login")
	}
	if strings.Contains(buf.String(), secret) {
		t.Fatalf("secret reached the log:\n%s", buf.String())
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 8 {
		t.Fatalf("want 8 lines, got %d", len(lines))
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &rec); err != nil {
		t.Fatalf("log line is not JSON: %v", err)
	}
	if rec["user"] != "alice" || rec["password"] != Redacted {
		t.Fatalf("unexpected record %v", rec)
	}
}

func TestNewRejectsUnknownLevel(t *testing.T) {
	t.Parallel()
	if _, err := New(&bytes.Buffer{}, "loud"); err == nil || !strings.Contains(err.Error(), "log level") {
		t.Fatalf("want a log level error, got %v", err)
	}
}
