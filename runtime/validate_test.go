package runtime_test

import (
	"strings"
	"testing"

	"github.com/longcall/longcall/runtime"
)

func TestValidatePatternBindings(t *testing.T) {
	d := runtime.NewDashboard(uniq("validate-patterns"))
	run := runtime.NewPatternProp[int](runtime.ID{"type": "run", "index": runtime.MATCH}, "n_clicks")
	out := runtime.NewPatternProp[string](runtime.ID{"type": "out", "index": runtime.MATCH}, "children")
	busy := runtime.NewPatternProp[bool](runtime.ID{"type": "run", "index": runtime.MATCH}, "disabled")
	typo := runtime.NewPatternProp[int](runtime.ID{"type": "stpo", "index": runtime.MATCH}, "n_clicks")
	d.Callback(runtime.Outputs(out), runtime.Inputs(run), runtime.Background(),
		runtime.Running(busy, true, false), runtime.Cancel(typo))

	// The rows are added later: no dict id is in the layout. The Running
	// pattern agrees with the input's; the Cancel pattern agrees with nothing.
	err := d.Validate([]string{"add_row", "rows"})
	if err == nil {
		t.Fatal("a Cancel pattern matching no component and no dependency was accepted")
	}
	for _, want := range []string{"Cancel pattern", typo.PropID().String(), `did you mean`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "Running") {
		t.Errorf("the Running pattern, which agrees with the input, was refused: %v", err)
	}

	// A stop button of the layout's own makes the pattern known.
	err = d.Validate([]string{"add_row", "rows", runtime.ID{"type": "stpo", "index": 1}.String()})
	if err != nil {
		t.Fatalf("a pattern matching a layout component was refused: %v", err)
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
