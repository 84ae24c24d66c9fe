package examples

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/ui"
)

// Example 3: a cancelable callback.
var (
	cancelDash = runtime.NewDashboard("cancel", runtime.DefaultManager(Manager))

	cancelUpdate = cancelDash.Callback(
		runtime.Outputs(paragraph),
		runtime.Inputs(clicks),
		runtime.Background(),
		runtime.Running(buttonDisabled, true, false),
		runtime.Running(cancelDisabled, false, true),
		runtime.Cancel(cancelClicks),
	)
)

type cancelPage struct{ app.Compo }

func (p *cancelPage) Render() app.UI {
	return frame("Cancelable callback", ui.Dashboard(cancelDash, app.Div().Body(
		ui.Loading("paragraph_loading", ui.P("paragraph_id").Text("Button not clicked")),
		app.Div().Class("lc-row").Body(
			ui.Button("button_id").Text("Run Job!"),
			ui.Button("cancel_button_id").Text("Cancel Running Job!"),
		),
	)))
}
