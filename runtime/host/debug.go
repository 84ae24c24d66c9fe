//go:build !js

package host

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// serveDebug serves the Go runtime's profiles (net/http/pprof: CPU, heap,
// goroutines, the execution trace) on addr, a listener of their own: they
// tell a reader everything about the process, so they are never on the
// public address, and an operator reaches them over loopback or a tunnel.
// It returns the listener's base URL, "" when addr is empty (no profiles);
// the listener closes when ctx ends.
func serveDebug(ctx context.Context, addr string, log *slog.Logger) (string, error) {
	if addr == "" {
		return "", nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("-debug-addr %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("debug listener failed", "addr", ln.Addr().String(), "err", err)
		}
	}()
	go func() {
		<-ctx.Done()
		hs.Close() // profiles in progress are cut short: nothing to drain
	}()
	url := "http://" + ln.Addr().String()
	log.Info("profiles served", "url", url+"/debug/pprof/")
	return url, nil
}
