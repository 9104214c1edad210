//go:build windows

package main

// restrictUmask: Windows has no umask; the user profile's ACLs apply.
func restrictUmask() {}
