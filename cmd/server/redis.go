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
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/server"
	"github.com/longcall/longcall/ui/examples"
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

// namedManagers are the managers callbacks name besides the default one,
// with how many of their jobs run at once (per worker process on Redis). The
// queue example's runs one job at a time, so that a second waits and the
// page shows its place.
var namedManagers = map[string]int{examples.QueueManager: 1}

// managers maps the names callbacks give managers to managers; "" is the
// default.
type managers map[string]jobs.Manager

// backgroundJobs returns the managers of background callbacks: in-process,
// or with -redis on Redis, with workers in this process too in role all.
// stop shuts down what it started.
func backgroundJobs(cfg config, log *slog.Logger) (managers, func(context.Context) error, error) {
	if cfg.redis.url == "" {
		return inProcessJobs(cfg)
	}
	ms := managers{}
	var stops []func(context.Context) error
	stop := func(ctx context.Context) error {
		var err error
		for i := len(stops) - 1; i >= 0; i-- {
			err = errors.Join(err, stops[i](ctx))
		}
		return err
	}
	for name, opt := range cfg.redis.queues(cfg, log) {
		m, stopOne, err := redisJobs(cfg.role, opt)
		if err != nil {
			stop(context.Background())
			return nil, nil, err
		}
		ms[name], stops = m, append(stops, stopOne)
	}
	ms[examples.Manager] = ms[""]
	return ms, stop, nil
}

// inProcessJobs is backgroundJobs without -redis.
func inProcessJobs(cfg config) (managers, func(context.Context) error, error) {
	main := jobs.NewInProcess(append([]jobs.Option{jobs.Workers(cfg.workers)}, cfg.ops.jobOptions()...)...)
	ms := managers{"": main, examples.Manager: main}
	all := []*jobs.InProcess{main}
	for name, workers := range namedManagers {
		m := jobs.NewInProcess(append(cfg.ops.jobOptions(), jobs.Workers(workers))...)
		ms[name], all = m, append(all, m)
	}
	return ms, func(ctx context.Context) error {
		var err error
		for _, m := range all {
			err = errors.Join(err, m.Shutdown(ctx))
		}
		return err
	}, nil
}

// queues returns the options of the Redis manager of each name: the default
// on -queue, and each named one on a queue and key prefix of its own,
// <queue>:<name>, run by every worker process with its own concurrency.
func (c *redisConfig) queues(cfg config, log *slog.Logger) map[string]jobs.RedisOptions {
	main := c.options(cfg, log)
	out := map[string]jobs.RedisOptions{"": main}
	for name, workers := range namedManagers {
		opt := main
		opt.Prefix = c.queue + ":" + name
		opt.Queue = opt.Prefix
		opt.Concurrency = workers
		out[name] = opt
	}
	return out
}

// redisJobs starts the web side of one queue, and in role all a worker of it
// too.
func redisJobs(role string, opt jobs.RedisOptions) (jobs.Manager, func(context.Context) error, error) {
	web, err := jobs.NewRedis(opt)
	if err != nil {
		return nil, nil, err
	}
	if role != "all" {
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

// runWorker is the worker role: no pages and no websocket, only an asynq
// worker per queue (the default one and each named manager's) and GET
// /healthz on -addr (200 while Redis answers), until ctx ends; then running
// jobs get cfg.grace to finish before they are handed back to the queue.
func runWorker(ctx context.Context, cfg config, log *slog.Logger, ready func(*serving)) error {
	files, err := fileStore(cfg.redis)
	if err != nil {
		return err
	}
	runtime.UseFiles(files) // the uploads pages sent to web processes
	var ws []*jobs.Worker
	for name, opt := range cfg.redis.queues(cfg, log) {
		w, err := startWorker(opt)
		if err != nil {
			shutdownWorkers(context.Background(), ws)
			return err
		}
		log.Info("worker started", "id", w.ID(), "manager", name, "queue", opt.Queue, "concurrency", opt.Concurrency)
		ws = append(ws, w)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(rw http.ResponseWriter, r *http.Request) {
		if err := ws[0].Ping(r.Context()); err != nil { // they all share one Redis
			http.Error(rw, err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(rw, "ok", ws[0].ID())
	})
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		shutdownWorkers(context.Background(), ws)
		return fmt.Errorf("listen on %s: %w", cfg.addr, err)
	}
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	ready(&serving{URL: "http://" + ln.Addr().String() + "/healthz"})

	<-ctx.Done()
	log.Info("worker shutting down", "grace", cfg.grace)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.grace)
	defer cancel()
	return errors.Join(shutdownWorkers(shutdownCtx, ws), hs.Shutdown(context.Background()))
}

// fileStore keeps uploads and downloads: in this process's memory, or with
// -redis in Redis under the queue's prefix, where workers read them too.
func fileStore(c redisConfig) (server.FileStore, error) {
	if c.url == "" {
		return server.NewMemoryFiles(server.FilesOptions{}), nil
	}
	opt, err := redis.ParseURL(c.url)
	if err != nil {
		return nil, fmt.Errorf("-redis %s: %w", c.url, err)
	}
	return server.NewRedisFiles(redis.NewClient(opt), c.queue, server.FilesOptions{}), nil
}

// shutdownWorkers shuts the workers down at once, not one after the other:
// each stops taking jobs first, so none takes new ones while another drains.
func shutdownWorkers(ctx context.Context, ws []*jobs.Worker) error {
	errs := make([]error, len(ws))
	var wg sync.WaitGroup
	for i, w := range ws {
		wg.Go(func() { errs[i] = w.Shutdown(ctx) })
	}
	wg.Wait()
	return errors.Join(errs...)
}
