//go:build linux || darwin

package store

import (
	"os"
	"syscall"
)

// freeSpace returns the bytes available to this user on dir's filesystem.
func freeSpace(dir string) (int64, bool) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, false
	}
	return int64(st.Bavail) * int64(st.Bsize), true
}

// allocated is the space a file takes on disk: Badger preallocates its
// value log as a sparse file, so the apparent size overstates it.
func allocated(fi os.FileInfo) int64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return int64(st.Blocks) * 512
	}
	return fi.Size()
}
