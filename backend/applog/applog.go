// Package applog builds Hostbound's logrus logger: JSON lines to a file that
// only the user can read, a hook that redacts secret-looking fields, and
// adapters that route Badger's and Wails' logs through it.
package applog

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sirupsen/logrus"
)

// Redacted replaces the value of every field whose name looks like a secret.
const Redacted = "[REDACTED]"

// secretFields are matched case-insensitively against field names, as
// substrings, so that "newPassword" and "apiKeyHint" are caught too.
var secretFields = []string{"password", "passphrase", "apikey", "api_key", "token", "secret", "authorization", "masterkey", "master_key"}

// New returns a JSON logger writing to w at the given level ("debug",
// "info", "warn", "error").
func New(w io.Writer, level string) (*logrus.Logger, error) {
	lvl, err := logrus.ParseLevel(level)
	if err != nil {
		return nil, fmt.Errorf("log level %q: want one of debug, info, warn, error", level)
	}
	l := logrus.New()
	l.SetOutput(w)
	l.SetLevel(lvl)
	l.SetFormatter(&logrus.JSONFormatter{TimestampFormat: "2006-01-02T15:04:05.000Z07:00"})
	l.AddHook(RedactHook{})
	return l, nil
}

// OpenFile opens (or creates) the log file with mode 0600, appending.
func OpenFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open log file: %w", err)
	}
	// An older file may have been created with wider permissions.
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return nil, fmt.Errorf("restrict log file: %w", err)
	}
	return f, nil
}

// RedactHook blanks the values of fields that are named like secrets.
type RedactHook struct{}

func (RedactHook) Levels() []logrus.Level { return logrus.AllLevels }

func (RedactHook) Fire(e *logrus.Entry) error {
	for k := range e.Data {
		if IsSecretField(k) {
			e.Data[k] = Redacted
		}
	}
	return nil
}

// IsSecretField reports whether a field of this name must never be logged.
func IsSecretField(name string) bool {
	n := strings.ToLower(name)
	for _, s := range secretFields {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}
