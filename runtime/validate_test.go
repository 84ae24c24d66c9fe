package runtime_test

import (
	"strings"
	"testing"

	"github.com/longcall/longcall/runtime"
)

func TestValidateAcceptsPatternBindingsForAddedLayout(t *testing.T) {
	d := runtime.NewDashboard(uniq("validate-patterns"))
	run := runtime.NewPatternProp[int](runtime.ID{"type": "run", "index": runtime.MATCH}, "n_clicks")
	out := runtime.NewPatternProp[string](runtime.ID{"type": "out", "index": runtime.MATCH}, "children")
	stop := runtime.NewPatternProp[int](runtime.ID{"type": "stop", "index": runtime.MATCH}, "n_clicks")
	typo := runtime.NewProp[bool]("add_rwo", "disabled")
	d.Callback(runtime.Outputs(out), runtime.Inputs(run), runtime.Background(),
		runtime.Running(typo, true, false), runtime.Cancel(stop))

	// The rows are added later: no dict id is in the layout, and the Cancel
	// pattern is accepted; the plain Running prop is still checked.
	err := d.Validate([]string{"add_row", "rows"})
	if err == nil {
		t.Fatal("a Running prop naming no component was accepted")
	}
	if strings.Contains(err.Error(), "Cancel") {
		t.Errorf("the Cancel pattern, for rows added later, was refused: %v", err)
	}
	if !strings.Contains(err.Error(), `did you mean "add_row"`) {
		t.Errorf("error %q does not suggest the fix", err)
	}
}

func TestPatternProgressThatFeedsItsOwnInputIsRefused(t *testing.T) {
	c := uniq("pattern-feedback")
	in := runtime.NewPatternProp[int](runtime.ID{"type": c, "index": runtime.MATCH}, "value")
	bar := runtime.NewPatternProp[int](runtime.ID{"type": c, "index": runtime.ALL}, "value")
	msg := mustPanic(t, "a progress pattern overlapping an input", func() {
		dash.Callback(runtime.Outputs(runtime.NewProp[int](c+"-o", "children")), runtime.Inputs(in), runtime.Background(), runtime.Progress(bar))
	})
	if !strings.Contains(msg, bar.PropID().String()) || !strings.Contains(msg, "also its input") {
		t.Fatalf("panic %q does not explain the feedback through %s", msg, bar.PropID())
	}
}

func TestPatternCancelMatchesItsComponents(t *testing.T) {
	c := uniq("pattern-cancel")
	stop := runtime.NewPatternProp[int](runtime.ID{"type": c, "index": runtime.MATCH}, "n_clicks")
	cb := dash.Callback(runtime.Outputs(runtime.NewProp[int](c+"-o", "children")),
		runtime.Inputs(runtime.NewProp[int](c+"-in", "n_clicks")), runtime.Background(), runtime.Cancel(stop))
	s := cb.Spec()
	if !s.IsCancel(runtime.PropID{ID: runtime.ID{"type": c, "index": 4}.String(), Prop: "n_clicks"}) {
		t.Error("a component matching the Cancel pattern does not cancel")
	}
	if s.IsCancel(runtime.PropID{ID: runtime.ID{"type": c + "x", "index": 4}.String(), Prop: "n_clicks"}) {
		t.Error("a component of another type cancels")
	}
}

func TestParseID(t *testing.T) {
	var row struct {
		Type  string
		Index int
	}
	if err := runtime.ParseID(runtime.ID{"type": "row", "index": 3}.String(), &row); err != nil || row.Index != 3 || row.Type != "row" {
		t.Fatalf("ParseID = %+v, %v", row, err)
	}
	if err := runtime.ParseID("plain_id", &row); err == nil || !strings.Contains(err.Error(), "plain_id") {
		t.Fatalf("a plain id parsed: %v", err)
	}
}
