//go:build !linux

package store

import (
	"os"
	"runtime"
)

// dirSyncable: Windows cannot fsync a directory (its entries are durable
// with the file's own flush).
const dirSyncable = runtime.GOOS != "windows"

// fdatasync is a full sync where fdatasync is not available (macOS's
// File.Sync is F_FULLFSYNC).
func fdatasync(f *os.File) error { return f.Sync() }
