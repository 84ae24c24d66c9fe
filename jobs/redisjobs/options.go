package redisjobs

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/longcall/longcall/jobs/redisjobs/internal/rdb"
)

// Options configures the Redis manager (NewManager, the web side) and its
// workers (NewWorker). Web processes and workers of one app must agree on
// URL, Prefix and Queue; the other fields have defaults, used when left zero.
type Options struct {
	// URL locates Redis: redis://[[user]:password@]host[:port][/db], or
	// rediss:// for TLS, as REDIS_URL does for Dash's Celery manager.
	URL string
	// Prefix starts every key and channel longcall uses ("longcall"); apps
	// sharing one Redis need different prefixes and queues.
	Prefix string
	// Queue is the asynq queue jobs go through ("longcall"). asynq's own
	// tools (asynq CLI, asynqmon) show it.
	Queue string

	// ResultTTL is how long a finished job's result is kept for a page that
	// re-attaches after a reload, a reconnect or a web restart (10 min).
	ResultTTL time.Duration
	// CacheTTL is how long a CacheBy result is kept when its callback sets
	// no Expire (1 h).
	CacheTTL time.Duration
	// JobTTL bounds how long an unfinished job's record lives (24 h), so
	// that nothing in Redis outlives a lost job for ever. It is also the
	// longest a callback without a Timeout may run.
	JobTTL time.Duration
	// Timeout bounds jobs whose callback declares no Timeout (no bound but
	// JobTTL).
	Timeout time.Duration
	// Retries is how many times a job runs again, on any worker, after the
	// worker running it was lost: killed, crashed, or cut off from Redis
	// (default 1; -1 means never). After the last, the page gets an error.
	// A cancelled, superseded, failed or timed-out job never runs again.
	Retries int
	// Lease is how long a running job's worker may go silent before the job
	// counts as lost (5 s). Workers renew their leases every Lease/5, and
	// every process checks for lapsed ones as often.
	//
	// Jobs run at least once: a worker stalled longer than Lease (a long GC
	// pause, a frozen VM, Redis paused or failing over) loses its runs to
	// re-runs, and its handlers may still be going when those start. Once a
	// job is another run's, the stale run can no longer write to it: its
	// reports are refused and its context is cancelled at its next renewal.
	// A shorter lease notices lost workers sooner and re-runs more jobs
	// after short stalls; set Retries to -1 where a second run must not
	// happen.
	Lease time.Duration

	// QueueSize bounds the jobs waiting in the queue, over the whole
	// deployment (4096; less than zero: no bound). Beyond it Submit returns
	// jobs.ErrBusy and the page is answered busy. Web side only.
	QueueSize int
	// SessionJobs bounds the unfinished jobs of one session, counted in
	// Redis over every web process, so that a page cannot pass the bound by
	// reconnecting elsewhere (16; less than zero: no bound). A new job does
	// not count the one it supersedes. Beyond it Submit returns
	// ErrSessionJobs, a jobs.ErrBusy. Web side only.
	SessionJobs int

	// Concurrency is how many jobs one worker runs at once (128, suited to
	// sleeping or I/O-bound handlers). Worker side only.
	Concurrency int
	// SessionWorkers bounds the slots of one worker that one session's
	// handlers hold at once, those running on after their job ended (they
	// ignore their context) included: the worker puts the session's other
	// jobs off, behind other sessions' jobs (Concurrency/8, at least 4 or
	// Concurrency when less). As the in-process manager's
	// jobs.SessionWorkers. Worker side only.
	SessionWorkers int
	// PollInterval is how often an idle worker asks Redis for a job (5 ms).
	// asynq polls rather than blocks, and its default of 1 s adds about
	// 0.6 s to every job. Worker side only.
	PollInterval time.Duration
	// ProgressInterval paces a running job's progress writes to Redis (10
	// ms): faster reports are coalesced, the latest value of each prop
	// wins. set_props and results are never coalesced or held back.
	// Worker side only.
	ProgressInterval time.Duration

	// QueuePlaceEvery paces the places in the queue a waiting job hears when
	// its page shows them (Job.Queued): at most one per QueuePlaceEvery per
	// job, the latest winning (250 ms; less than zero: every move). Web side
	// only.
	QueuePlaceEvery time.Duration

	// Logger receives the manager's and asynq's logs (slog.Default()).
	Logger *slog.Logger
}

func (o Options) withDefaults() (Options, error) {
	if o.URL == "" {
		return o, errors.New("jobs: Options.URL is empty: give the Redis URL (redis://host:6379/0)")
	}
	o.Prefix = orString(o.Prefix, "longcall")
	o.Queue = orString(o.Queue, "longcall")
	o.ResultTTL = orDuration(o.ResultTTL, 10*time.Minute)
	o.CacheTTL = orDuration(o.CacheTTL, time.Hour)
	o.JobTTL = orDuration(o.JobTTL, 24*time.Hour)
	o.Lease = orDuration(o.Lease, 5*time.Second)
	o.PollInterval = orDuration(o.PollInterval, 5*time.Millisecond)
	o.ProgressInterval = orDuration(o.ProgressInterval, 10*time.Millisecond)
	if o.QueuePlaceEvery == 0 {
		o.QueuePlaceEvery = 250 * time.Millisecond
	}
	switch {
	case o.Retries == 0:
		o.Retries = 1
	case o.Retries < 0:
		o.Retries = 0
	}
	o.QueueSize = bound(o.QueueSize, 4096)
	o.SessionJobs = bound(o.SessionJobs, 16)
	if o.Concurrency <= 0 {
		o.Concurrency = 128
	}
	if o.SessionWorkers <= 0 {
		o.SessionWorkers = max(o.Concurrency/8, min(o.Concurrency, 4))
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o, nil
}

// open connects to Redis and loads the scripts.
func (o Options) open(ctx context.Context) (*rdb.RDB, error) {
	return rdb.Open(ctx, o.URL, rdb.Config{
		Prefix: o.Prefix, Queue: o.Queue,
		ResultTTL: o.ResultTTL, CacheTTL: o.CacheTTL, JobTTL: o.JobTTL, Lease: o.Lease,
		Retries: o.Retries, QueueSize: o.QueueSize, SessionJobs: o.SessionJobs,
	})
}

func orString(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func orDuration(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// bound reads a bound's option: zero is the default, less than zero none (0
// for the scripts).
func bound(n, def int) int {
	switch {
	case n == 0:
		return def
	case n < 0:
		return 0
	}
	return n
}
