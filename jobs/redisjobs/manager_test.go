package redisjobs_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/jobs/jobstest"
	"github.com/longcall/longcall/jobs/redisjobs"
	"github.com/longcall/longcall/jobs/redistest"
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// The Redis manager's tests run web-side managers and workers in this
// process, against a redis-server of their own: several managers stand for
// several web processes, several workers for several worker machines. The
// tests in cmd/server run them as separate processes.

// rig is a Redis with the managers and workers of one test.
type rig struct {
	t   *testing.T
	opt redisjobs.Options

	mu       sync.Mutex
	managers []*redisjobs.Manager
	workers  []*redisjobs.Worker
	subs     []submission // checked for a proper lifecycle at cleanup
}

func newRig(t *testing.T, tweak ...func(*redisjobs.Options)) *rig {
	opt := redisjobs.Options{
		URL:          redistest.Start(t),
		Queue:        "longcall",
		Lease:        time.Second, // lost workers are noticed within about a second
		PollInterval: 2 * time.Millisecond,
		Logger:       slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	for _, fn := range tweak {
		fn(&opt)
	}
	r := &rig{t: t, opt: opt}
	t.Cleanup(r.close)
	return r
}

// manager starts a web-side manager: another web process.
func (r *rig) manager() *redisjobs.Manager {
	r.t.Helper()
	m, err := redisjobs.NewManager(r.opt)
	if err != nil {
		r.t.Fatal(err)
	}
	r.mu.Lock()
	r.managers = append(r.managers, m)
	r.mu.Unlock()
	return m
}

// worker starts a worker: another worker process.
func (r *rig) worker(tweak ...func(*redisjobs.Options)) *redisjobs.Worker {
	r.t.Helper()
	opt := r.opt
	for _, fn := range tweak {
		fn(&opt)
	}
	w, err := redisjobs.NewWorker(opt)
	if err != nil {
		r.t.Fatal(err)
	}
	if err := w.Start(); err != nil {
		r.t.Fatal(err)
	}
	r.mu.Lock()
	r.workers = append(r.workers, w)
	r.mu.Unlock()
	return w
}

// inspector is asynq's own view of the queue.
func (r *rig) inspector() *asynq.Inspector {
	opt, err := asynq.ParseRedisURI(r.opt.URL)
	if err != nil {
		r.t.Fatal(err)
	}
	i := asynq.NewInspector(opt)
	r.t.Cleanup(func() { i.Close() })
	return i
}

func (r *rig) submit(m jobs.Manager, job jobs.Job) *jobstest.Recorder {
	r.t.Helper()
	rec := &jobstest.Recorder{}
	id, err := m.Submit(context.Background(), job, rec)
	if err != nil {
		r.t.Fatalf("Submit: %v", err)
	}
	if id != job.ID {
		r.t.Fatalf("Submit returned %s for a new job %s", id, job.ID)
	}
	r.mu.Lock()
	r.subs = append(r.subs, submission{job: job, rec: rec})
	r.mu.Unlock()
	return rec
}

func (r *rig) close() {
	shutdown := func(what string, s interface{ Shutdown(context.Context) error }) {
		ctx, cancel := context.WithTimeout(context.Background(), jobstest.WaitLimit)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			r.t.Errorf("%s shutdown: %v", what, err)
		}
	}
	for _, w := range r.workers {
		shutdown("worker", w)
	}
	for _, m := range r.managers {
		shutdown("manager", m)
	}
	for _, s := range r.subs {
		checkLifecycleRedis(r.t, s.job.ID, s.rec.Events())
	}
}

// checkLifecycleRedis is checkLifecycle for a job that may have been
// handed back or re-run: Queued may come again, each time before a Started.
func checkLifecycleRedis(t *testing.T, id jobs.ID, events []jobs.Event) {
	t.Helper()
	var once []jobs.Event
	for i, e := range events {
		if i > 0 && e.Kind == jobs.Queued {
			continue
		}
		if i > 0 && e.Kind == jobs.Started && len(once) > 1 && once[1].Kind == jobs.Started {
			continue
		}
		once = append(once, e)
	}
	checkLifecycle(t, id, once)
}

func TestRedisLifecycle(t *testing.T) {
	r := newRig(t)
	m := r.manager()
	r.worker()
	f := newFixture()
	f.handle(func(c *runtime.Call) error {
		n := f.in.Get(c)
		for i := 1; i <= 3; i++ {
			if err := c.SetProps(f.side.Is("step " + strconv.Itoa(i))); err != nil {
				return err
			}
		}
		if err := c.Progress(f.bar.Is(n)); err != nil {
			return err
		}
		f.out.Set(c, "got "+strconv.Itoa(n))
		return nil
	})
	rec := r.submit(m, f.job("", 21))
	res := rec.Result(t)
	if res.Status != protocol.StatusOK {
		t.Fatalf("result %+v", res)
	}
	wantValue(t, res.Props, f.out.PropID(), `"got 21"`)
	if got := rec.Kinds(); !jobstest.KindsEqual(got, jobs.Queued, jobs.Started, jobs.SetProps, jobs.SetProps, jobs.SetProps, jobs.Progress, jobs.Finished) {
		t.Fatalf("events %v", got)
	}
	for i, e := range rec.Events()[2:5] {
		wantValue(t, e.Props, f.side.PropID(), strconv.Quote("step "+strconv.Itoa(i+1)))
	}
	if m.Cancel(rec.Events()[0].Job) {
		t.Error("Cancel of a finished job reported true")
	}
}

func TestRedisErrorsAndPanicsAreResults(t *testing.T) {
	r := newRig(t)
	m := r.manager()
	r.worker()
	f := newFixture()
	f.handle(func(c *runtime.Call) error {
		if f.in.Get(c) == 1 {
			panic("boom")
		}
		return errors.New("no good")
	})
	if res := r.submit(m, f.job("", 1)).Result(t); res.Err == nil || res.Err.Code != protocol.CodePanic {
		t.Errorf("panic gave %+v", res)
	}
	if res := r.submit(m, f.job("", 2)).Result(t); res.Err == nil || res.Err.Code != protocol.CodeHandler {
		t.Errorf("error gave %+v", res)
	}
	unknown := f.job("", 3)
	unknown.Callback = "jobstest:nothing.here"
	if res := r.submit(m, unknown).Result(t); res.Err == nil || res.Err.Code != protocol.CodeUnknownCallback {
		t.Errorf("unknown callback gave %+v", res)
	}
}

// A page connected to one web process follows a job another web process
// submitted: attach mid-run replays where the job is, then streams; attach
// after the end replays the kept result; other sessions are refused.
func TestRedisAttachFromAnotherWebProcess(t *testing.T) {
	r := newRig(t)
	a, b := r.manager(), r.manager()
	r.worker()
	g := jobstest.NewGate()
	reported := make(chan struct{}, 1)
	var runs atomic.Int32
	f := newFixture()
	f.handle(stepper(f, g, reported, &runs))
	job := f.job("", 1)
	first := r.submit(a, job)
	jobstest.Recv(t, reported, "progress 1 and 2")
	jobstest.WaitUntil(t, "progress to reach web process a", func() bool { return len(first.Events()) >= 3 })

	onB := &jobstest.Recorder{}
	if err := b.Attach(context.Background(), job.ID, job.Session, onB); err != nil {
		t.Fatal(err)
	}
	if got := onB.Kinds(); !jobstest.KindsEqual(got, jobs.Queued, jobs.Started, jobs.Progress) {
		t.Fatalf("replay on b = %v, want queued, started, progress", got)
	}
	wantValue(t, onB.Events()[2].Props, f.bar.PropID(), "2")
	for name, attach := range map[string]func() error{
		"another session": func() error { return b.Attach(context.Background(), job.ID, "intruder", &jobstest.Recorder{}) },
		"an unknown job":  func() error { return b.Attach(context.Background(), jobs.NewID(), job.Session, &jobstest.Recorder{}) },
	} {
		if err := attach(); !errors.Is(err, jobs.ErrUnknownJob) {
			t.Errorf("attach from %s: %v, want ErrUnknownJob", name, err)
		}
	}

	g.Open()
	wantValue(t, onB.Result(t).Props, f.out.PropID(), `"done"`)
	if got := onB.Kinds(); !jobstest.KindsEqual(got, jobs.Queued, jobs.Started, jobs.Progress, jobs.Progress, jobs.Finished) {
		t.Fatalf("events on b = %v", got)
	}
	first.Result(t) // a's feed goes on too, until its session attaches elsewhere

	late := &jobstest.Recorder{}
	if err := r.manager().Attach(context.Background(), job.ID, job.Session, late); err != nil {
		t.Fatal(err)
	}
	if got := late.Kinds(); !jobstest.KindsEqual(got, jobs.Finished) {
		t.Fatalf("late attach = %v, want the kept result", got)
	}
	if n := runs.Load(); n != 1 {
		t.Fatalf("ran %d times", n)
	}
}

// A session that moved to another web process keeps its job when the first
// process's copy of the session expires and cancels it.
func TestRedisCancelFromAProcessTheSessionLeftIsRefused(t *testing.T) {
	r := newRig(t)
	a, b := r.manager(), r.manager()
	r.worker()
	g := jobstest.NewGate()
	started := make(chan context.Context, 1)
	f := newFixture()
	f.handle(blocking(f, g, started, nil))
	job := f.job("", 1)
	r.submit(a, job)
	jobstest.Recv(t, started, "the job to start")

	onB := &jobstest.Recorder{}
	if err := b.Attach(context.Background(), job.ID, job.Session, onB); err != nil {
		t.Fatal(err)
	}
	if a.Cancel(job.ID) {
		t.Fatal("web process a cancelled a job whose page has moved to b")
	}
	if !b.Cancel(job.ID) {
		t.Fatal("web process b could not cancel its page's job")
	}
	if res := onB.Result(t); res.Status != protocol.StatusCancelled {
		t.Fatalf("result %+v", res)
	}
	g.Open()
}

func TestRedisCancelRunningEndsItOnTheWorkerWithoutRetry(t *testing.T) {
	r := newRig(t)
	m := r.manager()
	r.worker()
	started := make(chan context.Context, 1)
	late := make(chan error, 1)
	g := jobstest.NewGate()
	f := newFixture()
	f.handle(blocking(f, g, started, late))
	job := f.job("", 1)
	rec := r.submit(m, job)
	ctx := jobstest.Recv(t, started, "the handler to start")

	if !m.Cancel(job.ID) {
		t.Fatal("Cancel of a running job reported false")
	}
	if res := rec.Result(t); res.Status != protocol.StatusCancelled {
		t.Fatalf("result %+v, want cancelled", res)
	}
	jobstest.Recv(t, ctx.Done(), "the handler's context to be cancelled")
	if cause := context.Cause(ctx); !errors.Is(cause, jobs.ErrCancelled) {
		t.Errorf("context cause %v, want ErrCancelled", cause)
	}
	if m.Cancel(job.ID) {
		t.Error("second Cancel reported true")
	}
	g.Open() // the handler ignored its context; its late report is refused
	if err := jobstest.Recv(t, late, "the late report"); err == nil {
		t.Error("Progress after cancel returned nil")
	}
	queueSettles(t, r.inspector(), r.opt)
}

func TestRedisCancelQueuedRemovesItsTask(t *testing.T) {
	r := newRig(t)
	m := r.manager()
	r.worker(func(o *redisjobs.Options) { o.Concurrency = 1 })
	g := jobstest.NewGate()
	started := make(chan context.Context, 1)
	first := newFixture()
	first.handle(blocking(first, g, started, nil))
	var ran atomic.Int32
	second := newFixture()
	second.handle(func(*runtime.Call) error { ran.Add(1); return nil })

	recA := r.submit(m, first.job("", 1))
	jobstest.Recv(t, started, "the first job to start")
	job := second.job("", 2)
	recB := r.submit(m, job)
	info, err := r.inspector().GetTaskInfo(r.opt.Queue, string(job.ID))
	if err != nil || info.State != asynq.TaskStatePending {
		t.Fatalf("queued job's task: %+v, %v; want pending, found by the job id", info, err)
	}
	if !m.Cancel(job.ID) {
		t.Fatal("Cancel of a queued job reported false")
	}
	if res := recB.Result(t); res.Status != protocol.StatusCancelled {
		t.Fatalf("result %+v", res)
	}
	if _, err := r.inspector().GetTaskInfo(r.opt.Queue, string(job.ID)); !errors.Is(err, asynq.ErrTaskNotFound) {
		t.Fatalf("the cancelled job's task is still there: %v", err)
	}
	g.Open()
	recA.Result(t)
	queueSettles(t, r.inspector(), r.opt)
	if n := ran.Load(); n != 0 {
		t.Fatalf("the cancelled queued job ran %d times", n)
	}
}

func TestRedisSupersedeAcrossWebProcesses(t *testing.T) {
	r := newRig(t)
	a, b := r.manager(), r.manager()
	r.worker()
	g := jobstest.NewGate()
	started := make(chan context.Context, 2)
	f := newFixture()
	f.handle(func(c *runtime.Call) error {
		started <- c.Context()
		if f.in.Get(c) == 1 {
			<-c.Context().Done()
			return c.Context().Err()
		}
		<-g.C
		f.out.Set(c, "second")
		return nil
	})
	old := r.submit(a, f.job("session\x00callback", 1))
	ctx := jobstest.Recv(t, started, "the first job")
	newer := r.submit(b, f.job("session\x00callback", 2))
	if res := old.Result(t); res.Status != protocol.StatusCancelled {
		t.Fatalf("superseded job: %+v", res)
	}
	jobstest.Recv(t, ctx.Done(), "the superseded handler's context")
	if cause := context.Cause(ctx); !errors.Is(cause, jobs.ErrSuperseded) {
		t.Errorf("cause %v, want ErrSuperseded", cause)
	}
	g.Open()
	wantValue(t, newer.Result(t).Props, f.out.PropID(), `"second"`)
}

func TestRedisIdempotentResubmissionJoinsTheFirstJob(t *testing.T) {
	r := newRig(t)
	a, b := r.manager(), r.manager()
	r.worker()
	g := jobstest.NewGate()
	reported := make(chan struct{}, 2)
	var runs atomic.Int32
	f := newFixture()
	f.handle(stepper(f, g, reported, &runs))
	first := f.job("", 1)
	first.Idempotency = "call-1"
	rec := r.submit(a, first)
	jobstest.Recv(t, reported, "the first run")

	again := f.job("", 1)
	again.Idempotency = "call-1"
	joined := &jobstest.Recorder{}
	if id, err := b.Submit(context.Background(), again, joined); err != nil || id != first.ID {
		t.Fatalf("resubmission on another web process = %s, %v; want %s", id, err, first.ID)
	}
	g.Open()
	wantValue(t, joined.Result(t).Props, f.out.PropID(), `"done"`)
	rec.Result(t)
	late := &jobstest.Recorder{}
	if id, err := b.Submit(context.Background(), again, late); err != nil || id != first.ID {
		t.Fatalf("late resubmission = %s, %v", id, err)
	}
	if got := late.Kinds(); !jobstest.KindsEqual(got, jobs.Finished) {
		t.Fatalf("late resubmission got %v, want the kept result", got)
	}
	if n := runs.Load(); n != 1 {
		t.Fatalf("ran %d times, want 1", n)
	}
}

func TestRedisCacheJoinsInFlightAndAnswersHits(t *testing.T) {
	r := newRig(t)
	a, b := r.manager(), r.manager()
	r.worker()
	g := jobstest.NewGate()
	var runs atomic.Int32
	started := make(chan struct{}, 2)
	f := newFixture()
	f.handle(func(c *runtime.Call) error {
		runs.Add(1)
		started <- struct{}{}
		<-g.C
		f.out.Set(c, "computed")
		return nil
	})
	alice := r.submit(a, shared(f, "alice", "k1", 1))
	jobstest.Recv(t, started, "the run")
	bob := &jobstest.Recorder{}
	id, err := b.Submit(context.Background(), shared(f, "bob", "k1", 1), bob)
	if err != nil || id != alice.Events()[0].Job {
		t.Fatalf("bob's submission = %s, %v; want to join %s", id, err, alice.Events()[0].Job)
	}
	g.Open()
	for name, rec := range map[string]*jobstest.Recorder{"alice": alice, "bob": bob} {
		if res := rec.Result(t); res.Status != protocol.StatusOK {
			t.Fatalf("%s: %+v", name, res)
		}
	}
	if err := r.manager().Attach(context.Background(), id, "bob", &jobstest.Recorder{}); err != nil {
		t.Fatalf("bob re-attaching: %v", err)
	}
	carol := &jobstest.Recorder{}
	if _, err := a.Submit(context.Background(), shared(f, "carol", "k1", 1), carol); err != nil {
		t.Fatal(err)
	}
	if got := carol.Kinds(); !jobstest.KindsEqual(got, jobs.Queued, jobs.Finished) {
		t.Fatalf("cache hit delivered %v", got)
	}
	wantValue(t, carol.Result(t).Props, f.out.PropID(), `"computed"`)
	if n := runs.Load(); n != 1 {
		t.Fatalf("ran %d times for one key", n)
	}
}

func TestRedisTimeoutEndsAJobThatIgnoresItsContext(t *testing.T) {
	r := newRig(t)
	m := r.manager()
	r.worker()
	g := jobstest.NewGate()
	defer g.Open()
	f := newFixture()
	f.handle(func(c *runtime.Call) error { <-g.C; return nil }, runtime.Timeout(50*time.Millisecond))
	res := r.submit(m, f.job("", 1)).Result(t)
	if res.Err == nil || res.Err.Code != protocol.CodeTimeout {
		t.Fatalf("result %+v, want timeout", res)
	}
}

// A worker cut off from Redis (as good as killed, for Redis) loses its job
// once its lease lapses: the job runs again on another worker.
func TestRedisLostWorkerJobRunsAgainElsewhere(t *testing.T) {
	r := newRig(t)
	m := r.manager()
	cut := newCutProxy(t, r.opt.URL)
	lost := r.worker(func(o *redisjobs.Options) { o.URL = cut.url })
	defer lost.Shutdown(context.Background())

	var runs atomic.Int32
	first := make(chan struct{})
	f := newFixture()
	f.handle(func(c *runtime.Call) error {
		if runs.Add(1) == 1 {
			close(first)
			<-c.Context().Done() // the lost worker never finishes
			return nil
		}
		f.out.Set(c, "second run")
		return nil
	})
	rec := r.submit(m, f.job("", 1))
	jobstest.Recv(t, first, "the first run")
	cut.cut()
	r.worker() // a healthy worker

	res := rec.Result(t)
	wantValue(t, res.Props, f.out.PropID(), `"second run"`)
	if got := rec.Kinds(); !jobstest.KindsEqual(got, jobs.Queued, jobs.Started, jobs.Queued, jobs.Started, jobs.Finished) {
		t.Fatalf("events %v, want queued, started, queued again, started, finished", got)
	}
}

func TestRedisLostWorkerWithoutRetriesEndsTheJob(t *testing.T) {
	r := newRig(t, func(o *redisjobs.Options) { o.Retries = -1 })
	m := r.manager()
	cut := newCutProxy(t, r.opt.URL)
	lost := r.worker(func(o *redisjobs.Options) { o.URL = cut.url })
	defer lost.Shutdown(context.Background())
	started := make(chan struct{})
	f := newFixture()
	f.handle(func(c *runtime.Call) error { close(started); <-c.Context().Done(); return nil })
	rec := r.submit(m, f.job("", 1))
	jobstest.Recv(t, started, "the run")
	cut.cut()
	res := rec.Result(t)
	if res.Err == nil || res.Err.Code != protocol.CodeWorkerLost {
		t.Fatalf("result %+v, want the lost-worker error", res)
	}
	t.Logf("the page is told: %s", res.Err.Message)
}

// A worker shutting down hands its running jobs back: they run again on
// another worker, and the page sees them queued again, not failed.
func TestRedisWorkerShutdownHandsJobsBack(t *testing.T) {
	r := newRig(t)
	m := r.manager()
	leaving := r.worker()
	var runs atomic.Int32
	first := make(chan struct{})
	f := newFixture()
	f.handle(func(c *runtime.Call) error {
		if runs.Add(1) == 1 {
			close(first)
			<-c.Context().Done()
			return c.Context().Err()
		}
		f.out.Set(c, "finished elsewhere")
		return nil
	})
	rec := r.submit(m, f.job("", 1))
	jobstest.Recv(t, first, "the first run")
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // no grace: hand back at once
	if err := leaving.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	r.worker()
	wantValue(t, rec.Result(t).Props, f.out.PropID(), `"finished elsewhere"`)
}

// queueSettles waits until asynq has no task left in any state but
// completed: nothing is retried or archived after a cancel.
func queueSettles(t *testing.T, i *asynq.Inspector, opt redisjobs.Options) {
	t.Helper()
	var q *asynq.QueueInfo
	jobstest.WaitUntil(t, "the asynq queue to empty", func() bool {
		var err error
		q, err = i.GetQueueInfo(opt.Queue)
		return err == nil && q.Active == 0 && q.Pending == 0
	})
	if q.Retry != 0 || q.Archived != 0 || q.Scheduled != 0 {
		t.Fatalf("asynq queue after the jobs: %d to retry, %d archived, %d scheduled; want none", q.Retry, q.Archived, q.Scheduled)
	}
}

// Events published while a web process's subscription is down are read from
// the job's stream when it comes back.
func TestRedisEventsSurviveADroppedSubscription(t *testing.T) {
	r := newRig(t)
	m := r.manager()
	r.worker()
	g := jobstest.NewGate()
	f := newFixture()
	f.handle(func(c *runtime.Call) error {
		c.Progress(f.bar.Is(1))
		<-g.C
		c.Progress(f.bar.Is(2))
		f.out.Set(c, "done")
		return nil
	})
	rec := r.submit(m, f.job("", 1))
	jobstest.WaitUntil(t, "the first progress", func() bool { return len(rec.Events()) == 3 })

	ropt, err := redis.ParseURL(r.opt.URL)
	if err != nil {
		t.Fatal(err)
	}
	admin := redis.NewClient(ropt)
	defer admin.Close()
	if err := admin.Do(context.Background(), "CLIENT", "KILL", "TYPE", "pubsub").Err(); err != nil {
		t.Fatal(err)
	}
	g.Open()
	wantValue(t, rec.Result(t).Props, f.out.PropID(), `"done"`)
	if got := rec.Kinds(); !jobstest.KindsEqual(got, jobs.Queued, jobs.Started, jobs.Progress, jobs.Progress, jobs.Finished) {
		t.Fatalf("events %v", got)
	}
}

// An operator cancelling a running task with asynq's tools (asynq task
// cancel, asynqmon) cancels the job: its page gets a cancelled result.
func TestRedisCancelFromAsynqTools(t *testing.T) {
	r := newRig(t)
	m := r.manager()
	r.worker()
	started := make(chan context.Context, 1)
	f := newFixture()
	f.handle(func(c *runtime.Call) error {
		started <- c.Context()
		<-c.Context().Done()
		return c.Context().Err()
	})
	job := f.job("", 1)
	rec := r.submit(m, job)
	jobstest.Recv(t, started, "the run")
	if err := r.inspector().CancelProcessing(string(job.ID)); err != nil {
		t.Fatal(err)
	}
	if res := rec.Result(t); res.Status != protocol.StatusCancelled {
		t.Fatalf("result %+v, want cancelled", res)
	}
}
