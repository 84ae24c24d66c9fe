package jobs_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/jobs/jobstest"
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// The jobs tests register their callbacks on one dashboard. Component ids are
// made unique per callback so that the tests can run with -count=N in one
// process without declaring an output twice.
var (
	dash = runtime.NewDashboard("jobstest")
	seq  atomic.Int64
)

func uniq(base string) string { return fmt.Sprintf("%s-%d", base, seq.Add(1)) }

// harness owns a manager for one test. At cleanup it opens every gate, shuts
// the manager down, waiting for every handler to return, and then checks
// that each accepted job got exactly one Finished event, last, and each
// refused job got nothing.
type harness struct {
	t *testing.T
	m *jobs.InProcess

	mu    sync.Mutex
	gates []*jobstest.Gate
	subs  []submission
}

type submission struct {
	job jobs.Job
	rec *jobstest.Recorder
	err error
}

func newHarness(t *testing.T, opts ...jobs.Option) *harness {
	h := &harness{t: t, m: jobs.NewInProcess(opts...)}
	t.Cleanup(h.finish)
	return h
}

func (h *harness) gate() *jobstest.Gate {
	g := jobstest.NewGate()
	h.mu.Lock()
	h.gates = append(h.gates, g)
	h.mu.Unlock()
	return g
}

func (h *harness) submit(job jobs.Job) (*jobstest.Recorder, error) {
	rec := &jobstest.Recorder{}
	id, err := h.m.Submit(context.Background(), job, rec)
	if err == nil && id != job.ID {
		h.t.Errorf("Submit returned id %s for a new job %s", id, job.ID)
	}
	h.mu.Lock()
	h.subs = append(h.subs, submission{job: job, rec: rec, err: err})
	h.mu.Unlock()
	return rec, err
}

func (h *harness) mustSubmit(job jobs.Job) *jobstest.Recorder {
	h.t.Helper()
	rec, err := h.submit(job)
	if err != nil {
		h.t.Fatalf("Submit: %v", err)
	}
	return rec
}

// drain opens every gate and shuts the manager down, waiting for all
// handlers to return, so that any late result has been processed.
func (h *harness) drain() {
	h.t.Helper()
	h.mu.Lock()
	for _, g := range h.gates {
		g.Open()
	}
	h.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), jobstest.WaitLimit)
	defer cancel()
	if err := h.m.Shutdown(ctx); err != nil {
		h.t.Errorf("Shutdown after opening every gate: %v", err)
	}
}

func (h *harness) finish() {
	h.drain()
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, s := range h.subs {
		events := s.rec.Events()
		if s.err != nil {
			if len(events) != 0 {
				h.t.Errorf("job %s was refused (%v) but its sink received %d events", s.job.ID, s.err, len(events))
			}
			continue
		}
		checkLifecycle(h.t, s.job.ID, events)
	}
}

// checkLifecycle checks the events of one accepted job: Queued first, at most
// one Started right after it, exactly one Finished, last, with a Result.
func checkLifecycle(t *testing.T, id jobs.ID, events []jobs.Event) {
	t.Helper()
	if len(events) == 0 {
		t.Errorf("job %s: no events", id)
		return
	}
	if events[0].Kind != jobs.Queued {
		t.Errorf("job %s: first event is %s, want queued", id, events[0].Kind)
	}
	finished, started := 0, 0
	startedAt := -1
	for i, e := range events {
		if e.Job != id {
			t.Errorf("job %s: event %d (%s) is for job %s", id, i, e.Kind, e.Job)
		}
		switch e.Kind {
		case jobs.Finished:
			finished++
			if e.Result == nil {
				t.Errorf("job %s: Finished without a Result", id)
			}
		case jobs.Started:
			started++
			startedAt = i
		case jobs.Queued:
			// Queued repeats as the job moves up the queue, never after it started.
			if startedAt >= 0 {
				t.Errorf("job %s: Queued at position %d, after Started", id, i)
			}
		}
	}
	if finished != 1 {
		t.Errorf("job %s: %d Finished events, want exactly 1 (events %v)", id, finished, kindsOf(events))
	}
	if started > 1 {
		t.Errorf("job %s: %d Started events", id, started)
	}
	if last := events[len(events)-1]; last.Kind != jobs.Finished {
		t.Errorf("job %s: last event is %s, want finished (events %v)", id, last.Kind, kindsOf(events))
	}
}

func kindsOf(events []jobs.Event) []jobs.Kind {
	ks := make([]jobs.Kind, len(events))
	for i, e := range events {
		ks[i] = e.Kind
	}
	return ks
}

// fixture is a background callback's props; handle declares the callback.
type fixture struct {
	in   runtime.Prop[int]
	out  runtime.Prop[string]
	bar  runtime.Prop[int]
	side runtime.Prop[string]
	cb   *runtime.Callback
}

func newFixture() *fixture {
	c := uniq("c")
	return &fixture{
		in:   runtime.NewProp[int](c+"-button", "n_clicks"),
		out:  runtime.NewProp[string](c+"-out", "children"),
		bar:  runtime.NewProp[int](c+"-bar", "value"),
		side: runtime.NewProp[string](c+"-side", "children"),
	}
}

func (f *fixture) handle(h runtime.Handler, opts ...runtime.Option) *fixture {
	all := append([]runtime.Option{
		runtime.Outputs(f.out), runtime.Inputs(f.in),
		runtime.Background(), runtime.Progress(f.bar),
	}, opts...)
	f.cb = dash.Callback(all...).Handle(h)
	return f
}

// job returns a job of the fixture's callback with input n.
func (f *fixture) job(key string, n int) jobs.Job {
	return jobs.Job{
		ID:       jobs.NewID(),
		Callback: f.cb.ID(),
		Session:  "session",
		Key:      key,
		Request: runtime.Request{
			Inputs:    []protocol.PropValue{{ID: f.in.PropID().ID, Prop: f.in.PropID().Prop, Value: json.RawMessage(strconv.Itoa(n))}},
			Triggered: []runtime.PropID{f.in.PropID()},
		},
	}
}

// blocking returns a handler that sends its context on started, waits for g
// ignoring the context, then reports progress (its error goes to late), sets
// the output to "late" and returns nil.
func blocking(f *fixture, g *jobstest.Gate, started chan<- context.Context, late chan<- error) runtime.Handler {
	return func(c *runtime.Call) error {
		started <- c.Context()
		<-g.C
		err := c.Progress(f.bar.Is(99))
		if late != nil {
			late <- err
		}
		f.out.Set(c, "late")
		return nil
	}
}

func wantValue(t *testing.T, props []protocol.PropValue, id runtime.PropID, want string) {
	t.Helper()
	for _, p := range props {
		if p.PropID() == id {
			if string(p.Value) != want {
				t.Errorf("%s = %s, want %s", id, p.Value, want)
			}
			return
		}
	}
	t.Errorf("%s missing from %v", id, props)
}

func TestInProcessLifecycleOrder(t *testing.T) {
	h := newHarness(t)
	g := h.gate()
	running := make(chan struct{})
	reportErrs := make(chan error, 2)
	f := newFixture()
	f.handle(func(c *runtime.Call) error {
		close(running)
		<-g.C
		n := f.in.Get(c)
		reportErrs <- c.Progress(f.bar.Is(n))
		reportErrs <- c.SetProps(f.side.Is("halfway"))
		f.out.Set(c, "got "+strconv.Itoa(n))
		return nil
	})
	job := f.job("", 21)
	rec := h.mustSubmit(job)

	jobstest.Recv(t, running, "the handler to start")
	if got := rec.Kinds(); !jobstest.KindsEqual(got, jobs.Queued, jobs.Started) {
		t.Fatalf("events while running = %v, want [queued started]", got)
	}
	if n := h.m.Len(); n != 1 {
		t.Errorf("Len while running = %d, want 1", n)
	}

	g.Open()
	res := rec.Result(t)
	for range 2 {
		if err := jobstest.Recv(t, reportErrs, "a report error"); err != nil {
			t.Errorf("report while running: %v", err)
		}
	}
	if got := rec.Kinds(); !jobstest.KindsEqual(got, jobs.Queued, jobs.Started, jobs.Progress, jobs.SetProps, jobs.Finished) {
		t.Fatalf("events = %v, want [queued started progress set_props finished]", got)
	}
	events := rec.Events()
	wantValue(t, events[2].Props, f.bar.PropID(), "21")
	wantValue(t, events[3].Props, f.side.PropID(), `"halfway"`)
	if res.Status != protocol.StatusOK || res.Err != nil {
		t.Fatalf("result = %+v, want ok", res)
	}
	if len(res.Props) != 1 {
		t.Fatalf("result props = %v, want just the output", res.Props)
	}
	wantValue(t, res.Props, f.out.PropID(), `"got 21"`)
	for _, e := range events {
		if e.Job != job.ID {
			t.Errorf("%s event for job %q, want %q", e.Kind, e.Job, job.ID)
		}
	}

	jobstest.WaitUntil(t, "Len to drop to 0", func() bool { return h.m.Len() == 0 })
	if h.m.Cancel(job.ID) {
		t.Error("Cancel of a finished job reported true")
	}
	if got := len(rec.Events()); got != 5 {
		t.Errorf("Cancel of a finished job delivered events: now %d", got)
	}
}

func TestInProcessCancelRunningIgnoringContext(t *testing.T) {
	h := newHarness(t)
	g := h.gate()
	started := make(chan context.Context, 1)
	late := make(chan error, 1)
	f := newFixture()
	f.handle(blocking(f, g, started, late))
	job := f.job("", 1)
	rec := h.mustSubmit(job)
	ctx := jobstest.Recv(t, started, "the handler to start")

	if !h.m.Cancel(job.ID) {
		t.Fatal("Cancel of a running job reported false")
	}
	// Finished is delivered by Cancel itself, before it returns.
	if got := rec.Kinds(); !jobstest.KindsEqual(got, jobs.Queued, jobs.Started, jobs.Finished) {
		t.Fatalf("events right after Cancel = %v, want [queued started finished]", got)
	}
	res := *rec.Finished()[0].Result
	if res.Status != protocol.StatusCancelled || res.Err != nil || len(res.Props) != 0 {
		t.Errorf("result = %+v, want cancelled", res)
	}
	select {
	case <-ctx.Done():
	default:
		t.Error("the handler's context is not cancelled after Cancel")
	}
	if cause := context.Cause(ctx); !errors.Is(cause, jobs.ErrCancelled) {
		t.Errorf("context cause = %v, want ErrCancelled", cause)
	}
	if h.m.Cancel(job.ID) {
		t.Error("second Cancel reported true")
	}
	if n := h.m.Len(); n != 0 {
		t.Errorf("Len after Cancel = %d, want 0 (the job is ended even though its worker is busy)", n)
	}

	// The handler ignored the context; let it return its late result.
	g.Open()
	if err := jobstest.Recv(t, late, "the late progress report"); err == nil {
		t.Error("Progress after cancellation returned nil")
	}
	h.drain()
	if got := rec.Kinds(); !jobstest.KindsEqual(got, jobs.Queued, jobs.Started, jobs.Finished) {
		t.Fatalf("events after the handler returned = %v, want [queued started finished]: the late result must be discarded", got)
	}
	if st := rec.Finished()[0].Result.Status; st != protocol.StatusCancelled {
		t.Errorf("status = %s after the late result, want cancelled", st)
	}
}

func TestInProcessCancelQueued(t *testing.T) {
	h := newHarness(t, jobs.Workers(1))
	g := h.gate()
	started := make(chan context.Context, 1)
	first := newFixture()
	first.handle(blocking(first, g, started, nil))

	var ran atomic.Int32
	second := newFixture()
	second.handle(func(c *runtime.Call) error {
		ran.Add(1)
		return nil
	})

	recA := h.mustSubmit(first.job("", 1))
	jobstest.Recv(t, started, "the first job to start")
	jobB := second.job("", 2)
	recB := h.mustSubmit(jobB)
	if got := recB.Kinds(); !jobstest.KindsEqual(got, jobs.Queued) {
		t.Fatalf("queued job's events = %v, want [queued]", got)
	}
	if n := h.m.Len(); n != 2 {
		t.Errorf("Len = %d, want 2 (one running, one queued)", n)
	}

	if !h.m.Cancel(jobB.ID) {
		t.Fatal("Cancel of a queued job reported false")
	}
	if got := recB.Kinds(); !jobstest.KindsEqual(got, jobs.Queued, jobs.Finished) {
		t.Fatalf("events right after Cancel = %v, want [queued finished]", got)
	}
	if st := recB.Finished()[0].Result.Status; st != protocol.StatusCancelled {
		t.Errorf("status = %s, want cancelled", st)
	}
	if n := h.m.Len(); n != 1 {
		t.Errorf("Len after cancelling the queued job = %d, want 1", n)
	}

	// Let the first job end; the worker then dequeues the cancelled one.
	h.drain()
	if n := ran.Load(); n != 0 {
		t.Errorf("the cancelled queued handler ran %d times", n)
	}
	if got := recB.Kinds(); !jobstest.KindsEqual(got, jobs.Queued, jobs.Finished) {
		t.Errorf("events of the cancelled queued job = %v, want [queued finished]", got)
	}
	if res := recA.Result(t); res.Status != protocol.StatusOK {
		t.Errorf("first job = %+v, want ok", res)
	}
}

func TestInProcessSupersede(t *testing.T) {
	t.Run("same key", func(t *testing.T) {
		h := newHarness(t)
		g := h.gate()
		started := make(chan context.Context, 2)
		late := make(chan error, 2)
		f := newFixture()
		f.handle(func(c *runtime.Call) error {
			if f.in.Get(c) == 2 {
				f.out.Set(c, "second")
				return nil
			}
			return blocking(f, g, started, late)(c)
		})
		jobA := f.job("session/cb", 1)
		recA := h.mustSubmit(jobA)
		ctxA := jobstest.Recv(t, started, "the first job to start")

		recB := h.mustSubmit(f.job("session/cb", 2))
		// The supersede happens inside Submit.
		if got := recA.Kinds(); !jobstest.KindsEqual(got, jobs.Queued, jobs.Started, jobs.Finished) {
			t.Fatalf("first job's events after the second Submit = %v, want [queued started finished]", got)
		}
		if st := recA.Finished()[0].Result.Status; st != protocol.StatusCancelled {
			t.Errorf("first job status = %s, want cancelled", st)
		}
		if cause := context.Cause(ctxA); !errors.Is(cause, jobs.ErrSuperseded) {
			t.Errorf("first job's context cause = %v, want ErrSuperseded", cause)
		}
		if h.m.Cancel(jobA.ID) {
			t.Error("Cancel of the superseded job reported true")
		}

		resB := recB.Result(t)
		if resB.Status != protocol.StatusOK {
			t.Fatalf("second job = %+v, want ok", resB)
		}
		wantValue(t, resB.Props, f.out.PropID(), `"second"`)

		g.Open()
		if err := jobstest.Recv(t, late, "the superseded job's late report"); err == nil {
			t.Error("Progress of a superseded job returned nil")
		}
		h.drain()
		if n := len(recA.Finished()); n != 1 {
			t.Errorf("superseded job has %d Finished events, want 1", n)
		}
		if st := recA.Finished()[0].Result.Status; st != protocol.StatusCancelled {
			t.Errorf("superseded job status after its late result = %s, want cancelled", st)
		}
	})

	t.Run("queued job superseded never runs", func(t *testing.T) {
		h := newHarness(t, jobs.Workers(1))
		g := h.gate()
		started := make(chan context.Context, 1)
		blocker := newFixture()
		blocker.handle(blocking(blocker, g, started, nil))
		var runs sync.Map
		f := newFixture()
		f.handle(func(c *runtime.Call) error {
			runs.Store(f.in.Get(c), true)
			return nil
		})
		h.mustSubmit(blocker.job("", 0))
		jobstest.Recv(t, started, "the blocker to start")
		recA := h.mustSubmit(f.job("k", 1))
		recB := h.mustSubmit(f.job("k", 2))
		if got := recA.Kinds(); !jobstest.KindsEqual(got, jobs.Queued, jobs.Finished) {
			t.Fatalf("superseded queued job's events = %v, want [queued finished]", got)
		}
		if got := recB.Kinds(); !jobstest.KindsEqual(got, jobs.Queued) {
			t.Fatalf("new job's events = %v, want [queued]", got)
		}
		h.drain()
		if _, ran := runs.Load(1); ran {
			t.Error("the superseded queued job ran")
		}
		if _, ran := runs.Load(2); !ran {
			t.Error("the superseding job did not run")
		}
		if st := recB.Result(t).Status; st != protocol.StatusOK {
			t.Errorf("superseding job status = %s, want ok", st)
		}
	})

	t.Run("different keys", func(t *testing.T) {
		h := newHarness(t)
		g := h.gate()
		started := make(chan context.Context, 2)
		f := newFixture()
		f.handle(blocking(f, g, started, nil))
		recA := h.mustSubmit(f.job("alice/cb", 1))
		recB := h.mustSubmit(f.job("bob/cb", 2))
		ctx1 := jobstest.Recv(t, started, "a job to start")
		ctx2 := jobstest.Recv(t, started, "the other job to start")
		if n := len(recA.Finished()) + len(recB.Finished()); n != 0 {
			t.Fatalf("%d jobs finished before release; different keys must not supersede", n)
		}
		for _, ctx := range []context.Context{ctx1, ctx2} {
			if ctx.Err() != nil {
				t.Errorf("a job's context is cancelled (cause %v)", context.Cause(ctx))
			}
		}
		g.Open()
		for _, rec := range []*jobstest.Recorder{recA, recB} {
			if res := rec.Result(t); res.Status != protocol.StatusOK {
				t.Errorf("result = %+v, want ok", res)
			}
		}
	})

	t.Run("empty key never supersedes", func(t *testing.T) {
		h := newHarness(t)
		g := h.gate()
		started := make(chan context.Context, 2)
		f := newFixture()
		f.handle(blocking(f, g, started, nil))
		recA := h.mustSubmit(f.job("", 1))
		jobstest.Recv(t, started, "the first job to start")
		recB := h.mustSubmit(f.job("", 2))
		jobstest.Recv(t, started, "the second job to start")
		if n := len(recA.Finished()); n != 0 {
			t.Fatalf("a job with an empty key was superseded by another with an empty key")
		}
		g.Open()
		for _, rec := range []*jobstest.Recorder{recA, recB} {
			if res := rec.Result(t); res.Status != protocol.StatusOK {
				t.Errorf("result = %+v, want ok", res)
			}
		}
	})
}

func TestInProcessReportsAfterCancelFail(t *testing.T) {
	h := newHarness(t)
	g := h.gate()
	running := make(chan struct{})
	errs := make(chan error, 2)
	f := newFixture()
	f.handle(func(c *runtime.Call) error {
		if err := c.Progress(f.bar.Is(1)); err != nil {
			errs <- fmt.Errorf("progress before cancel: %w", err)
		}
		close(running)
		<-g.C // ignores the context
		errs <- c.Progress(f.bar.Is(2))
		errs <- c.SetProps(f.side.Is("after"))
		return nil
	})
	job := f.job("", 1)
	rec := h.mustSubmit(job)
	jobstest.Recv(t, running, "the handler to report progress")
	if !h.m.Cancel(job.ID) {
		t.Fatal("Cancel reported false")
	}
	g.Open()
	if err := jobstest.Recv(t, errs, "Progress after cancel"); err == nil {
		t.Error("Progress after cancel returned nil")
	}
	if err := jobstest.Recv(t, errs, "SetProps after cancel"); err == nil {
		t.Error("SetProps after cancel returned nil")
	}
	h.drain()
	if got := rec.Kinds(); !jobstest.KindsEqual(got, jobs.Queued, jobs.Started, jobs.Progress, jobs.Finished) {
		t.Errorf("events = %v, want [queued started progress finished]: nothing may follow Finished", got)
	}
}

func TestInProcessPanicKeepsRunning(t *testing.T) {
	h := newHarness(t, jobs.Workers(1))
	f := newFixture()
	f.handle(func(c *runtime.Call) error {
		if f.in.Get(c) == 1 {
			panic("kaboom")
		}
		f.out.Set(c, "fine")
		return nil
	})
	recPanic := h.mustSubmit(f.job("", 1))
	res := recPanic.Result(t)
	if res.Status != protocol.StatusError || res.Err == nil || res.Err.Code != protocol.CodePanic {
		t.Fatalf("result = %+v, want error with code panic", res)
	}
	if !strings.Contains(res.Err.Message, "kaboom") {
		t.Errorf("message %q does not name the panic value", res.Err.Message)
	}
	if len(res.Stack) == 0 {
		t.Error("a panic result carries no stack")
	}

	// The single worker survived and runs the next jobs.
	for i := range 3 {
		rec := h.mustSubmit(f.job("", 10+i))
		if res := rec.Result(t); res.Status != protocol.StatusOK {
			t.Fatalf("job after the panic = %+v, want ok", res)
		}
	}
}

func TestInProcessHandlerError(t *testing.T) {
	h := newHarness(t)
	f := newFixture()
	f.handle(func(c *runtime.Call) error {
		f.out.Set(c, "ignored")
		if f.in.Get(c) == 2 {
			return &protocol.Error{Code: "custom", Message: "my own code"}
		}
		return errors.New("disk on fire")
	})
	res := h.mustSubmit(f.job("", 1)).Result(t)
	if res.Status != protocol.StatusError || res.Err == nil || res.Err.Code != protocol.CodeHandler {
		t.Fatalf("result = %+v, want error with code handler", res)
	}
	if !strings.Contains(res.Err.Message, "disk on fire") {
		t.Errorf("message %q does not carry the handler's error", res.Err.Message)
	}
	if len(res.Props) != 0 {
		t.Errorf("an error result carries props %v", res.Props)
	}

	res = h.mustSubmit(f.job("", 2)).Result(t)
	if res.Status != protocol.StatusError || res.Err == nil || res.Err.Code != "custom" {
		t.Errorf("a *protocol.Error result = %+v, want its own code", res)
	}
}

func TestInProcessTimeout(t *testing.T) {
	t.Run("callback Timeout", func(t *testing.T) {
		h := newHarness(t, jobs.DefaultTimeout(time.Hour))
		g := h.gate()
		started := make(chan context.Context, 1)
		late := make(chan error, 1)
		f := newFixture()
		f.handle(blocking(f, g, started, late), runtime.Timeout(20*time.Millisecond))
		rec := h.mustSubmit(f.job("", 1))
		ctx := jobstest.Recv(t, started, "the handler to start")

		res := rec.Result(t)
		if res.Status != protocol.StatusError || res.Err == nil || res.Err.Code != protocol.CodeTimeout {
			t.Fatalf("result = %+v, want error with code timeout", res)
		}
		if cause := context.Cause(ctx); !errors.Is(cause, context.DeadlineExceeded) {
			t.Errorf("context cause = %v, want DeadlineExceeded", cause)
		}
		g.Open()
		if err := jobstest.Recv(t, late, "the late report"); err == nil {
			t.Error("Progress after timeout returned nil")
		}
		h.drain()
		if got := rec.Kinds(); !jobstest.KindsEqual(got, jobs.Queued, jobs.Started, jobs.Finished) {
			t.Errorf("events = %v, want [queued started finished]", got)
		}
		if code := rec.Finished()[0].Result.Err.Code; code != protocol.CodeTimeout {
			t.Errorf("code after the late result = %s, want timeout", code)
		}
	})

	t.Run("manager DefaultTimeout", func(t *testing.T) {
		h := newHarness(t, jobs.DefaultTimeout(20*time.Millisecond))
		g := h.gate()
		started := make(chan context.Context, 1)
		f := newFixture()
		f.handle(blocking(f, g, started, nil))
		rec := h.mustSubmit(f.job("", 1))
		jobstest.Recv(t, started, "the handler to start")
		res := rec.Result(t)
		if res.Status != protocol.StatusError || res.Err == nil || res.Err.Code != protocol.CodeTimeout {
			t.Fatalf("result = %+v, want error with code timeout", res)
		}
	})

	t.Run("fast job is not timed out", func(t *testing.T) {
		h := newHarness(t, jobs.Workers(1))
		f := newFixture()
		f.handle(func(c *runtime.Call) error {
			f.out.Set(c, "quick")
			return nil
		}, runtime.Timeout(time.Hour))
		if res := h.mustSubmit(f.job("", 1)).Result(t); res.Status != protocol.StatusOK {
			t.Errorf("result = %+v, want ok", res)
		}
	})
}

func TestInProcessBusy(t *testing.T) {
	h := newHarness(t, jobs.Workers(1), jobs.QueueSize(1))
	g := h.gate()
	started := make(chan context.Context, 3)
	f := newFixture()
	f.handle(blocking(f, g, started, nil))

	h.mustSubmit(f.job("", 1))
	jobstest.Recv(t, started, "the first job to start") // the queue is empty again
	jobB := f.job("k", 2)
	recB := h.mustSubmit(jobB) // fills the one slot

	recC, err := h.submit(f.job("k", 3))
	if !errors.Is(err, jobs.ErrBusy) {
		t.Fatalf("Submit to a full queue = %v, want ErrBusy", err)
	}
	if n := len(recC.Events()); n != 0 {
		t.Errorf("a refused job's sink received %d events", n)
	}
	// A refused job must not supersede the queued job with its key.
	if got := recB.Kinds(); !jobstest.KindsEqual(got, jobs.Queued) {
		t.Errorf("queued job's events after a refused Submit with its key = %v, want [queued]", got)
	}
	if n := h.m.Len(); n != 2 {
		t.Errorf("Len = %d, want 2", n)
	}

	// Once the worker takes B, the slot is free again.
	g.Open()
	jobstest.Recv(t, started, "the queued job to start")
	if _, err := h.submit(f.job("", 4)); err != nil {
		t.Errorf("Submit after the queue drained: %v", err)
	}
}

func TestInProcessSubmitAfterShutdown(t *testing.T) {
	h := newHarness(t)
	f := newFixture()
	f.handle(func(c *runtime.Call) error { return nil })
	if err := h.m.Shutdown(context.Background()); err != nil {
		t.Fatalf("Shutdown of an idle manager: %v", err)
	}
	rec, err := h.submit(f.job("", 1))
	if !errors.Is(err, jobs.ErrClosed) {
		t.Fatalf("Submit after Shutdown = %v, want ErrClosed", err)
	}
	if n := len(rec.Events()); n != 0 {
		t.Errorf("a refused job's sink received %d events", n)
	}
	if err := h.m.Shutdown(context.Background()); err != nil {
		t.Errorf("second Shutdown: %v", err)
	}
}

func TestInProcessShutdownWaitsForRunningJob(t *testing.T) {
	h := newHarness(t)
	g := h.gate()
	started := make(chan context.Context, 1)
	f := newFixture()
	f.handle(blocking(f, g, started, nil))
	probe := newFixture()
	probe.handle(func(c *runtime.Call) error { return nil })
	rec := h.mustSubmit(f.job("", 1))
	ctx := jobstest.Recv(t, started, "the handler to start")

	shutdown := make(chan error, 1)
	go func() {
		sctx, cancel := context.WithTimeout(context.Background(), jobstest.WaitLimit)
		defer cancel()
		shutdown <- h.m.Shutdown(sctx)
	}()
	// Shutdown has begun once Submit is refused.
	jobstest.WaitUntil(t, "Submit to be refused", func() bool {
		_, err := h.submit(probe.job("", 2))
		return errors.Is(err, jobs.ErrClosed)
	})
	select {
	case err := <-shutdown:
		t.Fatalf("Shutdown returned (%v) while a job was still running", err)
	default:
	}
	if n := len(rec.Finished()); n != 0 {
		t.Fatalf("the running job was ended by a Shutdown whose context allows it to finish")
	}
	if ctx.Err() != nil {
		t.Errorf("the running job's context was cancelled: %v", context.Cause(ctx))
	}

	g.Open()
	if err := jobstest.Recv(t, shutdown, "Shutdown to return"); err != nil {
		t.Fatalf("Shutdown = %v, want nil", err)
	}
	// Shutdown returned only after the job ended, so its result is here.
	fin := rec.Finished()
	if len(fin) != 1 {
		t.Fatalf("%d Finished events when Shutdown returned, want 1", len(fin))
	}
	if res := fin[0].Result; res.Status != protocol.StatusOK {
		t.Errorf("result = %+v, want ok", res)
	} else {
		wantValue(t, res.Props, f.out.PropID(), `"late"`)
	}
}

func TestInProcessShutdownDeadlineEndsJobs(t *testing.T) {
	h := newHarness(t, jobs.Workers(1))
	g := h.gate()
	started := make(chan context.Context, 2)
	f := newFixture()
	f.handle(blocking(f, g, started, nil))
	recA := h.mustSubmit(f.job("", 1))
	ctxA := jobstest.Recv(t, started, "the first job to start")
	recB := h.mustSubmit(f.job("", 2)) // queued behind A

	ctx, cancel := context.WithCancel(context.Background())
	cancel() // expired before Shutdown starts: nothing may finish in time
	err := h.m.Shutdown(ctx)
	if err == nil {
		t.Fatal("Shutdown with an expired context returned nil while a job was running")
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Shutdown error %v does not wrap the context's error", err)
	}
	for name, rec := range map[string]*jobstest.Recorder{"running": recA, "queued": recB} {
		fin := rec.Finished()
		if len(fin) != 1 {
			t.Errorf("%s job: %d Finished events when Shutdown returned, want 1", name, len(fin))
			continue
		}
		if res := fin[0].Result; res.Status != protocol.StatusError || res.Err == nil {
			t.Errorf("%s job result = %+v, want an error", name, res)
		}
	}
	if cause := context.Cause(ctxA); !errors.Is(cause, jobs.ErrClosed) {
		t.Errorf("running job's context cause = %v, want ErrClosed", cause)
	}
	if n := h.m.Len(); n != 0 {
		t.Errorf("Len after Shutdown = %d, want 0", n)
	}

	// Let A's handler return: its result is discarded and B never starts.
	h.drain()
	select {
	case <-started:
		t.Error("the queued job ran after Shutdown ended it")
	default:
	}
	if got := recB.Kinds(); !jobstest.KindsEqual(got, jobs.Queued, jobs.Finished) {
		t.Errorf("queued job's events = %v, want [queued finished]", got)
	}
	if got := recA.Kinds(); !jobstest.KindsEqual(got, jobs.Queued, jobs.Started, jobs.Finished) {
		t.Errorf("running job's events = %v, want [queued started finished]", got)
	}
}

func TestInProcessUnknownCallback(t *testing.T) {
	h := newHarness(t)
	rec := h.mustSubmit(jobs.Job{ID: jobs.NewID(), Callback: "jobstest:no-such.prop"})
	res := rec.Result(t)
	if res.Status != protocol.StatusError || res.Err == nil || res.Err.Code != protocol.CodeUnknownCallback {
		t.Errorf("result = %+v, want error with code unknown_callback", res)
	}
}

func TestInProcessCancelUnknown(t *testing.T) {
	h := newHarness(t)
	if h.m.Cancel(jobs.NewID()) {
		t.Error("Cancel of an unknown job reported true")
	}
}

func TestNewIDUnique(t *testing.T) {
	seen := map[jobs.ID]bool{}
	for range 1000 {
		id := jobs.NewID()
		if len(id) < 20 {
			t.Fatalf("id %q is too short for 128 bits", id)
		}
		if seen[id] {
			t.Fatalf("NewID repeated %q", id)
		}
		seen[id] = true
	}
	if a, b := jobs.NewToken(), jobs.NewToken(); a == b || len(a) < 40 {
		t.Errorf("NewToken gave %q and %q", a, b)
	}
}

func TestInProcessManyJobs(t *testing.T) {
	h := newHarness(t, jobs.Workers(4))
	f := newFixture()
	f.handle(func(c *runtime.Call) error {
		n := f.in.Get(c)
		for i := range 3 {
			if err := c.Progress(f.bar.Is(i)); err != nil {
				return err
			}
		}
		f.out.Set(c, strconv.Itoa(n*n))
		return nil
	})
	var recs []*jobstest.Recorder
	for i := range 50 {
		recs = append(recs, h.mustSubmit(f.job("", i)))
	}
	for i, rec := range recs {
		res := rec.Result(t)
		if res.Status != protocol.StatusOK {
			t.Fatalf("job %d: %+v", i, res)
		}
		wantValue(t, res.Props, f.out.PropID(), strconv.Quote(strconv.Itoa(i*i)))
	}
}

// Compile-time check that InProcess is a Manager.
var _ jobs.Manager = (*jobs.InProcess)(nil)
