package redisjobs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/jobs/jobstest"
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// The Redis manager's test helpers; what the in-process manager's tests use
// too (a recording Sink, gates, waits) is in jobs/jobstest.

// The jobs tests register their callbacks on one dashboard. Component ids are
// made unique per callback so that the tests can run with -count=N in one
// process without declaring an output twice.
var (
	dash = runtime.NewDashboard("redisjobstest")
	seq  atomic.Int64
)

func uniq(base string) string { return fmt.Sprintf("%s-%d", base, seq.Add(1)) }

type submission struct {
	job jobs.Job
	rec *jobstest.Recorder
	err error
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

// placed returns a job of f that shows its place (runtime.Queued).
func placed(f *fixture, n int) jobs.Job {
	j := f.job("", n)
	j.Queued = true
	return j
}

// shared returns a job of f in session for cache key key.
func shared(f *fixture, session, key string, n int) jobs.Job {
	j := f.job("", n)
	j.Session, j.CacheKey = session, key
	return j
}
