package store

import (
	"os"

	"golang.org/x/sys/unix"
)

// dirSyncable: a directory can be fsynced to make its entries durable.
const dirSyncable = true

// fdatasync syncs a file's data and the metadata needed to read it back
// (its size), not its times.
func fdatasync(f *os.File) error { return unix.Fdatasync(int(f.Fd())) }
