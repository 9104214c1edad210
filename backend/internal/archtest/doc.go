// Package archtest holds the architecture test: `go test` over it runs
// `go list -deps` on the module and fails when an import breaks the arrows
// CONVENTIONS.md draws (faces don't import faces, domain packages import
// neither Wails nor net/http, parsers stay pure, only composition roots
// import faces). It has no code of its own.
package archtest
