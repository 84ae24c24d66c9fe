//go:build !js

package host

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
	"github.com/longcall/longcall/jobs/redisjobs"
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/server"
)

func (r *Redis) register(fs *flag.FlagSet) {
	if r.URL == "" {
		r.URL = os.Getenv("REDIS_URL")
	}
	fs.StringVar(&r.URL, "redis", r.URL,
		"run background jobs on Redis workers (asynq), e.g. redis://127.0.0.1:6379/0 (default $REDIS_URL); without it, jobs run in this process")
	fs.StringVar(&r.Queue, "queue", r.Queue,
		"with -redis: the asynq queue, and the prefix of longcall's Redis keys; apps sharing a Redis need different ones")
	fs.IntVar(&r.Retries, "retries", r.Retries,
		"with -redis: how often a job runs again after its worker was lost (killed, crashed, cut off from Redis); 0: never, its page gets an error")
	fs.DurationVar(&r.Lease, "lease", r.Lease,
		"with -redis: how long a silent worker keeps its jobs before they count as lost and run again (jobs run at least once: a worker or Redis stalled longer re-runs them; see docs/DEPLOY.md)")
	fs.DurationVar(&r.Poll, "poll", r.Poll,
		"with -redis, workers: how often an idle worker asks Redis for a job (asynq polls; its default of 1s adds ~0.6s to every job)")
}

// checkRole vets -role against -redis.
func (r *Redis) checkRole(role string) error {
	switch role {
	case "all":
		return nil
	case "web", "worker":
		if r.URL == "" {
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
	return "dashboard"
}

func (c Config) redisOptions(log *slog.Logger) redisjobs.Options {
	retries := c.Redis.Retries
	if retries == 0 {
		retries = -1 // redisjobs.Options reads 0 as "the default"
	}
	return redisjobs.Options{
		URL:            c.Redis.URL,
		Prefix:         c.Redis.Queue,
		Queue:          c.Redis.Queue,
		Retries:        retries,
		Lease:          c.Redis.Lease,
		PollInterval:   c.Redis.Poll,
		QueueSize:      c.Limits.QueueSize,
		SessionJobs:    c.Limits.SessionJobs,
		SessionWorkers: c.Limits.SessionWorkers,
		Concurrency:    c.Workers,
		Logger:         log,
	}
}

// managers maps the names callbacks give managers to managers; "" is the
// default.
type managers map[string]jobs.Manager

// aliases adds the names of the default manager (Manager(name, 0)).
func (c Config) aliases(ms managers) {
	for name, workers := range c.managers {
		if workers == 0 {
			ms[name] = ms[""]
		}
	}
}

// backgroundJobs returns the managers of background callbacks: in-process,
// or with -redis on Redis, with workers in this process too in role all.
// stop shuts down what it started.
func backgroundJobs(cfg Config, log *slog.Logger) (managers, func(context.Context) error, error) {
	if cfg.Redis.URL == "" {
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
	for name, opt := range cfg.queues(log) {
		m, stopOne, err := redisJobs(cfg.Role, opt)
		if err != nil {
			stop(context.Background())
			return nil, nil, err
		}
		ms[name], stops = m, append(stops, stopOne)
	}
	cfg.aliases(ms)
	return ms, stop, nil
}

// inProcessJobs is backgroundJobs without -redis.
func inProcessJobs(cfg Config) (managers, func(context.Context) error, error) {
	main := jobs.NewInProcess(append([]jobs.Option{jobs.Workers(cfg.Workers)}, cfg.Limits.jobOptions()...)...)
	ms := managers{"": main}
	all := []*jobs.InProcess{main}
	for name, workers := range cfg.managers {
		if workers > 0 {
			m := jobs.NewInProcess(append(cfg.Limits.jobOptions(), jobs.Workers(workers))...)
			ms[name], all = m, append(all, m)
		}
	}
	cfg.aliases(ms)
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
func (c Config) queues(log *slog.Logger) map[string]redisjobs.Options {
	main := c.redisOptions(log)
	out := map[string]redisjobs.Options{"": main}
	for name, workers := range c.managers {
		if workers == 0 {
			continue
		}
		opt := main
		opt.Prefix = c.Redis.Queue + ":" + name
		opt.Queue = opt.Prefix
		opt.Concurrency = workers
		out[name] = opt
	}
	return out
}

// redisJobs starts the web side of one queue, and in role all a worker of it
// too.
func redisJobs(role string, opt redisjobs.Options) (jobs.Manager, func(context.Context) error, error) {
	web, err := redisjobs.NewManager(opt)
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

func startWorker(opt redisjobs.Options) (*redisjobs.Worker, error) {
	w, err := redisjobs.NewWorker(opt)
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
// jobs get cfg.ShutdownGrace to finish before they are handed back to the queue.
func runWorker(ctx context.Context, cfg Config, log *slog.Logger, ready func(*Serving)) error {
	files, err := fileStore(cfg.Redis)
	if err != nil {
		return err
	}
	runtime.UseFiles(files) // the uploads pages sent to web processes
	var ws []*redisjobs.Worker
	for name, opt := range cfg.queues(log) {
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
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		shutdownWorkers(context.Background(), ws)
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	ready(&Serving{URL: "http://" + ln.Addr().String() + "/healthz"})

	<-ctx.Done()
	log.Info("worker shutting down", "grace", cfg.ShutdownGrace)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownGrace)
	defer cancel()
	return errors.Join(shutdownWorkers(shutdownCtx, ws), hs.Shutdown(context.Background()))
}

// fileStore keeps uploads and downloads: in this process's memory, or with
// -redis in Redis under the queue's prefix, where workers read them too.
func fileStore(r Redis) (server.FileStore, error) {
	if r.URL == "" {
		return memoryFiles(), nil
	}
	opt, err := redis.ParseURL(r.URL)
	if err != nil {
		return nil, fmt.Errorf("-redis %s: %w", r.URL, err)
	}
	return server.NewRedisFiles(redis.NewClient(opt), r.Queue, server.FilesOptions{}), nil
}

// memoryFiles is the process's one in-memory file store. Handlers open
// files from the process's store (runtime.UseFiles), so every server a
// process runs shares it; files are filed by session, so sharing is safe.
var memoryFiles = sync.OnceValue(func() server.FileStore {
	return server.NewMemoryFiles(server.FilesOptions{})
})

// shutdownWorkers shuts the workers down at once, not one after the other:
// each stops taking jobs first, so none takes new ones while another drains.
func shutdownWorkers(ctx context.Context, ws []*redisjobs.Worker) error {
	errs := make([]error, len(ws))
	var wg sync.WaitGroup
	for i, w := range ws {
		wg.Go(func() { errs[i] = w.Shutdown(ctx) })
	}
	wg.Wait()
	return errors.Join(errs...)
}
