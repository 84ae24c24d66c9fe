//go:build !js

package host

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/longcall/longcall/runtime/server"
)

// flushTime bounds the last step of a shutdown: writing what the jobs ended
// with to the pages still connected, and closing their sockets.
const flushTime = 5 * time.Second

// shutdown drains the server, for SIGTERM:
//  1. readiness turns false and new websockets are refused (503), so a load
//     balancer stops sending pages here, while /healthz and the connections
//     already open go on;
//  2. the managers stop taking jobs (calls are answered busy) and let the
//     running ones finish for grace; an in-process job still running then
//     ends with an error, a Redis worker's goes back to its queue;
//  3. what the jobs ended with is written to the pages, which are closed with
//     "service restart" (1012) and reconnect to another process, or to this
//     one restarted (their sessions resume with a shared -secret);
//  4. the HTTP server stops.
//
// It returns an error when jobs had to be cut off or pages could not be
// flushed in time.
func shutdown(log *slog.Logger, grace time.Duration, callbacks *server.Server, hs *http.Server, stopJobs func(context.Context) error) error {
	log.Info("draining", "grace", grace)
	callbacks.Drain()

	jobsCtx, cancelJobs := context.WithTimeout(context.Background(), grace)
	defer cancelJobs()
	jobsErr := stopJobs(jobsCtx)
	if jobsErr != nil {
		log.Warn("jobs still running at the end of the grace period were ended", "err", jobsErr)
	}

	flushCtx, cancelFlush := context.WithTimeout(context.Background(), flushTime)
	defer cancelFlush()
	flushErr := callbacks.Shutdown(flushCtx)
	httpErr := hs.Shutdown(flushCtx)
	if errors.Is(httpErr, http.ErrServerClosed) {
		httpErr = nil
	}
	log.Info("stopped")
	return errors.Join(jobsErr, flushErr, httpErr)
}
