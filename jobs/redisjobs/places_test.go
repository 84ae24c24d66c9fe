package redisjobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/jobs/jobstest"
	"github.com/longcall/longcall/jobs/redisjobs"
	"github.com/longcall/longcall/runtime"
)

// lastPlace returns rec's latest Queued event and how many it received.
func lastPlace(rec *jobstest.Recorder) (last jobs.Event, n int) {
	for _, e := range rec.Events() {
		if e.Kind == jobs.Queued {
			last, n = e, n+1
		}
	}
	return last, n
}

func position(rec *jobstest.Recorder) int {
	e, _ := lastPlace(rec)
	return e.Position
}

// The queue of one worker, fed by two web processes: each job hears its
// place on submission and, when its page shows it, as the queue moves (a job
// starts, a queued one is cancelled), whichever web process submitted the
// jobs ahead of it; once a run has ended, an estimate comes with the place;
// an attach from a third web process replays the place. A job whose page
// does not show its place hears only the first.
func TestRedisQueuedJobsHearTheirPlaceAsTheQueueMoves(t *testing.T) {
	r := newRig(t)
	a, b := r.manager(), r.manager()
	r.worker(func(o *redisjobs.Options) { o.Concurrency = 1 })
	gates := make([]*jobstest.Gate, 5)
	for i := range gates {
		gates[i] = jobstest.NewGate()
		defer gates[i].Open()
	}
	started := make(chan int, len(gates))
	f := newFixture()
	f.handle(func(c *runtime.Call) error {
		n := f.in.Get(c)
		started <- n
		<-gates[n].C
		return nil
	})

	first := r.submit(a, placed(f, 0))
	if got := jobstest.Recv(t, started, "the first job"); got != 0 {
		t.Fatalf("job %d started first", got)
	}
	second, third, fourth := r.submit(b, placed(f, 1)), r.submit(a, placed(f, 2)), r.submit(b, placed(f, 3))
	unshown := r.submit(a, f.job("", 4))
	for i, rec := range []*jobstest.Recorder{second, third, fourth, unshown} {
		if p := position(rec); p != i+1 {
			t.Fatalf("job %d was told place %d on submission, want %d", i+1, p, i+1)
		}
	}

	gates[0].Open()
	first.Result(t)
	if got := jobstest.Recv(t, started, "the second job"); got != 1 {
		t.Fatalf("job %d started second", got)
	}
	jobstest.WaitUntil(t, "the jobs behind to move up", func() bool { return position(third) == 1 && position(fourth) == 2 })
	// One run has ended: its time gives an estimate, a round of the one
	// worker per place (each rounded up to the millisecond).
	jobstest.WaitUntil(t, "an estimate", func() bool {
		e3, _ := lastPlace(third)
		e4, _ := lastPlace(fourth)
		return e3.ETA > 0 && e4.ETA >= 2*e3.ETA-time.Millisecond
	})

	if !a.Cancel(third.Events()[0].Job) {
		t.Fatal("Cancel of a queued job reported false")
	}
	jobstest.WaitUntil(t, "the last shown job to move up", func() bool { return position(fourth) == 1 })
	if _, n := lastPlace(unshown); n != 1 {
		t.Fatalf("a job whose page does not show its place heard %d places, want only the first", n)
	}

	onC := &jobstest.Recorder{}
	job := fourth.Events()[0].Job
	if err := r.manager().Attach(context.Background(), job, "session", onC); err != nil {
		t.Fatal(err)
	}
	if e := onC.Events(); len(e) != 1 || e[0].Kind != jobs.Queued || e[0].Position != 1 {
		t.Fatalf("attach replayed %+v, want Queued at place 1", e)
	}
	for _, n := range []int{1, 3, 4} {
		gates[n].Open()
	}
	unshown.Result(t)
}
