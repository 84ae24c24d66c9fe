package examples

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/ui"
)

// Beyond the seed: layout added by a callback, and pattern-matching ids.
var (
	patternsDash = runtime.NewDashboard("patterns", runtime.DefaultManager(Manager))

	addRowClicks = runtime.NewProp[int]("add_row", "n_clicks")
	rows         = runtime.NewProp[[]ui.Node]("rows", "children")
	rowsTotal    = runtime.NewProp[string]("rows_total", "children")

	everyValue = runtime.NewPatternProp[string](runtime.ID{"type": "value", "index": runtime.ALL}, "value")
	runClicks  = runtime.NewPatternProp[int](runtime.ID{"type": "run", "index": runtime.MATCH}, "n_clicks")
	runValue   = runtime.NewPatternProp[string](runtime.ID{"type": "value", "index": runtime.MATCH}, "value")
	runOutput  = runtime.NewPatternProp[string](runtime.ID{"type": "out", "index": runtime.MATCH}, "children")
	runBusy    = runtime.NewPatternProp[bool](runtime.ID{"type": "run", "index": runtime.MATCH}, "disabled")
	stopClicks = runtime.NewPatternProp[int](runtime.ID{"type": "stop", "index": runtime.MATCH}, "n_clicks")
	stopIdle   = runtime.NewPatternProp[bool](runtime.ID{"type": "stop", "index": runtime.MATCH}, "disabled")
	rowBar     = runtime.NewPatternProp[int](runtime.ID{"type": "bar", "index": runtime.MATCH}, "value")

	// Adds a row of components: their ids are dict ids.
	addRow = patternsDash.Callback(
		runtime.Outputs(rows), runtime.Inputs(addRowClicks), runtime.PreventInitialCall(),
	)
	// ALL: every row's value, however many rows there are.
	sumRows = patternsDash.Callback(runtime.Outputs(rowsTotal), runtime.Inputs(everyValue))
	// MATCH: each row squares its own value in a background job; rows run
	// side by side and never cancel each other. The bindings are patterns
	// too: a row's job disables its own button, fills its own bar, and only
	// its own Stop cancels it.
	squareRow = patternsDash.Callback(
		runtime.Outputs(runOutput), runtime.Inputs(runClicks), runtime.States(runValue),
		runtime.Background(), runtime.PreventInitialCall(),
		runtime.Running(runBusy, true, false),
		runtime.Running(stopIdle, false, true),
		runtime.Cancel(stopClicks),
		runtime.Progress(rowBar), runtime.ProgressDefault(rowBar.Is(0)),
	)
)

// rowSteps is how many progress reports a row's job makes, one per 100 ms.
const rowSteps = 10

// rowNodes is the layout of rows 1..n.
func rowNodes(n int) []ui.Node {
	out := make([]ui.Node, n)
	for i := 1; i <= n; i++ {
		out[i-1] = ui.DivNode(runtime.ID{"type": "row", "index": i}.String(),
			ui.InputNode(runtime.ID{"type": "value", "index": i}.String(), itoa(i)),
			ui.ButtonNode(runtime.ID{"type": "run", "index": i}.String(), "Square it"),
			ui.ButtonNode(runtime.ID{"type": "stop", "index": i}.String(), "Stop").With("disabled", true),
			ui.ProgressNode(runtime.ID{"type": "bar", "index": i}.String(), 0, rowSteps),
			ui.PNode(runtime.ID{"type": "out", "index": i}.String(), "Not run"),
		).With("className", "lc-row lc-pattern-row")
	}
	return out
}

type patternsPage struct{ app.Compo }

func (p *patternsPage) Render() app.UI {
	return frame("Added layout and pattern-matching ids", ui.Dashboard(patternsDash, app.Div().Body(
		app.Section().Class("lc-card").Body(
			app.P().Class("lc-note").Text("Each row is added by a callback; the total reads every row (ALL); each row squares its own value in a background job (MATCH), side by side, with its own button, bar and Stop."),
			app.Div().Class("lc-row").Body(
				ui.Button("add_row").Text("Add a row"),
				ui.P("rows_total").Class("lc-note"),
			),
			ui.Div("rows"),
		),
	)).ValidationLayout(rowNodes(1)[0].UI()))
}
