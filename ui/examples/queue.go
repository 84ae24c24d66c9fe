package examples

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/ui"
)

// QueueManager names the manager of the queue example: one worker, so that a
// second job waits and the page shows its place.
const QueueManager = "examples-one-worker"

// Beyond the seed: waiting made visible, and results shared by CacheBy.
var (
	queueDash = runtime.NewDashboard("queue", runtime.DefaultManager(QueueManager))

	slowClicks   = runtime.NewProp[int]("slow_button", "n_clicks")
	slowDisabled = runtime.NewProp[bool]("slow_button", "disabled")
	slowQueue    = runtime.NewProp[string]("slow_queue", "children")
	slowOutput   = runtime.NewProp[string]("slow_output", "children")

	squareInput  = runtime.NewProp[string]("square_input", "value")
	squareClicks = runtime.NewProp[int]("square_button", "n_clicks")
	squareOutput = runtime.NewProp[string]("square_output", "children")

	slow = queueDash.Callback(
		runtime.Outputs(slowOutput), runtime.Inputs(slowClicks),
		runtime.Background(),
		runtime.Running(slowDisabled, true, false),
		runtime.Queued(slowQueue),
		runtime.PreventInitialCall(),
	)
	square = queueDash.Callback(
		runtime.Outputs(squareOutput), runtime.Inputs(squareClicks), runtime.States(squareInput),
		runtime.Background(),
		runtime.CacheBy(), // by the inputs and states alone: shared by every session
		runtime.CacheIgnore(squareClicks),
		runtime.Manager(Manager),
		runtime.PreventInitialCall(),
	)
)

type queuePage struct{ app.Compo }

func (p *queuePage) Render() app.UI {
	return frame("Queue and cache", ui.Dashboard(queueDash, app.Div().Class("lc-grid").Body(
		app.Section().Class("lc-card").Body(
			app.H2().Text("Waiting is visible"),
			app.P().Class("lc-note").Text("One worker runs these 3 s jobs: start one here and one in another tab, and the second shows its place."),
			ui.Button("slow_button").Text("Start a 3 s job"),
			ui.P("slow_queue").Class("lc-note"),
			ui.Loading("slow_loading", ui.P("slow_output").Text("Not run").Class("lc-out")),
		),
		app.Section().Class("lc-card").Body(
			app.H2().Text("Results shared with CacheBy"),
			app.P().Class("lc-note").Text("Squaring takes 2 s the first time; any session asking again gets the cached result at once."),
			app.Div().Class("lc-row").Body(
				ui.Input("square_input").Value("7"),
				ui.Button("square_button").Text("Square it"),
			),
			ui.Loading("square_loading", ui.P("square_output").Text("Not run").Class("lc-out")),
		),
	)))
}
