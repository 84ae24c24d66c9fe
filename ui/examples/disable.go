package examples

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/ui"
)

// Example 2: the button is disabled while the job runs; the manager is given
// to the dashboard, as to Dash's app.
var (
	disableDash = runtime.NewDashboard("disable", runtime.DefaultManager(Manager))

	disableUpdate = disableDash.Callback(
		runtime.Outputs(paragraph),
		runtime.Inputs(clicks),
		runtime.Background(),
		runtime.Running(buttonDisabled, true, false),
	)
)

type disablePage struct{ app.Compo }

func (p *disablePage) Render() app.UI {
	return frame("Disable the button while running", ui.Dashboard(disableDash, app.Div().Body(
		ui.Loading("paragraph_loading", ui.P("paragraph_id").Text("Button not clicked")),
		ui.Button("button_id").Text("Run Job!"),
	)))
}
