//go:build !js

package host

import (
	"flag"
	"fmt"
	"net/http"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime/server"
)

func (l *Limits) register(fs *flag.FlagSet) {
	fs.Var((*origins)(&l.AllowOrigins), "allow-origin", "an origin (https://dash.example.com) whose pages may open the websocket besides this server's own; repeat it or separate with commas")
	fs.Int64Var(&l.ReadLimit, "read-limit", l.ReadLimit, "largest message a page may send, in bytes; a larger one closes its connection")
	fs.DurationVar(&l.WriteTimeout, "write-timeout", l.WriteTimeout, "a page that reads nothing for this long is disconnected; its session keeps what waits")
	fs.IntVar(&l.SendQueue, "send-queue", l.SendQueue, "messages that may pile up for one page before it is disconnected as too slow (its session keeps them)")
	fs.IntVar(&l.SessionJobs, "session-jobs", l.SessionJobs, "background jobs one page may have queued or running; more are answered busy")
	fs.IntVar(&l.SessionCalls, "session-calls", l.SessionCalls, "ordinary callbacks one page may run at once")
	fs.IntVar(&l.SessionCallQueue, "session-call-queue", l.SessionCallQueue, "ordinary callbacks of one page that may wait for a slot; more are answered busy")
	fs.IntVar(&l.QueueSize, "queue-size", l.QueueSize, "in-process jobs that may wait for a worker; more are answered busy")
	fs.DurationVar(&l.JobTimeout, "job-timeout", l.JobTimeout, "in-process jobs whose callback sets no Timeout end with a timeout error after this long; 0: never")
}

// apply fills cfg's limits.
func (l Limits) apply(cfg *server.Config) {
	cfg.AllowedOrigins = l.AllowOrigins
	cfg.ReadLimit = l.ReadLimit
	cfg.WriteTimeout = l.WriteTimeout
	cfg.SendQueue = l.SendQueue
	cfg.SessionJobs = l.SessionJobs
	cfg.SessionCalls = l.SessionCalls
	cfg.SessionCallQueue = l.SessionCallQueue
}

// jobOptions are the in-process manager's options.
func (l Limits) jobOptions() []jobs.Option {
	var opts []jobs.Option
	if l.QueueSize > 0 {
		opts = append(opts, jobs.QueueSize(l.QueueSize))
	}
	if l.JobTimeout > 0 {
		opts = append(opts, jobs.DefaultTimeout(l.JobTimeout))
	}
	return opts
}

// origins is -allow-origin: repeated, or comma-separated, each checked as it
// is given so that a typo stops the server at start-up.
type origins []string

func (o *origins) String() string { return strings.Join(*o, ",") }

func (o *origins) Set(v string) error {
	for _, origin := range strings.Split(v, ",") {
		origin = strings.TrimSpace(origin)
		if origin == "" {
			continue
		}
		if err := server.ValidOrigin(origin); err != nil {
			return fmt.Errorf("%q: %w", origin, err)
		}
		*o = append(*o, origin)
	}
	return nil
}

// newRegistry holds the metrics /metrics serves: the Go runtime's, the
// process's, and longcall's (server.Config.Metrics).
func newRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// operate adds the operator's endpoints: /healthz (the process serves),
// /readyz (it takes new pages: false while draining) and /metrics.
func operate(mux *http.ServeMux, callbacks *server.Server, reg *prometheus.Registry) {
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		if !callbacks.Ready() {
			http.Error(w, "draining", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
}
