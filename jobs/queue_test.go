package jobs_test

import (
	"errors"
	"testing"
	"time"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/jobs/jobstest"
	"github.com/longcall/longcall/runtime"
)

// lastPosition returns the position of rec's latest Queued event.
func lastPosition(rec *jobstest.Recorder) int {
	pos := -1
	for _, e := range rec.Events() {
		if e.Kind == jobs.Queued {
			pos = e.Position
		}
	}
	return pos
}

// placed returns a job of f that shows its place (runtime.Queued).
func placed(f *fixture, n int) jobs.Job {
	j := f.job("", n)
	j.Queued = true
	return j
}

func TestQueuedJobsHearTheirPlaceAsTheQueueMoves(t *testing.T) {
	h := newHarness(t, jobs.Workers(1), jobs.QueuePlaceEvery(0))
	gates := []*jobstest.Gate{h.gate(), h.gate(), h.gate(), h.gate()}
	started := make(chan int, 3)
	f := newFixture()
	f.handle(func(c *runtime.Call) error {
		n := f.in.Get(c)
		started <- n
		<-gates[n].C
		return nil
	})
	a := h.mustSubmit(placed(f, 0))
	if got := jobstest.Recv(t, started, "the first job"); got != 0 {
		t.Fatalf("job %d started first", got)
	}
	b := h.mustSubmit(placed(f, 1))
	c := h.mustSubmit(placed(f, 2))
	if pb, pc := lastPosition(b), lastPosition(c); pb != 1 || pc != 2 {
		t.Fatalf("positions %d and %d behind a running job, want 1 and 2", pb, pc)
	}

	gates[0].Open()
	a.Result(t)
	jobstest.Recv(t, started, "the second job")
	jobstest.WaitUntil(t, "the third job to move up", func() bool { return lastPosition(c) == 1 })
	// The first job's run time now gives the next an estimate.
	if e := c.Events(); e[len(e)-1].ETA <= 0 {
		t.Errorf("no estimate after a job finished: %+v", e[len(e)-1])
	}

	// A cancelled job leaves the queue, and the one behind it moves up.
	d := h.mustSubmit(placed(f, 3))
	if p := lastPosition(d); p != 2 {
		t.Fatalf("position %d, want 2", p)
	}
	h.m.Cancel(c.Events()[0].Job)
	jobstest.WaitUntil(t, "the last job to move up", func() bool { return lastPosition(d) == 1 })
	for _, g := range gates[1:] {
		g.Open()
	}
}

// holdTheWorker has h's one worker run job 0 of f, whose jobs say their
// number on started as they start and wait for g.
func holdTheWorker(t *testing.T, h *harness) (*fixture, *jobstest.Gate, chan int) {
	t.Helper()
	g := h.gate()
	started := make(chan int, 8)
	f := newFixture()
	f.handle(func(c *runtime.Call) error {
		started <- f.in.Get(c)
		<-g.C
		return nil
	})
	h.mustSubmit(f.job("", 0))
	jobstest.Recv(t, started, "the first job")
	return f, g, started
}

// queuedEvents counts rec's Queued events.
func queuedEvents(rec *jobstest.Recorder) int {
	n := 0
	for _, e := range rec.Events() {
		if e.Kind == jobs.Queued {
			n++
		}
	}
	return n
}

// A job whose callback shows no place hears its first place, with which the
// page learns its id, and nothing more however the queue moves.
func TestJobsThatShowNoPlaceHearOnlyTheFirst(t *testing.T) {
	h := newHarness(t, jobs.Workers(1), jobs.QueuePlaceEvery(0))
	f, g, started := holdTheWorker(t, h)
	quiet := []*jobstest.Recorder{h.mustSubmit(f.job("", 1)), h.mustSubmit(f.job("", 2)), h.mustSubmit(f.job("", 3))}
	shown := h.mustSubmit(placed(f, 4))
	if p := lastPosition(shown); p != 4 {
		t.Fatalf("the placed job is told place %d, want 4", p)
	}
	g.Open()
	for range 4 {
		jobstest.Recv(t, started, "a queued job")
	}
	for _, rec := range append(quiet, shown) {
		rec.Result(t)
	}
	for i, rec := range quiet {
		if n := queuedEvents(rec); n != 1 {
			t.Errorf("job %d, showing no place, heard %d queued events, want 1", i+1, n)
		}
	}
	// The placed job moved from 4th to 1st: each move told, as the pace is off.
	if n := queuedEvents(shown); n != 4 {
		t.Errorf("the placed job heard %d queued events, want 4 (%v)", n, kindsOf(shown.Events()))
	}
}

// Places are paced per job: the first at once, then at most one per
// interval, so with a long interval a job that moves up and starts within
// it hears only its first place.
func TestQueuePlacesArePaced(t *testing.T) {
	h := newHarness(t, jobs.Workers(1), jobs.QueuePlaceEvery(time.Hour))
	f, g, _ := holdTheWorker(t, h)
	ahead := h.mustSubmit(f.job("", 1))
	behind := h.mustSubmit(placed(f, 2))
	if p := lastPosition(behind); p != 2 {
		t.Fatalf("first place %d, want 2, told at once", p)
	}
	h.m.Cancel(ahead.Events()[0].Job) // the placed job moves up to 1st
	if n := queuedEvents(behind); n != 1 {
		t.Fatalf("the move within the interval was told at once: %d queued events", n)
	}
	g.Open()
	behind.Result(t)
	if n := queuedEvents(behind); n != 1 {
		t.Errorf("a place held back was told after the job left the queue: %d queued events", n)
	}
}

// A paced place is told when its time comes, the latest one.
func TestAPacedPlaceIsToldLater(t *testing.T) {
	h := newHarness(t, jobs.Workers(1), jobs.QueuePlaceEvery(20*time.Millisecond))
	f, g, _ := holdTheWorker(t, h)
	a, b := h.mustSubmit(f.job("", 1)), h.mustSubmit(f.job("", 2))
	last := h.mustSubmit(placed(f, 3))
	h.m.Cancel(a.Events()[0].Job)
	h.m.Cancel(b.Events()[0].Job) // 3rd, then 2nd, then 1st
	jobstest.WaitUntil(t, "the latest place", func() bool { return lastPosition(last) == 1 })
	if n := queuedEvents(last); n > 3 {
		t.Errorf("%d queued events for two moves", n)
	}
	g.Open()
}

// A burst of calls is admitted while workers are free, even before they
// have woken to take the jobs: only jobs beyond the free workers count
// against the queue's bound.
func TestABurstFillsFreeWorkersBeforeTheQueue(t *testing.T) {
	const workers, queue = 4, 3
	h := newHarness(t, jobs.Workers(workers), jobs.QueueSize(queue))
	g := h.gate()
	f := newFixture()
	f.handle(func(c *runtime.Call) error {
		<-g.C
		return nil
	})
	for i := range workers + queue {
		if _, err := h.submit(f.job("", i)); err != nil {
			t.Fatalf("job %d of a burst of %d (%d workers, queue %d): %v", i+1, workers+queue, workers, queue, err)
		}
	}
	if _, err := h.submit(f.job("", 99)); !errors.Is(err, jobs.ErrBusy) {
		t.Fatalf("a job past the free workers and the queue: %v, want ErrBusy", err)
	}
	g.Open()
}
