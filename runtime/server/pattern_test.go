package server_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/longcall/longcall/runtime"
)

var (
	patDash   = runtime.NewDashboard("patterntest")
	rowValues = runtime.NewPatternProp[int](runtime.ID{"type": "row", "index": runtime.ALL}, "value")
	rowClick  = runtime.NewPatternProp[int](runtime.ID{"type": "row", "index": runtime.MATCH}, "n_clicks")
	rowOut    = runtime.NewPatternProp[string](runtime.ID{"type": "out", "index": runtime.MATCH}, "children")
	total     = runtime.NewProp[string]("total", "children")

	_ = patDash.Callback(runtime.Outputs(total), runtime.Inputs(rowValues)).Handle(func(call *runtime.Call) error {
		sum := 0
		for _, v := range rowValues.All(call) {
			sum += v
		}
		total.Set(call, fmt.Sprintf("%d rows, sum %d", len(rowValues.All(call)), sum))
		return nil
	})
	_ = patDash.Callback(runtime.Outputs(rowOut), runtime.Inputs(rowClick), runtime.Background(), runtime.PreventInitialCall()).
		Handle(func(call *runtime.Call) error {
			row := call.TriggeredID()
			var id map[string]int
			json.Unmarshal([]byte(row), &id)
			select {
			case <-gate(2000 + id["index"]):
			case <-call.Context().Done():
				return call.Context().Err()
			}
			rowOut.Set(call, fmt.Sprintf("row %d clicked %d times", id["index"], rowClick.Get(call)))
			return nil
		})
)

func rowID(kind string, i int) string { return runtime.ID{"type": kind, "index": i}.String() }

func TestPatternMatchingAllAndMatch(t *testing.T) {
	p := &page{}
	p.Client, p.conn = openDash(t, startServer(t), patDash)
	for i := range 3 {
		p.Store().Declare(rowID("row", i)) // the layout's components
		p.Store().Declare(rowID("out", i))
	}
	p.Start()
	p.waitFor(t, total.PropID(), `"3 rows, sum 0"`) // ALL: every row, unset values as zero

	for i := range 3 {
		p.Update(set(runtime.PropID{ID: rowID("row", i), Prop: "value"}, i+1))
	}
	p.waitFor(t, total.PropID(), `"3 rows, sum 6"`)

	// MATCH: each row's job is its own instance; both run at once and
	// neither supersedes the other.
	p.Update(set(runtime.PropID{ID: rowID("row", 0), Prop: "n_clicks"}, 1))
	p.Update(set(runtime.PropID{ID: rowID("row", 2), Prop: "n_clicks"}, 5))
	gate(2002) <- struct{}{}
	gate(2000) <- struct{}{}
	p.waitFor(t, runtime.PropID{ID: rowID("out", 0), Prop: "children"}, `"row 0 clicked 1 times"`)
	p.waitFor(t, runtime.PropID{ID: rowID("out", 2), Prop: "children"}, `"row 2 clicked 5 times"`)
	if v, ok := p.Store().Get(runtime.PropID{ID: rowID("out", 1), Prop: "children"}); ok {
		t.Fatalf("row 1, never clicked, got %s", v)
	}
}
