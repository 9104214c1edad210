package main

import (
	"context"
	"os"
	"runtime/debug"

	"hostbound/backend/idlemem"
)

// defaultMemoryLimit is the heap the Go runtime aims to stay under unless
// GOMEMLIMIT says otherwise. Badger's compactions allocate in bursts; with
// the runtime's default pacing the resident size of `serve` under 64
// clients kept rising (136 → 468 MiB in two minutes), with this limit it
// held at 150–230 MiB (measured with make soak).
const defaultMemoryLimit = 256 << 20

// manageMemory sets the process's memory policy: the heap limit above, and
// the spare heap a burst left handed back once the process is quiet
// (backend/idlemem).
func manageMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	go idlemem.Default().Watch(context.Background())
}
