package headless

import (
	"errors"
	"expvar"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"runtime"
	"time"

	"github.com/sirupsen/logrus"
)

// PprofEnv names the loopback address on which `hostbound serve` exposes
// Go's profiler (net/http/pprof, plus expvar's /debug/vars for allocation
// counts) while it runs, for `make bench-rest --profile`. Unset: off.
const PprofEnv = "HOSTBOUND_PPROF"

// Sampling while the profiler is on: one blocking event per this many
// nanoseconds blocked, one mutex contention event in this many.
const (
	blockProfileRate     = 1000
	mutexProfileFraction = 10
)

// checkPprofAddr accepts host:port with a loopback IP address (127.0.0.0/8
// or ::1) only: a profile shows the heap and what the server is doing, so
// it is never served beyond this machine.
func checkPprofAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%s: %q is not host:port; want a loopback address such as 127.0.0.1:6060", PprofEnv, addr)
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%s: %q is not a loopback address; the profiler is only served on 127.0.0.1 or ::1 (such as 127.0.0.1:6060)", PprofEnv, addr)
	}
	if port == "" {
		return fmt.Errorf("%s: %q has no port", PprofEnv, addr)
	}
	return nil
}

// pprofServer serves the profiler on addr until it is closed.
type pprofServer struct {
	srv  *http.Server
	addr string
	done chan struct{}
}

// startPprof checks addr, turns block and mutex profiling on and serves
// /debug/pprof/ and /debug/vars on addr.
func startPprof(addr string, log logrus.FieldLogger) (*pprofServer, error) {
	if err := checkPprofAddr(addr); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", PprofEnv, err)
	}
	runtime.SetBlockProfileRate(blockProfileRate)
	runtime.SetMutexProfileFraction(mutexProfileFraction)
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.Handle("/debug/vars", expvar.Handler())
	p := &pprofServer{srv: &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}, addr: ln.Addr().String(), done: make(chan struct{})}
	go func() {
		defer close(p.done)
		if err := p.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.WithError(err).Error("profiler stopped")
		}
	}()
	log.WithField("address", "http://"+p.addr+"/debug/pprof/").Warn("serving the Go profiler (" + PprofEnv + ")")
	return p, nil
}

func (p *pprofServer) close() {
	_ = p.srv.Close()
	<-p.done
	runtime.SetBlockProfileRate(0)
	runtime.SetMutexProfileFraction(0)
}
