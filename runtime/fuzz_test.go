package runtime_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// The prop fuzzer's dashboard: one ordinary callback that reads a prop of
// each kind a dashboard uses, and one whose input is a pattern (ALL), so
// that arbitrary component ids reach the matcher.
var (
	fuzzDash = runtime.NewDashboard("fuzzprops")

	fuzzProps = []fuzzProp{
		propOf[int]("int"),
		propOf[uint8]("uint8"),
		propOf[float64]("float"),
		propOf[string]("string"),
		propOf[bool]("bool"),
		propOf[[]int]("ints"),
		propOf[[]string]("strings"),
		propOf[map[string]any]("object"),
		propOf[any]("any"),
		propOf[*int]("pointer"),
		propOf[time.Time]("time"),
		propOf[struct {
			A int      `json:"a"`
			B []string `json:"b"`
		}]("struct"),
	}
	fuzzOut      = runtime.NewProp[string]("fz", "out")
	fuzzCallback = fuzzDash.Callback(runtime.Outputs(fuzzOut), runtime.Inputs(fuzzInputs()...)).Handle(func(call *runtime.Call) error {
		for _, p := range fuzzProps {
			p.get(call)
		}
		fuzzOut.Set(call, "read")
		return nil
	})

	fuzzPattern  = runtime.NewPatternProp[int](runtime.ID{"type": "fz", "index": runtime.ALL}, "value")
	fuzzTotal    = runtime.NewProp[int]("fz", "total")
	fuzzPatterns = fuzzDash.Callback(runtime.Outputs(fuzzTotal), runtime.Inputs(fuzzPattern)).Handle(func(call *runtime.Call) error {
		total := 0
		for _, v := range fuzzPattern.All(call) {
			total += v
		}
		fuzzTotal.Set(call, total)
		return nil
	})
)

// fuzzProp is a typed prop with what the fuzzer needs to judge it.
type fuzzProp struct {
	dep    runtime.Dependency
	id     runtime.PropID
	get    func(*runtime.Call)
	decode func([]byte) error // decodes as the handler does
}

func propOf[T any](name string) fuzzProp {
	p := runtime.NewProp[T]("fz", name)
	return fuzzProp{
		dep:    p,
		id:     p.PropID(),
		get:    func(c *runtime.Call) { p.Get(c) },
		decode: func(raw []byte) error { var v T; return json.Unmarshal(raw, &v) },
	}
}

func fuzzInputs() []runtime.Dependency {
	deps := make([]runtime.Dependency, len(fuzzProps))
	for i, p := range fuzzProps {
		deps[i] = p.dep
	}
	return deps
}

// FuzzPropGet sends arbitrary bytes as the value of one prop of each kind.
// A handler never sees a panic, and the call ends ok exactly when the value
// decodes as the prop's type, and otherwise with bad_input naming the prop.
func FuzzPropGet(f *testing.F) {
	f.Fuzz(func(t *testing.T, which uint8, raw []byte) {
		p := fuzzProps[int(which)%len(fuzzProps)]
		req := runtime.Request{Inputs: []protocol.PropValue{{ID: p.id.ID, Prop: p.id.Prop, Value: raw}}}
		res := fuzzCallback.Invoke(context.Background(), req, nil)
		null := len(raw) == 0 || string(raw) == "null"
		switch decodes := null || p.decode(raw) == nil; {
		case res.Status == protocol.StatusOK && decodes:
		case res.Status == protocol.StatusError && !decodes && res.Err.Code == protocol.CodeBadInput:
			if !strings.Contains(res.Err.Message, p.id.String()) {
				t.Fatalf("bad_input for %s does not name it: %s", p.id, res.Err.Message)
			}
		default:
			t.Fatalf("%s = %q: status %s %+v; decodes as its type: %v", p.id, raw, res.Status, res.Err, decodes)
		}
	})
}

// FuzzPatternMatch sends an arbitrary component id and value to a callback
// whose input is a pattern: matching an id never panics, and the call ends
// ok or with bad_input.
func FuzzPatternMatch(f *testing.F) {
	f.Fuzz(func(t *testing.T, id, prop string, raw []byte) {
		req := runtime.Request{Inputs: []protocol.PropValue{{ID: id, Prop: prop, Value: raw}}}
		res := fuzzPatterns.Invoke(context.Background(), req, nil)
		if res.Status == protocol.StatusOK {
			return
		}
		if res.Err == nil || res.Err.Code != protocol.CodeBadInput {
			t.Fatalf("id %q prop %q value %q: status %s %+v", id, prop, raw, res.Status, res.Err)
		}
	})
}
