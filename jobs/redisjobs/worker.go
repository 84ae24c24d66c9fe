package redisjobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/jobs/redisjobs/internal/rdb"
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// Worker runs the jobs that web processes (Managers) queue: an asynq
// server whose handler looks the job's callback up in this process's
// registry (the same binary registers the same callbacks everywhere) and
// invokes it, writing its events to Redis.
//
// A job's outcome is longcall's, never asynq's: the handler returns nil to
// asynq for results, errors, cancels and timeouts alike, so asynq does not
// retry a job on its own. A worker that is lost is noticed by its lapsed
// leases (see Options.Lease and Retries); one that shuts down hands its
// unfinished jobs back to the queue.
type Worker struct {
	opt     Options
	store   *rdb.RDB
	srv     *asynq.Server
	id      string
	log     *slog.Logger
	cancels *redis.PubSub // the cancels channel, read by listen

	mu       sync.Mutex
	runs     map[runKey]*run // taken here and not yet returned
	changed  chan struct{}
	started  bool
	closed   bool
	stop     chan struct{} // ends the lease and cancel loops
	loopDone []chan struct{}
	reaper   *reaper
	renewed  time.Time // the last successful renewal; the renew loop's own
}

// Context causes of runs stopped by their worker.
var (
	errHandedBack = errors.New("jobs: the worker is shutting down; the job was handed to another worker")
	errLeaseLost  = errors.New("jobs: the worker lost the job's lease (stalled or cut off from Redis); the job is another run's now")
)

// NewWorker connects to Redis and prepares a worker; Start starts it.
func NewWorker(opt Options) (*Worker, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), redisTimeout)
	defer cancel()
	s, err := opt.open(ctx)
	if err != nil {
		return nil, err
	}
	w := &Worker{
		opt:     opt,
		store:   s,
		id:      workerID(),
		log:     opt.Logger,
		runs:    map[runKey]*run{},
		changed: make(chan struct{}, 1),
		stop:    make(chan struct{}),
	}
	w.srv = asynq.NewServerFromRedisClient(s.Client(), asynq.Config{
		Concurrency:              opt.Concurrency,
		Queues:                   map[string]int{opt.Queue: 1},
		TaskCheckInterval:        opt.PollInterval,
		DelayedTaskCheckInterval: putOffDelay, // jobs put off, and retries of tasks that could not start
		RetryDelayFunc:           func(n int, _ error, _ *asynq.Task) time.Duration { return time.Second << min(n, 4) },
		ShutdownTimeout:          2 * time.Second, // Shutdown has drained and handed back already
		Logger:                   asynqLogger{opt.Logger},
		LogLevel:                 asynqLevel(opt.Logger),
	})
	return w, nil
}

// ID returns the worker's name in job records and logs: host:pid:random.
func (w *Worker) ID() string { return w.id }

// Ping checks that the worker reaches Redis, for health checks.
func (w *Worker) Ping(ctx context.Context) error {
	if err := w.store.Ping(ctx); err != nil {
		return fmt.Errorf("jobs: worker %s cannot reach Redis: %w", w.id, err)
	}
	return nil
}

// Start starts taking jobs, renewing their leases, recovering lost workers'
// jobs and listening for cancels.
func (w *Worker) Start() error {
	ctx, cancel := context.WithTimeout(context.Background(), redisTimeout)
	defer cancel()
	ps, err := w.store.SubscribeCancels(ctx)
	if err != nil {
		return fmt.Errorf("jobs: worker: subscribe to cancels: %w", err)
	}
	if err := w.store.Register(ctx, w.id, w.opt.Concurrency); err != nil {
		ps.Close()
		return err
	}
	if err := w.srv.Start(asynq.HandlerFunc(w.process)); err != nil {
		ps.Close()
		return fmt.Errorf("jobs: worker: start asynq: %w", err)
	}
	w.mu.Lock()
	w.started, w.cancels = true, ps
	w.mu.Unlock()
	w.reaper = startReaper(w.store, w.opt)
	w.goLoop(func(done chan struct{}) {
		loop(leaseEvery(w.opt.Lease), w.stop, done, w.renew)
	})
	w.goLoop(func(done chan struct{}) {
		defer close(done)
		w.listen(ps)
	})
	return nil
}

func (w *Worker) goLoop(fn func(done chan struct{})) {
	done := make(chan struct{})
	w.loopDone = append(w.loopDone, done)
	go fn(done)
}

// process is the asynq handler: one run of a job.
func (w *Worker) process(ctx context.Context, t *asynq.Task) error {
	p, err := rdb.DecodeTask(t.Payload())
	if err != nil {
		return fmt.Errorf("jobs: task %q: %w: %w", t.Type(), err, asynq.SkipRetry)
	}
	r := newRun(ctx, w.store, w.opt, p)
	r.onLost = func(error) { r.stop(jobs.ErrJobEnded) }
	switch w.add(r) {
	case closing:
		return fmt.Errorf("jobs: worker is shutting down") // asynq retries the task elsewhere
	case atShare:
		w.putOff(t.Type(), p)
		return nil
	}
	defer w.remove(r)
	callback, req, ok, err := w.store.Start(ctx, p.Job, p.Run, w.id)
	if err != nil {
		return err // not started: asynq retries the task (taskRetries)
	}
	if !ok {
		return nil // cancelled or superseded while queued, or a stale run
	}
	r.callback = callback
	r.leased.Store(true) // after callback: renew and handback read it once leased
	if errors.Is(context.Cause(r.ctx), errHandedBack) {
		w.handback(r) // the worker began shutting down while the run started
		return nil
	}
	go r.pump()
	if r.ctx.Err() != nil {
		// Cancelled while starting: by a web process (the run is stopped
		// and finish does nothing), or by asynq (an operator's cancel).
		r.finish(cancelled(), nil)
	} else {
		w.invoke(r, req)
	}
	<-r.pumped
	return nil
}

// invoke runs the handler and queues its result, within the callback's
// timeout. A cancelled or timed-out run has already queued its own end, and
// the late result is dropped.
func (w *Worker) invoke(r *run, req runtime.Request) {
	cb, ok := runtime.Lookup(r.callback)
	if !ok {
		r.finish(errorResult(protocol.CodeUnknownCallback, fmt.Sprintf("no callback %q is registered in worker %s; is it older than the web process?", r.callback, w.id)), nil)
		return
	}
	if d := firstSet(cb.Spec().Timeout, w.opt.Timeout); d > 0 {
		timer := time.AfterFunc(d, func() {
			r.finish(errorResult(protocol.CodeTimeout, fmt.Sprintf("callback %s timed out after %s", cb.ID(), d)), context.DeadlineExceeded)
		})
		defer timer.Stop()
	}
	res := cb.Invoke(r.ctx, req, r)
	if res.Stack != nil {
		w.log.Error("jobs: callback panicked", "job", r.job, "callback", r.callback, "err", res.Err.Message, "stack", string(res.Stack))
	}
	r.finish(res, nil)
}

// runKey names a run: a job may have two on one worker, a stale task of an
// older run (asynq recovers its own orphaned tasks, late) beside the
// current one, and neither may stand in for the other.
type runKey struct {
	job jobs.ID
	n   int64
}

func (r *run) key() runKey { return runKey{r.job, r.n} }

// admission is what add made of a run.
type admission int

const (
	added   admission = iota
	closing           // the worker is shutting down
	atShare           // the run's session holds its share of the slots
)

// add registers a run, unless the worker is shutting down or the run's
// session holds SessionWorkers of its slots: runs of the session, those
// whose job has ended but whose handler has not returned included.
func (w *Worker) add(r *run) admission {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return closing
	}
	if r.session != "" && w.heldLocked(r.session) >= w.opt.SessionWorkers {
		return atShare
	}
	w.runs[r.key()] = r
	return added
}

func (w *Worker) heldLocked(session string) int {
	n := 0
	for _, r := range w.runs {
		if r.session == session {
			n++
		}
	}
	return n
}

// putOffDelay is how long a job put off waits before a worker may take it
// again; a session at its share is not polled for in a tight loop.
const putOffDelay = 250 * time.Millisecond

// putOff sends the task back to the queue, behind other sessions' jobs, as
// the job's next run: its session holds its share of this worker's slots.
func (w *Worker) putOff(callback string, t rdb.Task) {
	ctx, cancel := context.WithTimeout(context.Background(), redisTimeout)
	defer cancel()
	next, ok, err := w.store.Defer(ctx, t.Job, t.Run)
	if err != nil || !ok {
		if err != nil {
			w.log.Warn("jobs: cannot put a job off; it is not run", "job", t.Job, "err", err)
		}
		return // ended meanwhile, or a stale task
	}
	if err := w.store.Enqueue(ctx, callback, rdb.Task{Job: t.Job, Run: next, Session: t.Session}, putOffDelay); err != nil {
		w.log.Error("jobs: cannot re-queue a job put off; ending it", "job", t.Job, "err", err)
		w.store.Cancel(ctx, t.Job, errorResult(protocol.CodeInternal, "the job could not be queued again"), jobs.ErrClosed, nil)
	}
}

func (w *Worker) remove(r *run) {
	w.mu.Lock()
	if w.runs[r.key()] == r {
		delete(w.runs, r.key())
	}
	w.mu.Unlock()
	r.cancel(context.Canceled)
	select {
	case w.changed <- struct{}{}:
	default:
	}
}

func (w *Worker) running() []*run {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]*run, 0, len(w.runs))
	for _, r := range w.runs {
		out = append(out, r)
	}
	return out
}

// renew pushes back the leases of this worker's jobs, and its mark as a
// live worker that the queue's estimates count. A run whose lease was
// taken (the worker stalled or was cut off from Redis for longer than the
// lease) is stopped: its job is another run's now, and it must not go on
// behind the back of the one that replaced it.
func (w *Worker) renew(ctx context.Context) {
	if err := w.store.Register(ctx, w.id, w.opt.Concurrency); err != nil {
		w.log.Warn("jobs: cannot renew the worker's mark; queue estimates leave it out meanwhile", "err", err)
	}
	byRun := map[rdb.Run]*run{}
	for _, r := range w.running() {
		if r.leased.Load() {
			byRun[rdb.Run{Job: r.job, N: r.n}] = r
		}
	}
	if len(byRun) == 0 {
		w.renewed = time.Now()
		return
	}
	runs := slices.Collect(maps.Keys(byRun))
	gone, err := w.store.Renew(ctx, runs)
	if err != nil {
		w.log.Warn("jobs: cannot renew job leases", "jobs", len(runs), "err", err)
		if time.Since(w.renewed) > w.opt.Lease {
			gone = runs
		}
	} else {
		w.renewed = time.Now()
	}
	for _, lost := range gone {
		w.log.Warn("jobs: this worker lost a job's lease; stopping its run", "job", lost.Job, "run", lost.N)
		byRun[lost].stop(errLeaseLost)
	}
}

// listen stops runs whose job was cancelled or superseded by a web process.
func (w *Worker) listen(ps *redis.PubSub) {
	for m := range ps.Channel(redis.WithChannelHealthCheckInterval(time.Second)) {
		id, cause, _ := strings.Cut(m.Payload, " ")
		for _, r := range w.running() {
			if r.job == jobs.ID(id) {
				r.stop(rdb.CauseOf(cause))
			}
		}
	}
}

// Shutdown stops taking jobs and lets running ones finish until ctx is done;
// those still running then are handed back to the queue, to run again from
// the start on another worker. Pages see them queued again, not failed.
func (w *Worker) Shutdown(ctx context.Context) error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil
	}
	w.closed = true
	started := w.started
	w.mu.Unlock()
	if started {
		w.srv.Stop()
		w.retire()
		w.drain(ctx)
		w.srv.Shutdown()
		close(w.stop)
		w.reaper.close()
		w.cancels.Close()
		for _, done := range w.loopDone {
			<-done
		}
	}
	return w.store.Close()
}

// drain waits for the runs to return until ctx is done, then hands back
// the rest.
func (w *Worker) drain(ctx context.Context) {
	for len(w.running()) > 0 {
		select {
		case <-w.changed:
		case <-ctx.Done():
			for _, r := range w.running() {
				if r.leased.Load() { // a run not yet started has nothing to hand back
					w.handback(r)
				} else {
					r.stop(errHandedBack)
				}
			}
			return
		}
	}
}

// retire takes the worker out of the queue's estimates: it takes no jobs.
func (w *Worker) retire() {
	ctx, cancel := context.WithTimeout(context.Background(), redisTimeout)
	defer cancel()
	if err := w.store.Retire(ctx, w.id, w.opt.Concurrency); err != nil {
		w.log.Warn("jobs: cannot take the worker out of queue estimates; its mark lapses in a lease", "err", err)
	}
}

// handback returns a run's job to the queue as its next run. The handler's
// context is cancelled; anything it still reports is refused.
func (w *Worker) handback(r *run) {
	r.stop(errHandedBack)
	ctx, cancel := context.WithTimeout(context.Background(), redisTimeout)
	defer cancel()
	next, ok, err := w.store.Handback(ctx, r.job, r.n)
	if err != nil || !ok {
		if err != nil {
			w.log.Warn("jobs: cannot hand a job back; its lease will lapse and it is recovered then", "job", r.job, "err", err)
		}
		return
	}
	if err := w.store.Enqueue(ctx, r.callback, rdb.Task{Job: r.job, Run: next, Session: r.session}, 0); err != nil {
		w.log.Error("jobs: cannot re-queue a handed-back job; ending it", "job", r.job, "err", err)
		w.store.Cancel(ctx, r.job, errorResult(protocol.CodeInternal, "the worker shut down and the job could not be queued again"), jobs.ErrClosed, nil)
		return
	}
	w.log.Info("jobs: handed a running job back to the queue", "job", r.job, "run", next)
}

func workerID() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), jobs.NewToken()[:4])
}
