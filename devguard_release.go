//go:build !dev

package main

// devBuild: built with the Wails dev tag (make build-dev).
const devBuild = false
