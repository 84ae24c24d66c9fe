//go:build !js

package host

import (
	"flag"
	"fmt"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime/server"
)

func (l *Limits) register(fs *flag.FlagSet) {
	fs.Var(&checkedList{&l.AllowOrigins, server.ValidOrigin}, "allow-origin", "an origin (https://dash.example.com) whose pages may open the websocket besides this server's own; repeat it or separate with commas")
	fs.Int64Var(&l.ReadLimit, "read-limit", l.ReadLimit, "largest message a page may send, in bytes; a larger one closes its connection")
	fs.DurationVar(&l.WriteTimeout, "write-timeout", l.WriteTimeout, "a page that reads nothing for this long is disconnected; its session keeps what waits")
	fs.IntVar(&l.SendQueue, "send-queue", l.SendQueue, "messages that may pile up for one page before it is disconnected as too slow (its session keeps them)")
	fs.IntVar(&l.SessionJobs, "session-jobs", l.SessionJobs, "background jobs one page may have queued or running; more are answered busy")
	fs.IntVar(&l.SessionCalls, "session-calls", l.SessionCalls, "ordinary callbacks one page may run at once")
	fs.IntVar(&l.SessionCallQueue, "session-call-queue", l.SessionCallQueue, "ordinary callbacks of one page that may wait for a slot; more are answered busy")
	fs.IntVar(&l.QueueSize, "queue-size", l.QueueSize, "jobs that may wait for a worker (in this process, or with -redis in the deployment's queue); more are answered busy")
	fs.IntVar(&l.SessionWorkers, "session-workers", l.SessionWorkers, "workers (in-process, or slots of each Redis worker) one page's handlers may hold at once, those running on after their job ended included; 0: an eighth of -workers, at least 4")
	fs.Int64Var(&l.ResultLimit, "result-limit", l.ResultLimit, "largest result sent to a page, in bytes of its outputs' JSON; a larger one ends its call with a too_large error")
	fs.Int64Var(&l.SessionResultBytes, "session-result-bytes", l.SessionResultBytes, "bytes of results one page's session may hold unread (a slow page, or one away); past it a result ends its call with a too_large error")
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
	cfg.ResultLimit = l.ResultLimit
	cfg.SessionResultBytes = l.SessionResultBytes
}

// jobOptions are the in-process manager's options.
func (l Limits) jobOptions() []jobs.Option {
	var opts []jobs.Option
	if l.QueueSize > 0 {
		opts = append(opts, jobs.QueueSize(l.QueueSize))
	}
	if l.SessionWorkers > 0 {
		opts = append(opts, jobs.SessionWorkers(l.SessionWorkers))
	}
	if l.JobTimeout > 0 {
		opts = append(opts, jobs.DefaultTimeout(l.JobTimeout))
	}
	return opts
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
