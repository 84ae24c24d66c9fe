package examples

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/ui"
)

// Example 4: a progress bar.
var (
	progressDash = runtime.NewDashboard("progress", runtime.DefaultManager(Manager))

	progressUpdate = progressDash.Callback(
		runtime.Outputs(paragraph),
		runtime.Inputs(clicks),
		runtime.Background(),
		runtime.Running(buttonDisabled, true, false),
		runtime.Running(cancelDisabled, false, true),
		runtime.Running(paragraphStyle, hidden, visible),
		runtime.Running(barStyle, visible, hidden),
		runtime.Cancel(cancelClicks),
		runtime.Progress(barValue, barMax),
		runtime.PreventInitialCall(),
	)
)

type progressPage struct{ app.Compo }

func (p *progressPage) Render() app.UI {
	return frame("Progress bar", ui.Dashboard(progressDash, app.Div().Body(
		app.Div().Body(
			ui.P("paragraph_id").Text("Button not clicked"),
			ui.Progress("progress_bar").Value("0"),
		),
		app.Div().Class("lc-row").Body(
			ui.Button("button_id").Text("Run Job!"),
			ui.Button("cancel_button_id").Text("Cancel Running Job!"),
		),
	)))
}
