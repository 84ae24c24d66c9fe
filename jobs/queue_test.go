package jobs_test

import (
	"testing"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime"
)

// lastPosition returns the position of rec's latest Queued event.
func lastPosition(rec *recorder) int {
	pos := -1
	for _, e := range rec.Events() {
		if e.Kind == jobs.Queued {
			pos = e.Position
		}
	}
	return pos
}

func TestQueuedJobsHearTheirPlaceAsTheQueueMoves(t *testing.T) {
	h := newHarness(t, jobs.Workers(1))
	gates := []*gate{h.gate(), h.gate(), h.gate(), h.gate()}
	started := make(chan int, 3)
	f := newFixture()
	f.handle(func(c *runtime.Call) error {
		n := f.in.Get(c)
		started <- n
		<-gates[n].ch
		return nil
	})
	a := h.mustSubmit(f.job("", 0))
	if got := recv(t, started, "the first job"); got != 0 {
		t.Fatalf("job %d started first", got)
	}
	b := h.mustSubmit(f.job("", 1))
	c := h.mustSubmit(f.job("", 2))
	if pb, pc := lastPosition(b), lastPosition(c); pb != 1 || pc != 2 {
		t.Fatalf("positions %d and %d behind a running job, want 1 and 2", pb, pc)
	}

	gates[0].open()
	a.result(t)
	recv(t, started, "the second job")
	waitUntil(t, "the third job to move up", func() bool { return lastPosition(c) == 1 })
	// The first job's run time now gives the next an estimate.
	if e := c.Events(); e[len(e)-1].ETA <= 0 {
		t.Errorf("no estimate after a job finished: %+v", e[len(e)-1])
	}

	// A cancelled job leaves the queue, and the one behind it moves up.
	d := h.mustSubmit(f.job("", 3))
	if p := lastPosition(d); p != 2 {
		t.Fatalf("position %d, want 2", p)
	}
	h.m.Cancel(c.Events()[0].Job)
	waitUntil(t, "the last job to move up", func() bool { return lastPosition(d) == 1 })
	for _, g := range gates[1:] {
		g.open()
	}
}
