package jobs_test

import (
	"context"
	"testing"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime"
)

// lastPlace returns the position and estimate of rec's latest Queued event.
func lastPlace(rec *recorder) jobs.Event {
	var last jobs.Event
	for _, e := range rec.Events() {
		if e.Kind == jobs.Queued {
			last = e
		}
	}
	return last
}

// The queue of one worker, fed by two web processes: each job hears its
// place on submission and as the queue moves (a job starts, a queued one is
// cancelled), whichever web process submitted the jobs ahead of it; once a
// run has ended, an estimate comes with the place; an attach from a third
// web process replays the place.
func TestRedisQueuedJobsHearTheirPlaceAsTheQueueMoves(t *testing.T) {
	r := newRig(t)
	a, b := r.manager(), r.manager()
	r.worker(func(o *jobs.RedisOptions) { o.Concurrency = 1 })
	gates := []*gate{{ch: make(chan struct{})}, {ch: make(chan struct{})}, {ch: make(chan struct{})}, {ch: make(chan struct{})}}
	defer func() {
		for _, g := range gates {
			g.open()
		}
	}()
	started := make(chan int, 4)
	f := newFixture()
	f.handle(func(c *runtime.Call) error {
		n := f.in.Get(c)
		started <- n
		<-gates[n].ch
		return nil
	})

	first := r.submit(a, f.job("", 0))
	if got := recv(t, started, "the first job"); got != 0 {
		t.Fatalf("job %d started first", got)
	}
	second, third, fourth := r.submit(b, f.job("", 1)), r.submit(a, f.job("", 2)), r.submit(b, f.job("", 3))
	for i, rec := range []*recorder{second, third, fourth} {
		if p := lastPlace(rec).Position; p != i+1 {
			t.Fatalf("job %d was told place %d on submission, want %d", i+1, p, i+1)
		}
	}

	gates[0].open()
	first.result(t)
	if got := recv(t, started, "the second job"); got != 1 {
		t.Fatalf("job %d started second", got)
	}
	waitUntil(t, "the jobs behind to move up", func() bool {
		return lastPlace(third).Position == 1 && lastPlace(fourth).Position == 2
	})
	// One run has ended: its time gives an estimate, a round of the one
	// worker per place.
	waitUntil(t, "an estimate", func() bool {
		e3, e4 := lastPlace(third).ETA, lastPlace(fourth).ETA
		return e3 > 0 && e4 == 2*e3
	})

	if !a.Cancel(third.Events()[0].Job) {
		t.Fatal("Cancel of a queued job reported false")
	}
	waitUntil(t, "the last job to move up", func() bool { return lastPlace(fourth).Position == 1 })

	onC := &recorder{}
	job := fourth.Events()[0].Job
	if err := r.manager().Attach(context.Background(), job, "session", onC); err != nil {
		t.Fatal(err)
	}
	if e := onC.Events(); len(e) != 1 || e[0].Kind != jobs.Queued || e[0].Position != 1 {
		t.Fatalf("attach replayed %+v, want Queued at place 1", e)
	}
	gates[1].open()
	gates[3].open()
	fourth.result(t)
	if got := recv(t, started, "the last job"); got != 3 {
		t.Fatalf("job %d started last", got)
	}
}
