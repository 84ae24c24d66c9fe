package jobs_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/jobs/jobstest"
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// stepper is a handler that reports progress 1 and 2, waits for its gate,
// reports 3 and sets its output; runs counts its runs.
func stepper(f *fixture, g *jobstest.Gate, reported chan<- struct{}, runs *atomic.Int32) runtime.Handler {
	return func(c *runtime.Call) error {
		runs.Add(1)
		c.Progress(f.bar.Is(1))
		c.Progress(f.bar.Is(2))
		reported <- struct{}{}
		<-g.C
		if err := c.Progress(f.bar.Is(3)); err != nil {
			return err
		}
		f.out.Set(c, "done")
		return nil
	}
}

// submitReplaced submits a job whose sink the test will replace, so the
// harness's lifecycle check, which wants every event on the first sink, does
// not apply to it.
func submitReplaced(t *testing.T, h *harness, job jobs.Job) *jobstest.Recorder {
	t.Helper()
	rec := &jobstest.Recorder{}
	if _, err := h.m.Submit(context.Background(), job, rec); err != nil {
		t.Fatal(err)
	}
	return rec
}

func TestAttachReplaysARunningJobThenStreamsToTheNewSink(t *testing.T) {
	h := newHarness(t)
	g := h.gate()
	reported := make(chan struct{}, 1)
	var runs atomic.Int32
	f := newFixture()
	f.handle(stepper(f, g, reported, &runs))
	job := f.job("", 7)
	first := submitReplaced(t, h, job)
	jobstest.Recv(t, reported, "progress 1 and 2")

	second := &jobstest.Recorder{}
	if err := h.m.Attach(context.Background(), job.ID, job.Session, second); err != nil {
		t.Fatal(err)
	}
	if got := second.Kinds(); !jobstest.KindsEqual(got, jobs.Queued, jobs.Started, jobs.Progress) {
		t.Fatalf("replay = %v, want queued, started, progress", got)
	}
	wantValue(t, second.Events()[2].Props, f.bar.PropID(), "2") // the latest, not every value

	before := len(first.Events())
	g.Open()
	res := second.Result(t)
	wantValue(t, res.Props, f.out.PropID(), `"done"`)
	wantValue(t, second.Events()[3].Props, f.bar.PropID(), "3")
	if after := len(first.Events()); after != before {
		t.Fatalf("the replaced sink got %d more events", after-before)
	}
}

func TestAttachRefusesOtherSessionsAndUnknownJobs(t *testing.T) {
	h := newHarness(t)
	g := h.gate()
	reported := make(chan struct{}, 1)
	var runs atomic.Int32
	f := newFixture()
	f.handle(stepper(f, g, reported, &runs))
	job := f.job("", 1)
	h.mustSubmit(job)
	jobstest.Recv(t, reported, "the job to run")

	for name, attach := range map[string]func() error{
		"another session": func() error { return h.m.Attach(context.Background(), job.ID, "intruder", &jobstest.Recorder{}) },
		"an unknown job":  func() error { return h.m.Attach(context.Background(), jobs.NewID(), job.Session, &jobstest.Recorder{}) },
	} {
		if err := attach(); !errors.Is(err, jobs.ErrUnknownJob) {
			t.Errorf("attach from %s: %v, want ErrUnknownJob", name, err)
		}
	}
	g.Open()
}

func TestAttachAfterTheEndReplaysTheKeptResult(t *testing.T) {
	h := newHarness(t)
	g := h.gate()
	g.Open()
	reported := make(chan struct{}, 1)
	var runs atomic.Int32
	f := newFixture()
	f.handle(stepper(f, g, reported, &runs))
	job := f.job("", 1)
	h.mustSubmit(job).Result(t)

	late := &jobstest.Recorder{}
	if err := h.m.Attach(context.Background(), job.ID, job.Session, late); err != nil {
		t.Fatal(err)
	}
	if got := late.Kinds(); !jobstest.KindsEqual(got, jobs.Finished) {
		t.Fatalf("events = %v, want the one Finished", got)
	}
	wantValue(t, late.Result(t).Props, f.out.PropID(), `"done"`)
	if err := h.m.Attach(context.Background(), job.ID, "intruder", &jobstest.Recorder{}); !errors.Is(err, jobs.ErrUnknownJob) {
		t.Fatalf("another session read the kept result: %v", err)
	}
}

func TestIdempotentResubmissionJoinsTheFirstJob(t *testing.T) {
	h := newHarness(t)
	g := h.gate()
	reported := make(chan struct{}, 4)
	var runs atomic.Int32
	f := newFixture()
	f.handle(stepper(f, g, reported, &runs))

	first := f.job("", 1)
	first.Idempotency = "call-1"
	submitReplaced(t, h, first)
	jobstest.Recv(t, reported, "the first run")

	again := f.job("", 1) // the same call sent again, with a fresh job id
	again.Idempotency = "call-1"
	joined := &jobstest.Recorder{}
	id, err := h.m.Submit(context.Background(), again, joined)
	if err != nil || id != first.ID {
		t.Fatalf("Submit = %s, %v; want the first job %s", id, err, first.ID)
	}

	other := f.job("", 1) // the same key in another session is another call
	other.Session, other.Idempotency = "another session", "call-1"
	otherRec := &jobstest.Recorder{}
	if id, err := h.m.Submit(context.Background(), other, otherRec); err != nil || id != other.ID {
		t.Fatalf("Submit in another session = %s, %v; want a new job %s", id, err, other.ID)
	}
	jobstest.Recv(t, reported, "the other session's run")

	g.Open()
	wantValue(t, joined.Result(t).Props, f.out.PropID(), `"done"`)
	otherRec.Result(t)

	// After the end, a resubmission gets the kept result, without a run.
	late := f.job("", 1)
	late.Idempotency = "call-1"
	lateRec := &jobstest.Recorder{}
	if id, err := h.m.Submit(context.Background(), late, lateRec); err != nil || id != first.ID {
		t.Fatalf("late Submit = %s, %v; want the first job %s", id, err, first.ID)
	}
	if res := lateRec.Result(t); res.Status != protocol.StatusOK {
		t.Fatalf("late result %+v", res)
	}
	if n := runs.Load(); n != 2 {
		t.Fatalf("the handler ran %d times, want 2 (once per session)", n)
	}
}
