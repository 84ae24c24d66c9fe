//go:build !js

package host

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime/protocol"
	"github.com/longcall/longcall/runtime/server"
)

// Serving is a running server, as Serve hands it to its caller.
type Serving struct {
	URL       string
	DebugURL  string // the profiles' listener, when DebugAddr is set
	Callbacks *server.Server
	Jobs      *jobs.InProcess // the default manager when it runs in this process
}

// Serve serves the app c describes until ctx ends, then drains: running
// jobs get c.ShutdownGrace to finish. ready hears of the server once it
// listens.
func Serve(ctx context.Context, c Config, ready func(*Serving)) error {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: c.LogLevel}))
	debugURL, err := serveDebug(ctx, c.DebugAddr, log)
	if err != nil {
		return err
	}
	c.registerRoutes()
	if c.Role == "worker" {
		return runWorker(ctx, c, log, func(s *Serving) { // no pages: redis.go
			s.DebugURL = debugURL
			ready(s)
		})
	}
	if err := c.check(); err != nil {
		return err
	}
	assets, err := loadAssets(ctx, c)
	if err != nil {
		return err
	}

	managers, stopJobs, err := backgroundJobs(c, log) // in-process, or on Redis: redis.go
	if err != nil {
		return err
	}
	files, err := fileStore(c.Redis) // uploads and downloads: redis.go
	if err != nil {
		stopJobs(context.Background())
		return err
	}
	metrics := newRegistry()
	serverCfg := server.Config{
		Files:        files,
		Managers:     managers,
		Logger:       log,
		SessionGrace: c.SessionGrace,
		Metrics:      metrics,
		DevErrors:    c.Dev,
	}
	serverCfg.Authenticate, serverCfg.CallerHeaders, serverCfg.CallerCookies = c.authenticate, c.callerHeaders, c.callerCookies
	serverCfg.Secret, serverCfg.PreviousSecrets = secrets(c.Secret)
	c.Limits.apply(&serverCfg)
	c.Edge.apply(&serverCfg, c.Addr)
	callbacks := server.New(serverCfg)

	mux := http.NewServeMux()
	mux.Handle(protocol.Path, callbacks)
	mux.Handle(protocol.UploadPath, callbacks.Files())
	mux.Handle(protocol.FilesPath, callbacks.Files())
	mux.Handle(protocol.CookiePath, callbacks.Cookies())
	for _, h := range c.handlers {
		mux.Handle(h.pattern, h.handler)
	}
	mux.Handle("/", guard(c, callbacks.Authenticate, log, pages(c, assets)))
	operate(mux, callbacks, metrics)

	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		stopJobs(context.Background())
		return fmt.Errorf("listen on %s: %w", c.Addr, err)
	}
	hs := callbacks.HTTPServer(logRequests(log, secureHeaders(callbacks.CheckHost(mux))))
	served := make(chan error, 1)
	go func() { served <- hs.Serve(callbacks.Listener(ln)) }()
	ready(&Serving{URL: "http://" + ln.Addr().String(), DebugURL: debugURL, Callbacks: callbacks, Jobs: inProcess(managers[""])})

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	return shutdown(log, c.ShutdownGrace, callbacks, hs, stopJobs)
}

// check runs the start-up checks: a page whose callbacks name what its
// layout lacks does not start.
func (c *Config) check() error {
	var errs []error
	for _, check := range c.checks {
		errs = append(errs, check())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("the dashboards' callbacks do not match their layouts:\n%w", err)
	}
	return nil
}
