package main

import (
	"flag"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime/server"
)

// opsConfig is the command line for operating the server in the open: who
// may connect, the limits that keep one client from taking what others
// need. Its zero value means the server's defaults (docs/OPERATIONS.md).
type opsConfig struct {
	allowOrigins     origins
	readLimit        int64
	writeTimeout     time.Duration
	sendQueue        int
	sessionJobs      int
	sessionCalls     int
	sessionCallQueue int
	queueSize        int
	jobTimeout       time.Duration
}

func (c *opsConfig) register(fs *flag.FlagSet) {
	fs.Var(&c.allowOrigins, "allow-origin", "an origin (https://dash.example.com) whose pages may open the websocket besides this server's own; repeat it or separate with commas")
	fs.Int64Var(&c.readLimit, "read-limit", 1<<20, "largest message a page may send, in bytes; a larger one closes its connection")
	fs.DurationVar(&c.writeTimeout, "write-timeout", 10*time.Second, "a page that reads nothing for this long is disconnected; its session keeps what waits")
	fs.IntVar(&c.sendQueue, "send-queue", 1024, "messages that may pile up for one page before it is disconnected as too slow (its session keeps them)")
	fs.IntVar(&c.sessionJobs, "session-jobs", 16, "background jobs one page may have queued or running; more are answered busy")
	fs.IntVar(&c.sessionCalls, "session-calls", 8, "ordinary callbacks one page may run at once")
	fs.IntVar(&c.sessionCallQueue, "session-call-queue", 64, "ordinary callbacks of one page that may wait for a slot; more are answered busy")
	fs.IntVar(&c.queueSize, "queue-size", 4096, "jobs that may wait for a worker (in this process, or with -redis in the deployment's queue); more are answered busy")
	fs.DurationVar(&c.jobTimeout, "job-timeout", 0, "in-process jobs whose callback sets no Timeout end with a timeout error after this long; 0: never")
}

// apply fills cfg's limits from the command line.
func (c opsConfig) apply(cfg *server.Config) {
	cfg.AllowedOrigins = c.allowOrigins
	cfg.ReadLimit = c.readLimit
	cfg.WriteTimeout = c.writeTimeout
	cfg.SendQueue = c.sendQueue
	cfg.SessionJobs = c.sessionJobs
	cfg.SessionCalls = c.sessionCalls
	cfg.SessionCallQueue = c.sessionCallQueue
}

// jobOptions are the in-process manager's options from the command line.
func (c opsConfig) jobOptions() []jobs.Option {
	var opts []jobs.Option
	if c.queueSize > 0 {
		opts = append(opts, jobs.QueueSize(c.queueSize))
	}
	if c.jobTimeout > 0 {
		opts = append(opts, jobs.DefaultTimeout(c.jobTimeout))
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
