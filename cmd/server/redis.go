package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/longcall/longcall/jobs"
)

// redisConfig is the command line of a deployment on Redis: web processes
// (-role web) that serve pages and queue jobs, and workers (-role worker)
// that run them, any number of each, meeting in one Redis. The same binary
// on both sides, so every callback is registered everywhere.
type redisConfig struct {
	url     string
	queue   string
	retries int
	lease   time.Duration
	poll    time.Duration
}

func (c *redisConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&c.url, "redis", os.Getenv("REDIS_URL"),
		"run background jobs on Redis workers (asynq), e.g. redis://127.0.0.1:6379/0 (default $REDIS_URL); without it, jobs run in this process")
	fs.StringVar(&c.queue, "queue", "longcall",
		"with -redis: the asynq queue, and the prefix of longcall's Redis keys; apps sharing a Redis need different ones")
	fs.IntVar(&c.retries, "retries", 1,
		"with -redis: how often a job runs again after its worker was lost (killed, crashed, cut off from Redis); 0: never, its page gets an error")
	fs.DurationVar(&c.lease, "lease", 5*time.Second,
		"with -redis: how long a silent worker keeps its jobs before they count as lost")
	fs.DurationVar(&c.poll, "poll", 5*time.Millisecond,
		"with -redis, workers: how often an idle worker asks Redis for a job (asynq polls; its default of 1s adds ~0.6s to every job)")
}

// checkRole vets -role against -redis.
func (c *redisConfig) checkRole(role string) error {
	switch role {
	case "all":
		return nil
	case "web", "worker":
		if c.url == "" {
			return fmt.Errorf("-role %s needs -redis (or REDIS_URL): web processes and workers meet in Redis", role)
		}
		return nil
	}
	return fmt.Errorf("-role %q: want all, web or worker", role)
}

// roleName is how the process introduces itself.
func roleName(role string) string {
	switch role {
	case "web":
		return "web process"
	case "worker":
		return "worker, health check"
	}
	return "demo dashboard"
}

func (c *redisConfig) options(cfg config, log *slog.Logger) jobs.RedisOptions {
	retries := c.retries
	if retries == 0 {
		retries = -1 // RedisOptions reads 0 as "the default"
	}
	return jobs.RedisOptions{
		URL:          c.url,
		Prefix:       c.queue,
		Queue:        c.queue,
		Retries:      retries,
		Lease:        c.lease,
		PollInterval: c.poll,
		Concurrency:  cfg.workers,
		Logger:       log,
	}
}

// backgroundJobs returns the manager of background callbacks: in-process,
// or with -redis the Redis one, with a worker in this process too in role
// all. stop shuts down what it started.
func backgroundJobs(cfg config, log *slog.Logger) (m jobs.Manager, stop func(context.Context) error, err error) {
	if cfg.redis.url == "" {
		in := jobs.NewInProcess(append([]jobs.Option{jobs.Workers(cfg.workers)}, cfg.ops.jobOptions()...)...)
		return in, in.Shutdown, nil
	}
	opt := cfg.redis.options(cfg, log)
	web, err := jobs.NewRedis(opt)
	if err != nil {
		return nil, nil, err
	}
	if cfg.role != "all" {
		return web, web.Shutdown, nil
	}
	w, err := startWorker(opt)
	if err != nil {
		web.Shutdown(context.Background())
		return nil, nil, err
	}
	// The worker first: its running jobs finish, or go back to the queue,
	// while the web side still streams their events.
	return web, func(ctx context.Context) error { return errors.Join(w.Shutdown(ctx), web.Shutdown(ctx)) }, nil
}

// inProcess returns m as the in-process manager, or nil.
func inProcess(m jobs.Manager) *jobs.InProcess {
	in, _ := m.(*jobs.InProcess)
	return in
}

func startWorker(opt jobs.RedisOptions) (*jobs.Worker, error) {
	w, err := jobs.NewWorker(opt)
	if err != nil {
		return nil, err
	}
	if err := w.Start(); err != nil {
		w.Shutdown(context.Background())
		return nil, err
	}
	return w, nil
}

// runWorker is the worker role: no pages and no websocket, only the asynq
// worker and GET /healthz on -addr (200 while Redis answers), until ctx
// ends; then running jobs get cfg.grace to finish before they are handed
// back to the queue.
func runWorker(ctx context.Context, cfg config, log *slog.Logger, ready func(*serving)) error {
	w, err := startWorker(cfg.redis.options(cfg, log))
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(rw http.ResponseWriter, r *http.Request) {
		if err := w.Ping(r.Context()); err != nil {
			http.Error(rw, err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(rw, "ok", w.ID())
	})
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		w.Shutdown(context.Background())
		return fmt.Errorf("listen on %s: %w", cfg.addr, err)
	}
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	log.Info("worker started", "id", w.ID(), "queue", cfg.redis.queue, "concurrency", cfg.workers)
	ready(&serving{URL: "http://" + ln.Addr().String() + "/healthz"})

	<-ctx.Done()
	log.Info("worker shutting down", "grace", cfg.grace)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.grace)
	defer cancel()
	return errors.Join(w.Shutdown(shutdownCtx), hs.Shutdown(context.Background()))
}
