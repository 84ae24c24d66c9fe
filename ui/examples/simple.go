package examples

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/ui"
)

// Example 1: a simple background callback, its manager given to the callback.
var (
	simpleDash = runtime.NewDashboard("simple")

	simpleUpdate = simpleDash.Callback(
		runtime.Outputs(paragraph),
		runtime.Inputs(clicks),
		runtime.Background(),
		runtime.Manager(Manager),
	)
)

type simplePage struct{ app.Compo }

func (p *simplePage) Render() app.UI {
	return frame("Simple background callback", ui.Dashboard(simpleDash, app.Div().Body(
		ui.Loading("paragraph_loading", ui.P("paragraph_id").Text("Button not clicked")),
		ui.Button("button_id").Text("Run Job!"),
	)))
}
