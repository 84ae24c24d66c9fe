package runtime_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// One dashboard for the whole file; component ids are unique per callback so
// that -count=N in one process never declares an output twice.
const dashName = "rttest"

var (
	dash = runtime.NewDashboard(dashName)
	seq  atomic.Int64
)

func uniq(base string) string { return fmt.Sprintf("%s-%d", base, seq.Add(1)) }

func val(id runtime.PropID, raw string) protocol.PropValue {
	pv := protocol.PropValue{ID: id.ID, Prop: id.Prop}
	if raw != "" {
		pv.Value = json.RawMessage(raw)
	}
	return pv
}

func invoke(cb *runtime.Callback, req runtime.Request) runtime.Result {
	return cb.Invoke(context.Background(), req, nil)
}

// reporter records what a background handler reports.
type reporter struct {
	progress [][]protocol.PropValue
	setProps [][]protocol.PropValue
}

func (r *reporter) Progress(p []protocol.PropValue) error {
	r.progress = append(r.progress, p)
	return nil
}

func (r *reporter) SetProps(p []protocol.PropValue) error {
	r.setProps = append(r.setProps, p)
	return nil
}

func wantStatus(t *testing.T, res runtime.Result, want protocol.Status) {
	t.Helper()
	if res.Status != want {
		t.Fatalf("status = %s (err %v), want %s", res.Status, res.Err, want)
	}
}

func wantError(t *testing.T, res runtime.Result, code string, mentions ...string) {
	t.Helper()
	if res.Status != protocol.StatusError || res.Err == nil {
		t.Fatalf("result = %+v, want an error with code %s", res, code)
	}
	if res.Err.Code != code {
		t.Errorf("code = %q (%s), want %q", res.Err.Code, res.Err.Message, code)
	}
	for _, m := range mentions {
		if !strings.Contains(res.Err.Message, m) {
			t.Errorf("message %q does not mention %q", res.Err.Message, m)
		}
	}
	if len(res.Props) != 0 {
		t.Errorf("an error result carries props %v", res.Props)
	}
}

func propsMap(props []protocol.PropValue) map[string]string {
	m := map[string]string{}
	for _, p := range props {
		m[p.PropID().String()] = string(p.Value)
	}
	return m
}

type point struct {
	X, Y int
}

func TestPropGetDecoding(t *testing.T) {
	c := uniq("get")
	var (
		num    = runtime.NewProp[int](c+"-num", "value")
		text   = runtime.NewProp[string](c+"-text", "value")
		pt     = runtime.NewProp[point](c+"-pt", "data")
		list   = runtime.NewProp[[]string](c+"-list", "options")
		null   = runtime.NewProp[int](c+"-null", "value")
		ptr    = runtime.NewProp[*int](c+"-ptr", "value")
		nilRaw = runtime.NewProp[string](c+"-nil", "value")
		absent = runtime.NewProp[float64](c+"-absent", "value")
		state  = runtime.NewProp[bool](c+"-state", "checked")
		out    = runtime.NewProp[string](c+"-out", "children")
	)
	type got struct {
		num    int
		text   string
		pt     point
		list   []string
		null   int
		ptr    *int
		nilRaw string
		absent float64
		state  bool
	}
	var g got
	cb := dash.Callback(
		runtime.Outputs(out),
		runtime.Inputs(num, text, pt, list, null, ptr, nilRaw, absent),
		runtime.States(state),
	).Handle(func(call *runtime.Call) error {
		g = got{num.Get(call), text.Get(call), pt.Get(call), list.Get(call), null.Get(call),
			ptr.Get(call), nilRaw.Get(call), absent.Get(call), state.Get(call)}
		out.Set(call, "read")
		return nil
	})
	res := invoke(cb, runtime.Request{
		Inputs: []protocol.PropValue{
			val(num.PropID(), "42"),
			val(text.PropID(), `"hello"`),
			val(pt.PropID(), `{"X":1,"Y":2}`),
			val(list.PropID(), `["a","b"]`),
			val(null.PropID(), "null"),
			val(ptr.PropID(), "null"),
			val(nilRaw.PropID(), ""), // a nil Value is JSON null
			// absent is declared but not sent: it reads as null.
			val(runtime.NewProp[int](c+"-undeclared", "value").PropID(), `"ignored"`),
		},
		States: []protocol.PropValue{val(state.PropID(), "true")},
	})
	wantStatus(t, res, protocol.StatusOK)
	want := got{num: 42, text: "hello", pt: point{1, 2}, list: []string{"a", "b"}, state: true}
	if !reflect.DeepEqual(g, want) {
		t.Errorf("values = %+v, want %+v", g, want)
	}
}

func TestPropGetWrongType(t *testing.T) {
	c := uniq("bad")
	in := runtime.NewProp[int](c+"-in", "value")
	out := runtime.NewProp[string](c+"-out", "children")
	var seen = -1
	cb := dash.Callback(runtime.Outputs(out), runtime.Inputs(in)).Handle(func(call *runtime.Call) error {
		seen = in.Get(call)
		out.Set(call, "should not be sent")
		return nil
	})
	res := invoke(cb, runtime.Request{Inputs: []protocol.PropValue{val(in.PropID(), `"not a number"`)}})
	wantError(t, res, protocol.CodeBadInput, in.String())
	if seen != 0 {
		t.Errorf("the handler got %d, want the zero value", seen)
	}

	// A state of the wrong type too.
	st := runtime.NewProp[[]int](c+"-st", "data")
	out2 := runtime.NewProp[string](c+"-out2", "children")
	cb2 := dash.Callback(runtime.Outputs(out2), runtime.Inputs(in), runtime.States(st)).Handle(func(call *runtime.Call) error {
		st.Get(call)
		return nil
	})
	res = invoke(cb2, runtime.Request{States: []protocol.PropValue{val(st.PropID(), `{"a":1}`)}})
	wantError(t, res, protocol.CodeBadInput, st.String())
}

func TestPropGetUndeclared(t *testing.T) {
	c := uniq("undecl")
	in := runtime.NewProp[int](c+"-in", "value")
	other := runtime.NewProp[int](c+"-other", "value")
	out := runtime.NewProp[int](c+"-out", "children")
	cb := dash.Callback(runtime.Outputs(out), runtime.Inputs(in)).Handle(func(call *runtime.Call) error {
		other.Get(call)
		return nil
	})
	res := invoke(cb, runtime.Request{Inputs: []protocol.PropValue{val(other.PropID(), "1")}})
	if res.Status != protocol.StatusError || res.Err == nil || !strings.Contains(res.Err.Message, other.String()) {
		t.Errorf("Get of a prop that is not an input or state = %+v, want an error naming %s", res, other)
	}
}

func TestOutputsNotSetAreAbsent(t *testing.T) {
	c := uniq("outs")
	in := runtime.NewProp[int](c+"-in", "n_clicks")
	a := runtime.NewProp[string](c+"-a", "children")
	b := runtime.NewProp[[]int](c+"-b", "data")
	d := runtime.NewProp[bool](c+"-d", "hidden")
	cb := dash.Callback(runtime.Outputs(a, b, d), runtime.Inputs(in)).Handle(func(call *runtime.Call) error {
		b.Set(call, []int{1, 2})
		if in.Get(call) > 1 {
			d.Set(call, false)
		}
		return nil
	})
	res := invoke(cb, runtime.Request{Inputs: []protocol.PropValue{val(in.PropID(), "1")}})
	wantStatus(t, res, protocol.StatusOK)
	if got, want := propsMap(res.Props), map[string]string{b.String(): "[1,2]"}; !reflect.DeepEqual(got, want) {
		t.Errorf("props = %v, want %v", got, want)
	}
	res = invoke(cb, runtime.Request{Inputs: []protocol.PropValue{val(in.PropID(), "2")}})
	if got, want := propsMap(res.Props), map[string]string{b.String(): "[1,2]", d.String(): "false"}; !reflect.DeepEqual(got, want) {
		t.Errorf("props = %v, want %v", got, want)
	}
}

func TestPreventUpdate(t *testing.T) {
	c := uniq("prevent")
	in := runtime.NewProp[int](c+"-in", "n_clicks")
	out := runtime.NewProp[string](c+"-out", "children")
	cb := dash.Callback(runtime.Outputs(out), runtime.Inputs(in)).Handle(func(call *runtime.Call) error {
		out.Set(call, "discarded")
		if in.Get(call) == 1 {
			return runtime.ErrPreventUpdate
		}
		return fmt.Errorf("nothing to do: %w", runtime.ErrPreventUpdate)
	})
	for _, n := range []string{"1", "2"} {
		res := invoke(cb, runtime.Request{Inputs: []protocol.PropValue{val(in.PropID(), n)}})
		wantStatus(t, res, protocol.StatusPrevented)
		if len(res.Props) != 0 || res.Err != nil {
			t.Errorf("prevented result carries %+v", res)
		}
	}
}

func TestSetNonOutput(t *testing.T) {
	c := uniq("setbad")
	in := runtime.NewProp[int](c+"-in", "n_clicks")
	out := runtime.NewProp[string](c+"-out", "children")
	stranger := runtime.NewProp[string](c+"-stranger", "children")
	cb := dash.Callback(runtime.Outputs(out), runtime.Inputs(in)).Handle(func(call *runtime.Call) error {
		out.Set(call, "fine")
		stranger.Set(call, "not mine")
		return nil
	})
	res := invoke(cb, runtime.Request{})
	if res.Status != protocol.StatusError || res.Err == nil || !strings.Contains(res.Err.Message, stranger.String()) {
		t.Errorf("Set of a non-output = %+v, want an error naming %s", res, stranger)
	}

	// Setting an input is refused the same way.
	out2 := runtime.NewProp[int](c+"-out2", "children")
	cb2 := dash.Callback(runtime.Outputs(out2), runtime.Inputs(in)).Handle(func(call *runtime.Call) error {
		in.Set(call, 5)
		return nil
	})
	if res := invoke(cb2, runtime.Request{}); res.Status != protocol.StatusError {
		t.Errorf("Set of an input = %+v, want an error", res)
	}
}

func TestProgressInOrdinaryCallback(t *testing.T) {
	c := uniq("ordprog")
	in := runtime.NewProp[int](c+"-in", "n_clicks")
	out := runtime.NewProp[string](c+"-out", "children")
	bar := runtime.NewProp[int](c+"-bar", "value")
	var perr error
	cb := dash.Callback(runtime.Outputs(out), runtime.Inputs(in)).Handle(func(call *runtime.Call) error {
		perr = call.Progress(bar.Is(1))
		out.Set(call, "ok")
		return nil
	})
	res := invoke(cb, runtime.Request{})
	wantStatus(t, res, protocol.StatusOK)
	if !errors.Is(perr, runtime.ErrNotBackground) {
		t.Errorf("Progress in an ordinary callback = %v, want ErrNotBackground", perr)
	}
}

func TestProgressInBackgroundCallback(t *testing.T) {
	c := uniq("bgprog")
	in := runtime.NewProp[int](c+"-in", "n_clicks")
	out := runtime.NewProp[string](c+"-out", "children")
	bar := runtime.NewProp[int](c+"-bar", "value")
	label := runtime.NewProp[string](c+"-label", "children")
	stranger := runtime.NewProp[int](c+"-stranger", "value")
	var errs []error
	cb := dash.Callback(
		runtime.Outputs(out), runtime.Inputs(in),
		runtime.Background(), runtime.Progress(bar, label),
	).Handle(func(call *runtime.Call) error {
		errs = append(errs,
			call.Progress(stranger.Is(1)),              // not a Progress prop
			call.Progress(bar.Is(1), stranger.Is(2)),   // one bad prop spoils the report
			call.Progress(bar.Is(3), label.NoUpdate()), // NoUpdate is left out
			call.Progress(out.Is("outputs are not progress")),
		)
		return nil
	})
	rep := &reporter{}
	res := cb.Invoke(context.Background(), runtime.Request{}, rep)
	wantStatus(t, res, protocol.StatusOK)
	for i, mention := range []string{stranger.String(), stranger.String(), "", out.String()} {
		if mention == "" {
			if errs[i] != nil {
				t.Errorf("report %d: %v", i, errs[i])
			}
			continue
		}
		if errs[i] == nil || !strings.Contains(errs[i].Error(), mention) {
			t.Errorf("report %d = %v, want an error naming %s", i, errs[i], mention)
		}
	}
	if len(rep.progress) != 1 {
		t.Fatalf("reporter got %d progress reports, want 1: %v", len(rep.progress), rep.progress)
	}
	if got, want := propsMap(rep.progress[0]), map[string]string{bar.String(): "3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("progress = %v, want %v", got, want)
	}

	// A nil reporter (the callback invoked outside a job) also refuses.
	var perr error
	cb2 := dash.Callback(
		runtime.Outputs(runtime.NewProp[int](c+"-out2", "children")), runtime.Inputs(in),
		runtime.Background(), runtime.Progress(runtime.NewProp[int](c+"-bar2", "value")),
	).Handle(func(call *runtime.Call) error {
		perr = call.Progress(runtime.NewProp[int](c+"-bar2", "value").Is(1))
		return nil
	})
	invoke(cb2, runtime.Request{})
	if !errors.Is(perr, runtime.ErrNotBackground) {
		t.Errorf("Progress with no reporter = %v, want ErrNotBackground", perr)
	}
}

func TestProgressAfterCancel(t *testing.T) {
	c := uniq("cancelprog")
	in := runtime.NewProp[int](c+"-in", "n_clicks")
	out := runtime.NewProp[string](c+"-out", "children")
	bar := runtime.NewProp[int](c+"-bar", "value")
	ctx, cancel := context.WithCancel(context.Background())
	var perr, serr error
	cb := dash.Callback(
		runtime.Outputs(out), runtime.Inputs(in),
		runtime.Background(), runtime.Progress(bar),
	).Handle(func(call *runtime.Call) error {
		cancel()
		perr = call.Progress(bar.Is(1))
		serr = call.SetProps(out.Is("x"))
		out.Set(call, "too late")
		return nil
	})
	rep := &reporter{}
	res := cb.Invoke(ctx, runtime.Request{}, rep)
	wantStatus(t, res, protocol.StatusCancelled)
	if perr == nil || serr == nil {
		t.Errorf("after cancel: Progress = %v, SetProps = %v; want errors", perr, serr)
	}
	if len(rep.progress)+len(rep.setProps) != 0 {
		t.Errorf("reports reached the reporter after cancel: %v %v", rep.progress, rep.setProps)
	}
}

func TestSetProps(t *testing.T) {
	c := uniq("setprops")
	in := runtime.NewProp[int](c+"-in", "n_clicks")
	out := runtime.NewProp[string](c+"-out", "children")
	side := runtime.NewProp[string](c+"-side", "children")
	ordinary := dash.Callback(runtime.Outputs(out), runtime.Inputs(in)).Handle(func(call *runtime.Call) error {
		out.Set(call, "o")
		return call.SetProps(side.Is("s"))
	})
	res := invoke(ordinary, runtime.Request{})
	wantStatus(t, res, protocol.StatusOK)
	if got, want := propsMap(res.Props), map[string]string{out.String(): `"o"`, side.String(): `"s"`}; !reflect.DeepEqual(got, want) {
		t.Errorf("ordinary callback props = %v, want %v", got, want)
	}

	out2 := runtime.NewProp[string](c+"-out2", "children")
	bg := dash.Callback(runtime.Outputs(out2), runtime.Inputs(in), runtime.Background()).Handle(func(call *runtime.Call) error {
		out2.Set(call, "o")
		return call.SetProps(side.Is("s"))
	})
	rep := &reporter{}
	res = bg.Invoke(context.Background(), runtime.Request{}, rep)
	wantStatus(t, res, protocol.StatusOK)
	if got, want := propsMap(res.Props), map[string]string{out2.String(): `"o"`}; !reflect.DeepEqual(got, want) {
		t.Errorf("background result props = %v, want %v", got, want)
	}
	if len(rep.setProps) != 1 || propsMap(rep.setProps[0])[side.String()] != `"s"` {
		t.Errorf("reporter set_props = %v", rep.setProps)
	}
}

func TestTriggered(t *testing.T) {
	c := uniq("trig")
	a := runtime.NewProp[int](c+"-a", "n_clicks")
	b := runtime.NewProp[int](c+"-b", "n_clicks")
	out := runtime.NewProp[string](c+"-out", "children")
	var id string
	var list []runtime.PropID
	cb := dash.Callback(runtime.Outputs(out), runtime.Inputs(a, b)).Handle(func(call *runtime.Call) error {
		id, list = call.TriggeredID(), call.Triggered()
		return nil
	})
	invoke(cb, runtime.Request{Triggered: []runtime.PropID{b.PropID(), a.PropID()}})
	if id != c+"-b" {
		t.Errorf("TriggeredID = %q, want %q", id, c+"-b")
	}
	if !reflect.DeepEqual(list, []runtime.PropID{b.PropID(), a.PropID()}) {
		t.Errorf("Triggered = %v", list)
	}
	invoke(cb, runtime.Request{})
	if id != "" || len(list) != 0 {
		t.Errorf("initial call: TriggeredID = %q, Triggered = %v; want empty", id, list)
	}
}

func TestInvokeOutcomes(t *testing.T) {
	c := uniq("outcome")
	in := runtime.NewProp[string](c+"-in", "value")
	out := runtime.NewProp[string](c+"-out", "children")
	cb := dash.Callback(runtime.Outputs(out), runtime.Inputs(in)).Handle(func(call *runtime.Call) error {
		switch v := in.Get(call); v {
		case "panic":
			panic("the sky fell")
		case "fail":
			return errors.New("no good")
		case "coded":
			return &protocol.Error{Code: "mine", Message: "custom"}
		case "wait":
			<-call.Context().Done()
			return call.Context().Err()
		default:
			out.Set(call, v)
			return nil
		}
	})
	req := func(v string) runtime.Request {
		return runtime.Request{Inputs: []protocol.PropValue{val(in.PropID(), `"`+v+`"`)}}
	}

	res := invoke(cb, req("panic"))
	wantError(t, res, protocol.CodePanic, "the sky fell")
	if len(res.Stack) == 0 {
		t.Error("a panic result has no stack")
	}
	wantError(t, invoke(cb, req("fail")), protocol.CodeHandler, "no good", cb.ID())
	wantError(t, invoke(cb, req("coded")), "mine", "custom")

	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	wantStatus(t, cb.Invoke(ctx, req("wait"), nil), protocol.StatusCancelled)

	res = invoke(cb, req("fine"))
	wantStatus(t, res, protocol.StatusOK)
	if got := propsMap(res.Props); got[out.String()] != `"fine"` {
		t.Errorf("props = %v", got)
	}

	// Without a handler the call fails instead of crashing.
	bare := dash.Callback(runtime.Outputs(runtime.NewProp[int](c+"-bare", "children")), runtime.Inputs(in))
	wantError(t, invoke(bare, req("x")), protocol.CodeInternal, bare.ID())
}

// mustPanic runs f and returns the panic's message, failing if f returns.
func mustPanic(t *testing.T, what string, f func()) (msg string) {
	t.Helper()
	defer func() {
		v := recover()
		if v == nil {
			t.Errorf("%s did not panic", what)
			return
		}
		msg = fmt.Sprint(v)
	}()
	f()
	return ""
}

func TestCallbackDeclarationPanics(t *testing.T) {
	c := uniq("panics")
	in := runtime.NewProp[int](c+"-in", "n_clicks")
	out := runtime.NewProp[string](c+"-out", "children")
	bar := runtime.NewProp[int](c+"-bar", "value")
	other := runtime.NewProp[int](c+"-other", "value")
	busy := runtime.NewProp[bool](c+"-busy", "disabled")

	cases := []struct {
		name     string
		opts     []runtime.Option
		mentions []string
	}{
		{"no inputs", []runtime.Option{runtime.Outputs(runtime.NewProp[int](c+"-o1", "children"))}, []string{"no inputs", dashName}},
		{"running without background", []runtime.Option{runtime.Outputs(runtime.NewProp[int](c+"-o2", "children")), runtime.Inputs(in), runtime.Running(busy, true, false)}, []string{"Background"}},
		{"progress without background", []runtime.Option{runtime.Outputs(runtime.NewProp[int](c+"-o3", "children")), runtime.Inputs(in), runtime.Progress(bar)}, []string{"Background"}},
		{"cancel without background", []runtime.Option{runtime.Outputs(runtime.NewProp[int](c+"-o4", "children")), runtime.Inputs(in), runtime.Cancel(other)}, []string{"Background"}},
		{"progress default not in progress", []runtime.Option{runtime.Outputs(runtime.NewProp[int](c+"-o5", "children")), runtime.Inputs(in), runtime.Background(), runtime.Progress(bar), runtime.ProgressDefault(bar.Is(0), other.Is(1))}, []string{other.String()}},
		{"progress default without progress", []runtime.Option{runtime.Outputs(runtime.NewProp[int](c+"-o6", "children")), runtime.Inputs(in), runtime.Background(), runtime.ProgressDefault(bar.Is(0))}, []string{bar.String()}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			msg := mustPanic(t, tc.name, func() { dash.Callback(tc.opts...) })
			for _, m := range tc.mentions {
				if !strings.Contains(msg, m) {
					t.Errorf("panic %q does not mention %q", msg, m)
				}
			}
		})
	}

	t.Run("output of two callbacks", func(t *testing.T) {
		first := dash.Callback(runtime.Outputs(out), runtime.Inputs(in))
		msg := mustPanic(t, "a second writer", func() {
			dash.Callback(runtime.Outputs(runtime.NewProp[int](c+"-fresh", "children"), out), runtime.Inputs(other))
		})
		for _, m := range []string{out.String(), first.ID()} {
			if !strings.Contains(msg, m) {
				t.Errorf("panic %q does not mention %q", msg, m)
			}
		}
		// Another dashboard may use the same output.
		d2 := runtime.NewDashboard(uniq("rttest-second"))
		d2.Callback(runtime.Outputs(out), runtime.Inputs(in))
	})

	t.Run("background options are fine with Background", func(t *testing.T) {
		cb := dash.Callback(
			runtime.Outputs(runtime.NewProp[int](c+"-okbg", "children")), runtime.Inputs(in), runtime.Background(),
			runtime.Running(busy, true, false), runtime.Cancel(other), runtime.Progress(bar),
			runtime.Timeout(time.Minute), runtime.Manager("redis"), runtime.PreventInitialCall(),
		)
		s := cb.Spec()
		if !s.Background || !s.PreventInitialCall || s.Timeout != time.Minute || s.Manager != "redis" {
			t.Errorf("spec = %+v", s)
		}
		if len(s.Running) != 1 || string(s.Running[0].During) != "true" || string(s.Running[0].After) != "false" || s.Running[0].Prop != busy.PropID() {
			t.Errorf("running = %+v", s.Running)
		}
		if !s.IsCancel(other.PropID()) || s.IsCancel(in.PropID()) || !s.IsInput(in.PropID()) || s.IsInput(other.PropID()) {
			t.Error("IsCancel / IsInput disagree with the declaration")
		}
	})

	t.Run("dashboard declared twice", func(t *testing.T) {
		msg := mustPanic(t, "a duplicate dashboard", func() { runtime.NewDashboard(dashName) })
		if !strings.Contains(msg, dashName) {
			t.Errorf("panic %q does not name the dashboard", msg)
		}
	})

	t.Run("handler attached twice", func(t *testing.T) {
		cb := dash.Callback(runtime.Outputs(runtime.NewProp[int](c+"-twice", "children")), runtime.Inputs(in)).
			Handle(func(*runtime.Call) error { return nil })
		mustPanic(t, "a second Handle", func() { cb.Handle(func(*runtime.Call) error { return nil }) })
	})

	t.Run("prop without names", func(t *testing.T) {
		mustPanic(t, "NewProp with no component", func() { runtime.NewProp[int]("", "value") })
		mustPanic(t, "NewProp with no property", func() { runtime.NewProp[int]("x", "") })
	})
}

func TestCallbackIDs(t *testing.T) {
	c := uniq("ids")
	in := runtime.NewProp[int](c+"-in", "n_clicks")
	one := dash.Callback(runtime.Outputs(runtime.NewProp[string](c+"-out", "children")), runtime.Inputs(in))
	if want := dashName + ":" + c + "-out.children"; one.ID() != want {
		t.Errorf("one output: ID = %q, want %q", one.ID(), want)
	}
	if one.Spec().ID != one.ID() {
		t.Errorf("Spec().ID = %q, ID() = %q", one.Spec().ID, one.ID())
	}
	several := dash.Callback(
		runtime.Outputs(runtime.NewProp[string](c+"-a", "b"), runtime.NewProp[string](c+"-c", "d")),
		runtime.Inputs(in),
	)
	if want := dashName + ":.." + c + "-a.b..." + c + "-c.d.."; several.ID() != want {
		t.Errorf("several outputs: ID = %q, want %q", several.ID(), want)
	}
	// With no outputs the inputs name the callback, apart from output ids.
	x := runtime.NewProp[int](c+"-x", "value")
	none := dash.Callback(runtime.Inputs(x))
	if want := dashName + ":in(" + c + "-x.value)"; none.ID() != want {
		t.Errorf("no outputs: ID = %q, want %q", none.ID(), want)
	}
	// A no-output callback on a prop that is another callback's output keeps
	// its own identity; a second no-output callback on the same inputs is
	// refused instead of silently replacing the first.
	shared := runtime.NewProp[string](c+"-shared", "children")
	writer := dash.Callback(runtime.Outputs(shared), runtime.Inputs(in))
	reader := dash.Callback(runtime.Inputs(shared))
	if writer.ID() == reader.ID() {
		t.Fatalf("two callbacks share the id %s", writer.ID())
	}
	if got, _ := runtime.Lookup(writer.ID()); got != writer {
		t.Fatalf("Lookup(%s) found another callback", writer.ID())
	}
	msg := mustPanic(t, "a second no-output callback on the same inputs", func() { dash.Callback(runtime.Inputs(shared)) })
	if !strings.Contains(msg, reader.ID()) {
		t.Errorf("panic %q does not name %s", msg, reader.ID())
	}
}

func TestBadInputOutranksTheHandlersReturn(t *testing.T) {
	c := uniq("badin")
	in := runtime.NewProp[int](c+"-in", "value")
	out := runtime.NewProp[int](c+"-out", "children")
	cb := dash.Callback(runtime.Outputs(out), runtime.Inputs(in)).Handle(func(call *runtime.Call) error {
		if in.Get(call) == 0 {
			return runtime.ErrPreventUpdate // what a handler does with the zero value
		}
		return nil
	})
	res := invoke(cb, runtime.Request{Inputs: []protocol.PropValue{{ID: c + "-in", Prop: "value", Value: []byte(`"seven"`)}}})
	wantError(t, res, protocol.CodeBadInput, in.String())
}

func TestOutputSetTwiceKeepsTheLastValue(t *testing.T) {
	c := uniq("twice")
	in := runtime.NewProp[int](c+"-in", "value")
	out := runtime.NewProp[int](c+"-out", "children")
	cb := dash.Callback(runtime.Outputs(out), runtime.Inputs(in)).Handle(func(call *runtime.Call) error {
		out.Set(call, 1)
		out.Set(call, 2)
		return nil
	})
	res := invoke(cb, runtime.Request{})
	wantStatus(t, res, protocol.StatusOK)
	if len(res.Props) != 1 || string(res.Props[0].Value) != "2" {
		t.Fatalf("props = %v, want the one output with 2", propsMap(res.Props))
	}
}

func TestProgressDefaultAligned(t *testing.T) {
	c := uniq("pdef")
	in := runtime.NewProp[int](c+"-in", "n_clicks")
	p1 := runtime.NewProp[string](c+"-p1", "children")
	p2 := runtime.NewProp[int](c+"-p2", "value")
	p3 := runtime.NewProp[[]int](c+"-p3", "data")
	cb := dash.Callback(
		runtime.Outputs(runtime.NewProp[int](c+"-out", "children")), runtime.Inputs(in),
		runtime.Background(),
		runtime.ProgressDefault(p3.Is([]int{3}), p1.Is("idle")), // before Progress, out of order
		runtime.Progress(p1, p2, p3),
	)
	got := cb.Spec().ProgressDefault
	if len(got) != 3 {
		t.Fatalf("ProgressDefault = %q, want 3 entries", got)
	}
	if string(got[0]) != `"idle"` || got[1] != nil || string(got[2]) != "[3]" {
		t.Errorf("ProgressDefault = %q, want [\"idle\" <nil> [3]]", got)
	}

	none := dash.Callback(
		runtime.Outputs(runtime.NewProp[int](c+"-out2", "children")), runtime.Inputs(in),
		runtime.Background(), runtime.Progress(runtime.NewProp[int](c+"-q", "value")),
	)
	if got := none.Spec().ProgressDefault; len(got) != 1 || got[0] != nil {
		t.Errorf("ProgressDefault without defaults = %q, want [nil]", got)
	}
}

func TestLookupAndRegistry(t *testing.T) {
	c := uniq("lookup")
	in := runtime.NewProp[int](c+"-in", "n_clicks")
	a := dash.Callback(runtime.Outputs(runtime.NewProp[int](c+"-a", "children")), runtime.Inputs(in))
	b := dash.Callback(runtime.Outputs(runtime.NewProp[int](c+"-b", "children")), runtime.Inputs(in))
	for _, cb := range []*runtime.Callback{a, b} {
		got, ok := runtime.Lookup(cb.ID())
		if !ok || got != cb {
			t.Errorf("Lookup(%q) = %p, %v; want %p", cb.ID(), got, ok, cb)
		}
	}
	if _, ok := runtime.Lookup(dashName + ":" + c + "-nothing.children"); ok {
		t.Error("Lookup of an undeclared id succeeded")
	}

	cbs := dash.Callbacks()
	ia, ib := -1, -1
	for i, cb := range cbs {
		switch cb {
		case a:
			ia = i
		case b:
			ib = i
		}
	}
	if ia < 0 || ib < 0 || ia > ib {
		t.Errorf("Callbacks: a at %d, b at %d; want both, in declaration order", ia, ib)
	}

	if dash.Name() != dashName {
		t.Errorf("Name = %q", dash.Name())
	}
	found := false
	ds := runtime.Dashboards()
	for i, d := range ds {
		if d == dash {
			found = true
		}
		if i > 0 && ds[i-1].Name() >= d.Name() {
			t.Errorf("Dashboards not sorted: %q before %q", ds[i-1].Name(), d.Name())
		}
	}
	if !found {
		t.Error("Dashboards does not list the test dashboard")
	}

	d2 := runtime.NewDashboard(uniq("rttest-mgr"), runtime.DefaultManager("slow"))
	cb := d2.Callback(runtime.Outputs(runtime.NewProp[int](c+"-m", "children")), runtime.Inputs(in), runtime.Background())
	if cb.Spec().Manager != "slow" {
		t.Errorf("Manager = %q, want the dashboard default", cb.Spec().Manager)
	}
	cb = d2.Callback(runtime.Outputs(runtime.NewProp[int](c+"-n", "children")), runtime.Inputs(in), runtime.Background(), runtime.Manager("fast"))
	if cb.Spec().Manager != "fast" {
		t.Errorf("Manager = %q, want the callback's own", cb.Spec().Manager)
	}
}

func TestValueAndProp(t *testing.T) {
	p := runtime.NewProp[int]("slider", "value")
	if p.String() != "slider.value" || p.PropID() != (runtime.PropID{ID: "slider", Prop: "value"}) {
		t.Errorf("prop = %s / %+v", p, p.PropID())
	}
	if v := p.Is(3); v.PropID() != p.PropID() {
		t.Errorf("Is(3).PropID() = %v", v.PropID())
	}
	if v := p.NoUpdate(); v.PropID() != p.PropID() {
		t.Errorf("NoUpdate().PropID() = %v", v.PropID())
	}
	// A value that cannot be encoded fails the call rather than sending junk.
	c := uniq("enc")
	in := runtime.NewProp[int](c+"-in", "n_clicks")
	out := runtime.NewProp[func()](c+"-out", "children")
	cb := dash.Callback(runtime.Outputs(out), runtime.Inputs(in)).Handle(func(call *runtime.Call) error {
		out.Set(call, func() {})
		return nil
	})
	if res := invoke(cb, runtime.Request{}); res.Status != protocol.StatusError || !strings.Contains(res.Err.Message, out.String()) {
		t.Errorf("Set of an unencodable value = %+v, want an error naming the output", res)
	}
}

func TestErrorHandlers(t *testing.T) {
	c := uniq("onerror")
	local := runtime.NewDashboard(c)
	in := runtime.NewProp[string](c+"-in", "value")
	out := runtime.NewProp[string](c+"-out", "children")
	other := runtime.NewProp[string](c+"-other", "children")
	alert := runtime.NewProp[string](c+"-alert", "children")

	// The dashboard's handler turns any failure into a message in an output.
	local.OnError(func(call *runtime.Call, err error) error {
		alert.Set(call, "handled: "+err.Error())
		return nil
	})
	failing := func(call *runtime.Call) error {
		switch in.Get(call) {
		case "panic":
			panic("boom")
		case "fail":
			out.Set(call, "half done") // discarded: the call failed
			return errors.New("no good")
		}
		out.Set(call, "ok")
		return nil
	}
	app := local.Callback(runtime.Outputs(out, alert), runtime.Inputs(in)).Handle(failing)
	req := func(v string) runtime.Request {
		return runtime.Request{Inputs: []protocol.PropValue{{ID: c + "-in", Prop: "value", Value: []byte(`"` + v + `"`)}}}
	}

	res := invoke(app, req("fail"))
	wantStatus(t, res, protocol.StatusOK)
	if got := propsMap(res.Props); got[alert.String()] != `"handled: no good"` || got[out.String()] != "" {
		t.Fatalf("props = %v, want only the alert", got)
	}
	res = invoke(app, req("panic"))
	if got := propsMap(res.Props); got[alert.String()] != `"handled: panic: boom"` {
		t.Fatalf("props = %v after a panic", got)
	}
	wantStatus(t, invoke(app, req("fine")), protocol.StatusOK)

	// A callback's own handler wins, and an error it returns is shown.
	own := local.Callback(runtime.Outputs(other), runtime.Inputs(runtime.NewProp[string](c+"-in2", "value"))).
		Handle(func(call *runtime.Call) error { return errors.New("first") }).
		OnError(func(call *runtime.Call, err error) error { return fmt.Errorf("explained: %w", err) })
	wantError(t, invoke(own, runtime.Request{}), protocol.CodeHandler, "explained: first")

	// A panicking error handler is reported as a panic, not a crash.
	boom := local.Callback(runtime.Outputs(runtime.NewProp[int](c+"-x", "children")), runtime.Inputs(runtime.NewProp[int](c+"-in3", "value"))).
		Handle(func(call *runtime.Call) error { return errors.New("first") }).
		OnError(func(call *runtime.Call, err error) error { panic("worse") })
	wantError(t, invoke(boom, runtime.Request{}), protocol.CodePanic, "worse")
}

func TestCacheKey(t *testing.T) {
	c := uniq("cachekey")
	a := runtime.NewProp[int](c+"-a", "value")
	b := runtime.NewProp[int](c+"-b", "value")
	s := runtime.NewProp[string](c+"-s", "value")
	version := "v1"
	req := func(av, bv, sv string) runtime.Request {
		return runtime.Request{
			Inputs: []protocol.PropValue{{ID: c + "-a", Prop: "value", Value: []byte(av)}, {ID: c + "-b", Prop: "value", Value: []byte(bv)}},
			States: []protocol.PropValue{{ID: c + "-s", Prop: "value", Value: []byte(sv)}},
		}
	}
	plain := dash.Callback(runtime.Outputs(runtime.NewProp[int](c+"-o1", "children")), runtime.Inputs(a, b), runtime.States(s), runtime.Background())
	if k := plain.CacheKey(req("1", "2", `"x"`)); k != "" {
		t.Fatalf("a callback without CacheBy has cache key %q", k)
	}
	cached := dash.Callback(runtime.Outputs(runtime.NewProp[int](c+"-o2", "children")), runtime.Inputs(a, b), runtime.States(s),
		runtime.Background(), runtime.CacheBy(func() string { return version }), runtime.CacheIgnore(b))
	byPos := dash.Callback(runtime.Outputs(runtime.NewProp[int](c+"-o3", "children")), runtime.Inputs(a, b), runtime.States(s),
		runtime.Background(), runtime.CacheBy(), runtime.CacheIgnoreArgs(2))

	base := cached.CacheKey(req("1", "2", `"x"`))
	if base == "" || base != cached.CacheKey(req("1", "2", `"x"`)) {
		t.Fatal("equal calls have different keys")
	}
	if cached.CacheKey(req("1", "99", `"x"`)) != base {
		t.Error("an ignored input (by prop) changed the key")
	}
	if cached.CacheKey(req("5", "2", `"x"`)) == base {
		t.Error("a different input kept the key")
	}
	if cached.CacheKey(req("1", "2", `"y"`)) == base {
		t.Error("a different state kept the key")
	}
	version = "v2"
	if cached.CacheKey(req("1", "2", `"x"`)) == base {
		t.Error("a different CacheBy value kept the key")
	}
	if byPos.CacheKey(req("1", "2", `"x"`)) != byPos.CacheKey(req("1", "2", `"other"`)) {
		t.Error("an ignored argument (by position: the state) changed the key")
	}
	if byPos.CacheKey(req("1", "2", `"x"`)) == cached.CacheKey(req("1", "2", `"x"`)) {
		t.Error("two callbacks share a key")
	}
	mustPanic(t, "CacheBy without Background", func() {
		dash.Callback(runtime.Outputs(runtime.NewProp[int](c+"-o4", "children")), runtime.Inputs(a), runtime.CacheBy())
	})
}

func TestProgressThatFeedsItsOwnInputIsRefused(t *testing.T) {
	c := uniq("feedback")
	p := runtime.NewProp[int](c+"-p", "value")
	msg := mustPanic(t, "a progress prop that is an input", func() {
		dash.Callback(runtime.Outputs(runtime.NewProp[int](c+"-o", "children")), runtime.Inputs(p), runtime.Background(), runtime.Progress(p))
	})
	if !strings.Contains(msg, p.String()) || !strings.Contains(msg, "also its input") {
		t.Fatalf("panic %q does not explain the feedback through %s", msg, p)
	}
}

func TestPatternMatching(t *testing.T) {
	all := runtime.PropID{ID: runtime.ID{"type": "f", "index": runtime.ALL}.String(), Prop: "value"}
	match := runtime.PropID{ID: runtime.ID{"type": "f", "index": runtime.MATCH}.String(), Prop: "value"}
	one := runtime.PropID{ID: runtime.ID{"type": "f", "index": 1}.String(), Prop: "value"}
	other := runtime.PropID{ID: runtime.ID{"type": "g", "index": 1}.String(), Prop: "value"}
	if all.ID != `{"index":["ALL"],"type":"f"}` {
		t.Fatalf("ALL pattern spelled %s, want Dash's", all.ID)
	}
	if !runtime.IsPattern(all) || runtime.IsPattern(one) || runtime.IsPattern(runtime.PropID{ID: "plain", Prop: "x"}) {
		t.Fatal("IsPattern is wrong")
	}
	if !runtime.Matches(all, one, nil) || runtime.Matches(all, other, nil) || runtime.Matches(all, runtime.PropID{ID: one.ID, Prop: "n"}, nil) {
		t.Fatal("ALL matching is wrong")
	}
	m := runtime.MatchValues(match, one)
	if m["index"] != "1" || !runtime.Matches(match, one, m) || runtime.Matches(match, runtime.PropID{ID: runtime.ID{"type": "f", "index": 2}.String(), Prop: "value"}, m) {
		t.Fatalf("MATCH restricted to %v is wrong", m)
	}
	if !runtime.Overlap(all, match) || !runtime.Overlap(all, one) || runtime.Overlap(all, other) {
		t.Fatal("Overlap is wrong")
	}
}
