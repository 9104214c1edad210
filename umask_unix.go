//go:build !windows

package main

import "syscall"

// restrictUmask makes every file and directory the app creates private to
// the user (0600 / 0700), Badger's included.
func restrictUmask() { syscall.Umask(0o077) }
