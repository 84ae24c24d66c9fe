package runtime_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

func TestRetriesRunAgainUntilTheHandlerSucceeds(t *testing.T) {
	out := runtime.NewProp[int](uniq("retry-out"), "children")
	text := runtime.NewProp[string](uniq("retry-text"), "children")
	in := runtime.NewProp[int](uniq("retry-in"), "n_clicks")
	var attempts []int
	cb := dash.Callback(runtime.Outputs(out), runtime.Inputs(in), runtime.Background(),
		runtime.Retries(3, time.Millisecond), runtime.RetryText(text)).
		Handle(func(call *runtime.Call) error {
			attempts = append(attempts, call.Attempt())
			out.Set(call, call.Attempt())
			if call.Attempt() < 3 {
				return runtime.Retryable(errors.New("flaky"))
			}
			return nil
		})
	rep := &reporter{}
	res := cb.Invoke(context.Background(), runtime.Request{}, rep)
	wantStatus(t, res, protocol.StatusOK)
	if len(attempts) != 3 || string(res.Props[0].Value) != "3" {
		t.Fatalf("attempts %v, result %s; want 3 runs and the last run's output", attempts, res.Props)
	}
	var told []string
	for _, p := range rep.progress {
		told = append(told, string(p[0].Value))
	}
	if want := []string{`"retry 1 of 3"`, `"retry 2 of 3"`}; !equalStrings(told, want) {
		t.Fatalf("retry text told %v, want %v", told, want)
	}
	spec := cb.Spec()
	if i := indexOf(spec.Progress, text.PropID()); i < 0 || string(spec.ProgressDefault[i]) != `""` {
		t.Fatalf("RetryText is not a Progress prop with default \"\": %v %s", spec.Progress, spec.ProgressDefault)
	}
}

func TestRetriesSkipErrorsNotMarkedRetryable(t *testing.T) {
	out := runtime.NewProp[int](uniq("retry-out"), "children")
	in := runtime.NewProp[int](uniq("retry-in"), "n_clicks")
	runs := 0
	cb := dash.Callback(runtime.Outputs(out), runtime.Inputs(in), runtime.Retries(3, time.Millisecond)).
		Handle(func(call *runtime.Call) error { runs++; return errors.New("permanent") })
	res := invoke(cb, runtime.Request{})
	wantStatus(t, res, protocol.StatusError)
	if runs != 1 {
		t.Fatalf("ran %d times; an error not marked Retryable must not be retried", runs)
	}
}

func TestRetryAnyRetriesEveryFailureUpToTheLimit(t *testing.T) {
	out := runtime.NewProp[int](uniq("retry-out"), "children")
	in := runtime.NewProp[int](uniq("retry-in"), "n_clicks")
	runs := 0
	cb := dash.Callback(runtime.Outputs(out), runtime.Inputs(in), runtime.Retries(2, 0), runtime.RetryAny()).
		Handle(func(call *runtime.Call) error { runs++; panic("boom") })
	res := invoke(cb, runtime.Request{})
	if res.Status != protocol.StatusError || res.Err.Code != protocol.CodePanic || runs != 3 {
		t.Fatalf("ran %d times, ended %s %v; want 3 runs ending in the last panic", runs, res.Status, res.Err)
	}
}

// A job cancelled while it waits to retry ends at once, not after the backoff.
func TestRetryBackoffEndsWithTheCall(t *testing.T) {
	out := runtime.NewProp[int](uniq("retry-out"), "children")
	text := runtime.NewProp[string](uniq("retry-text"), "children")
	in := runtime.NewProp[int](uniq("retry-in"), "n_clicks")
	ctx, cancel := context.WithCancel(context.Background())
	runs := 0
	cb := dash.Callback(runtime.Outputs(out), runtime.Inputs(in), runtime.Background(),
		runtime.Retries(1, time.Hour), runtime.RetryAny(), runtime.RetryText(text)).
		Handle(func(call *runtime.Call) error { runs++; return errors.New("fails") })
	rep := cancelOnProgress{cancel}
	wantStatus(t, cb.Invoke(ctx, runtime.Request{}, rep), protocol.StatusCancelled)
	if runs != 1 {
		t.Fatalf("ran %d times after a cancel in the backoff", runs)
	}
}

// cancelOnProgress cancels the call when told its retry: while it waits.
type cancelOnProgress struct{ cancel func() }

func (c cancelOnProgress) Progress([]protocol.PropValue) error { c.cancel(); return nil }
func (c cancelOnProgress) SetProps([]protocol.PropValue) error { return nil }

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func indexOf(props []runtime.PropID, p runtime.PropID) int {
	for i, q := range props {
		if q == p {
			return i
		}
	}
	return -1
}
