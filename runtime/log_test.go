package runtime_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// tailReporter keeps the latest log tail a job reported, safe for the log's
// pacing timer.
type tailReporter struct {
	mu    sync.Mutex
	tails [][]string
}

func (r *tailReporter) Progress(p []protocol.PropValue) error {
	var lines []string
	json.Unmarshal(p[0].Value, &lines)
	r.mu.Lock()
	r.tails = append(r.tails, lines)
	r.mu.Unlock()
	return nil
}

func (r *tailReporter) SetProps([]protocol.PropValue) error { return nil }

func (r *tailReporter) latest() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.tails) == 0 {
		return nil
	}
	return r.tails[len(r.tails)-1]
}

func TestLogStreamsLinesAndEndsWithTheResult(t *testing.T) {
	out := runtime.NewProp[string](uniq("log-out"), "children")
	lines := runtime.NewProp[[]string](uniq("log"), "lines")
	in := runtime.NewProp[int](uniq("log-in"), "n_clicks")
	started := make(chan struct{})
	proceed := make(chan struct{})
	cb := dash.Callback(runtime.Outputs(out), runtime.Inputs(in), runtime.Background(), runtime.Logs(lines)).
		Handle(func(call *runtime.Call) error {
			call.Log("first")
			close(started)
			<-proceed
			call.Logf("second %d", 2)
			call.Logger().Info("third", "rows", 120)
			out.Set(call, "done")
			return nil
		})
	rep := &tailReporter{}
	done := make(chan runtime.Result)
	go func() { done <- cb.Invoke(context.Background(), runtime.Request{}, rep) }()
	<-started
	if got := rep.latest(); len(got) != 1 || got[0] != "first" {
		t.Fatalf("while running, the page has %q; want the first line at once", got)
	}
	close(proceed)
	res := <-done
	want := []string{"first", "second 2", `level=INFO msg=third rows=120`}
	if got := rep.latest(); !equalStrings(got, want) {
		t.Fatalf("last streamed tail %q, want %q", got, want)
	}
	var withResult []string
	for _, p := range res.Props {
		if p.PropID() == lines.PropID() {
			json.Unmarshal(p.Value, &withResult)
		}
	}
	if !equalStrings(withResult, want) {
		t.Fatalf("the result carries the log %q, want %q", withResult, want)
	}
}

func TestLogIsBoundedInLinesAndBytes(t *testing.T) {
	out := runtime.NewProp[string](uniq("log-out"), "children")
	lines := runtime.NewProp[[]string](uniq("log"), "lines")
	in := runtime.NewProp[int](uniq("log-in"), "n_clicks")
	cb := dash.Callback(runtime.Outputs(out), runtime.Inputs(in), runtime.Logs(lines)).
		Handle(func(call *runtime.Call) error {
			for i := range runtime.MaxLogLines + 10 {
				call.Logf("line %d", i)
			}
			call.Log(strings.Repeat("x", 5*runtime.MaxLogLine))
			return nil
		})
	res := invoke(cb, runtime.Request{})
	wantStatus(t, res, protocol.StatusOK)
	var got []string
	json.Unmarshal(res.Props[0].Value, &got)
	if len(got) != runtime.MaxLogLines+1 || got[0] != "… 11 earlier lines not shown" || got[1] != "line 11" {
		t.Fatalf("kept %d lines starting %q, %q; want the latest %d after a note of 11 dropped", len(got), got[0], got[1], runtime.MaxLogLines)
	}
	last := got[len(got)-1]
	if len(last) > runtime.MaxLogLine || !strings.HasSuffix(last, "…") {
		t.Fatalf("a long line kept %d bytes; want it clipped to %d", len(last), runtime.MaxLogLine)
	}
	total := 0
	for _, l := range got[1:] {
		total += len(l)
	}
	if total > runtime.MaxLogBytes {
		t.Fatalf("the log holds %d bytes, over %d", total, runtime.MaxLogBytes)
	}
}

// Lines logged in a burst reach the page as a few reports, not one each.
func TestLogPacesABurst(t *testing.T) {
	out := runtime.NewProp[string](uniq("log-out"), "children")
	lines := runtime.NewProp[[]string](uniq("log"), "lines")
	in := runtime.NewProp[int](uniq("log-in"), "n_clicks")
	cb := dash.Callback(runtime.Outputs(out), runtime.Inputs(in), runtime.Background(), runtime.Logs(lines)).
		Handle(func(call *runtime.Call) error {
			for i := range 1000 {
				call.Logf("line %d", i)
			}
			return nil
		})
	rep := &tailReporter{}
	began := time.Now()
	cb.Invoke(context.Background(), runtime.Request{}, rep)
	windows := int(time.Since(began)/runtime.LogEvery) + 2
	rep.mu.Lock()
	defer rep.mu.Unlock()
	if n := len(rep.tails); n > windows {
		t.Fatalf("1000 lines made %d reports; want at most one per %s (%d)", n, runtime.LogEvery, windows)
	}
	if last := rep.tails[len(rep.tails)-1]; last[len(last)-1] != "line 999" {
		t.Fatalf("the last report ends with %q, want the last line", last[len(last)-1])
	}
}
