package server_test

import (
	"fmt"
	"testing"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/server"
)

// Running, Progress, Cancel and Queued given by pattern: each MATCH instance
// of a background callback drives its own row's button, bar and status.
var (
	bindDash  = runtime.NewDashboard("patternbindings")
	jobClick  = runtime.NewPatternProp[int](runtime.ID{"type": "job", "index": runtime.MATCH}, "n_clicks")
	jobBusy   = runtime.NewPatternProp[bool](runtime.ID{"type": "job", "index": runtime.MATCH}, "disabled")
	jobStop   = runtime.NewPatternProp[int](runtime.ID{"type": "stop", "index": runtime.MATCH}, "n_clicks")
	jobBar    = runtime.NewPatternProp[int](runtime.ID{"type": "bar", "index": runtime.MATCH}, "value")
	jobNote   = runtime.NewPatternProp[string](runtime.ID{"type": "note", "index": runtime.MATCH}, "children")
	jobResult = runtime.NewPatternProp[string](runtime.ID{"type": "result", "index": runtime.MATCH}, "children")
	anyBusy   = runtime.NewPatternProp[string](runtime.ID{"type": "lamp", "index": runtime.ALL}, "children")
	jobWait   = runtime.NewPatternProp[string](runtime.ID{"type": "wait", "index": runtime.MATCH}, "children")

	_ = bindDash.Callback(
		runtime.Outputs(jobResult), runtime.Inputs(jobClick),
		runtime.Background(), runtime.PreventInitialCall(),
		runtime.Running(jobBusy, true, false),
		runtime.Running(anyBusy, "busy", "idle"),
		runtime.Cancel(jobStop),
		runtime.Progress(jobBar, jobNote),
		runtime.ProgressDefault(jobBar.Is(0)),
		runtime.Queued(jobWait),
	).Handle(func(call *runtime.Call) error {
		var row struct{ Index int }
		if err := runtime.ParseID(call.TriggeredID(), &row); err != nil {
			return err
		}
		if err := call.Progress(jobBar.Is(50), jobNote.NoUpdate()); err != nil {
			return err
		}
		select {
		case <-gate(3000 + row.Index):
		case <-call.Context().Done():
			return call.Context().Err()
		}
		jobResult.Set(call, fmt.Sprintf("row %d done", row.Index))
		return nil
	})
)

func TestPatternBindingsFollowTheirInstance(t *testing.T) {
	p := &page{}
	p.Client, p.conn = openDash(t, startServer(t), bindDash)
	prop := func(kind string, i int, name string) runtime.PropID {
		return runtime.PropID{ID: rowID(kind, i), Prop: name}
	}
	for i := range 2 {
		for _, kind := range []string{"job", "stop", "bar", "note", "result", "lamp", "wait"} {
			p.Store().Declare(rowID(kind, i))
		}
	}
	p.Start()

	p.Update(set(prop("job", 0, "n_clicks"), 1))
	p.waitFor(t, prop("job", 0, "disabled"), "true")    // MATCH: the row's own button
	p.waitFor(t, prop("lamp", 1, "children"), `"busy"`) // ALL: every lamp
	p.waitFor(t, prop("bar", 0, "value"), "50")
	if v, ok := p.Store().Get(prop("bar", 1, "value")); ok {
		t.Fatalf("row 1's bar, not running, got progress %s", v)
	}
	if v, ok := p.Store().Get(prop("job", 1, "disabled")); ok {
		t.Fatalf("row 1's button, not running, got disabled = %s", v)
	}

	p.Update(set(prop("job", 1, "n_clicks"), 1))
	p.waitFor(t, prop("job", 1, "disabled"), "true")
	p.waitFor(t, prop("bar", 1, "value"), "50")
	// What the page keeps across a reload has the bindings settled, patterns
	// included: a restored flight sets them again.
	for _, v := range p.Settled() {
		if v.PropID() == prop("job", 1, "disabled") && string(v.Value) != "false" ||
			v.PropID() == prop("lamp", 0, "children") && string(v.Value) != `"idle"` ||
			v.PropID() == prop("bar", 1, "value") && string(v.Value) != "0" {
			t.Errorf("settled %s = %s, want the binding's value when not running", v.PropID(), v.Value)
		}
	}

	// Row 0's stop cancels row 0's job, and not row 1's.
	p.Update(set(prop("stop", 0, "n_clicks"), 1))
	p.waitFor(t, prop("job", 0, "disabled"), "false")
	p.waitFor(t, prop("bar", 0, "value"), "0") // the progress default
	if v, _ := p.Store().Get(prop("job", 1, "disabled")); string(v) != "true" {
		t.Fatalf("row 0's cancel reached row 1: its button is disabled = %s", v)
	}

	gate(3001) <- struct{}{}
	p.waitFor(t, prop("result", 1, "children"), `"row 1 done"`)
	p.waitFor(t, prop("job", 1, "disabled"), "false")
	p.waitFor(t, prop("lamp", 0, "children"), `"idle"`)
	if v, ok := p.Store().Get(prop("result", 0, "children")); ok {
		t.Fatalf("row 0's cancelled job set its result to %s", v)
	}
}

func TestPatternQueuedShowsTheWaitingInstance(t *testing.T) {
	ts := serve(t, server.Config{Managers: map[string]jobs.Manager{"": jobs.NewInProcess(jobs.Workers(1))}})
	p := &page{}
	p.Client, p.conn = openDash(t, ts.url, bindDash)
	wait := func(i int) runtime.PropID { return runtime.PropID{ID: rowID("wait", i), Prop: "children"} }
	for _, i := range []int{10, 11} {
		for _, kind := range []string{"job", "wait", "result"} {
			p.Store().Declare(rowID(kind, i))
		}
	}
	p.Start()

	p.Update(set(runtime.PropID{ID: rowID("job", 10), Prop: "n_clicks"}, 1))
	p.waitFor(t, wait(10), `""`) // running: not in the queue
	p.Update(set(runtime.PropID{ID: rowID("job", 11), Prop: "n_clicks"}, 1))
	p.waitFor(t, wait(11), `"1st in queue"`) // one worker, busy with row 10
	if v, _ := p.Store().Get(wait(10)); string(v) != `""` {
		t.Fatalf("row 10's place, running, shows %s", v)
	}

	gate(3010) <- struct{}{}
	p.waitFor(t, wait(11), `""`) // started
	gate(3011) <- struct{}{}
	p.waitFor(t, runtime.PropID{ID: rowID("result", 11), Prop: "children"}, `"row 11 done"`)
}
