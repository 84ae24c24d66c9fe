package examples

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/ui"
)

// Beyond the seed: what a user sees when a handler fails. A background job
// that returns an error, an ordinary callback that panics, one that works,
// to show the server keeps serving, and a job that runs past its timeout
// (errors_timeout.go).
var (
	errorsDash = runtime.NewDashboard("errors", runtime.DefaultManager(Manager))

	failClicks    = runtime.NewProp[int]("fail_button", "n_clicks")
	failDisabled  = runtime.NewProp[bool]("fail_button", "disabled")
	failOut       = runtime.NewProp[string]("fail_output", "children")
	panicClicks   = runtime.NewProp[int]("panic_button", "n_clicks")
	panicOut      = runtime.NewProp[string]("panic_output", "children")
	healthyClicks = runtime.NewProp[int]("healthy_button", "n_clicks")
	healthyOut    = runtime.NewProp[string]("healthy_output", "children")

	failingJob = errorsDash.Callback(
		runtime.Outputs(failOut), runtime.Inputs(failClicks),
		runtime.Background(),
		runtime.Running(failDisabled, true, false),
		runtime.PreventInitialCall(),
	)
	panickingCallback = errorsDash.Callback(
		runtime.Outputs(panicOut), runtime.Inputs(panicClicks),
		runtime.PreventInitialCall(),
	)
	healthyCallback = errorsDash.Callback(
		runtime.Outputs(healthyOut), runtime.Inputs(healthyClicks),
		runtime.PreventInitialCall(),
	)
)

type errorsPage struct{ app.Compo }

func (p *errorsPage) Render() app.UI {
	row := func(button, output app.UI) app.UI {
		return app.Div().Class("lc-row lc-error-row").Body(button, output)
	}
	return frame("Errors in handlers", ui.Dashboard(errorsDash, app.Div().Body(
		app.Section().Class("lc-card").Body(
			app.P().Class("lc-note").Text("A failing handler shows its error above; the server keeps serving everyone."),
			row(ui.Button("fail_button").Text("Run a failing job"), ui.P("fail_output").Text("Not run")),
			row(ui.Button("panic_button").Text("Call a panicking callback"), ui.P("panic_output").Text("Not run")),
			row(ui.Button("healthy_button").Text("Call a working callback").Class("lc-secondary"), ui.P("healthy_output").Text("Not run")),
			row(ui.Button("stuck_button").Text("Run a job that ignores its 1 s timeout"), ui.P("stuck_output").Text("Not run")),
		),
	)))
}
