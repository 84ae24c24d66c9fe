package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime/protocol"
	"github.com/longcall/longcall/runtime/server"
	"github.com/longcall/longcall/ui/examples"
)

// inProcess serves the load dashboard from this process, as cmd/server
// does: the websocket endpoint and the in-process manager, on a free
// loopback port. It lets a CPU profile see server and client at once, and
// tests load a real server without building one.
type inProcess struct {
	url     string
	manager *jobs.InProcess
	srv     *server.Server
	hs      *http.Server
	served  chan error
}

func startInProcess(workers int) (*inProcess, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("serve in process: %w", err)
	}
	manager := jobs.NewInProcess(jobs.Workers(workers))
	p := &inProcess{
		url:     "ws://" + ln.Addr().String() + protocol.Path,
		manager: manager,
		srv: server.New(server.Config{
			Managers: map[string]jobs.Manager{"": manager, examples.Manager: manager},
			Logger:   slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
			// Every session comes from 127.0.0.1: no bounds per address.
			AddrConns: -1, AddrSessions: -1, AddrCallRate: -1,
		}),
		served: make(chan error, 1),
	}
	mux := http.NewServeMux()
	mux.Handle(protocol.Path, p.srv)
	p.hs = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { p.served <- p.hs.Serve(ln) }()
	return p, nil
}

// stop shuts down as cmd/server does: jobs first, then the sessions, then
// the listener.
func (p *inProcess) stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := errors.Join(p.manager.Shutdown(ctx), p.srv.Shutdown(ctx))
	if herr := p.hs.Shutdown(ctx); herr != nil {
		err = errors.Join(err, fmt.Errorf("stop http server: %w", herr))
	}
	if serr := <-p.served; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, fmt.Errorf("serve: %w", serr))
	}
	return err
}
