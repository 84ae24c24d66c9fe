package examples

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/ui"
)

// Beyond the seed: the rest of the callback model a Dash user reaches for.
var (
	modelDash = runtime.NewDashboard("model", runtime.DefaultManager(Manager))

	nameInput      = runtime.NewProp[string]("name_input", "value")
	greetClicks    = runtime.NewProp[int]("greet_button", "n_clicks")
	shoutClicks    = runtime.NewProp[int]("shout_button", "n_clicks")
	greeting       = runtime.NewProp[string]("greeting", "children")
	greetCount     = runtime.NewProp[string]("greet_count", "children")
	greetingLength = runtime.NewProp[string]("greeting_length", "children")

	stepsClicks = runtime.NewProp[int]("steps_button", "n_clicks")
	stepsDone   = runtime.NewProp[string]("steps_done", "children")
	stepLog     = []runtime.Prop[string]{
		runtime.NewProp[string]("step_1", "children"),
		runtime.NewProp[string]("step_2", "children"),
		runtime.NewProp[string]("step_3", "children"),
	}

	recoverClicks = runtime.NewProp[int]("recover_button", "n_clicks")
	recoverOutput = runtime.NewProp[string]("recover_output", "children")

	// Two outputs, two inputs and a State; which input fired decides, and
	// "shout" leaves the count as it is (no update for that output).
	greet = modelDash.Callback(
		runtime.Outputs(greeting, greetCount),
		runtime.Inputs(greetClicks, shoutClicks),
		runtime.States(nameInput),
		runtime.PreventInitialCall(),
	)
	// Chained: runs after greet, whenever the greeting changes.
	measure = modelDash.Callback(runtime.Outputs(greetingLength), runtime.Inputs(greeting))
	// A background job that sets props outside its outputs as it goes.
	steps = modelDash.Callback(
		runtime.Outputs(stepsDone), runtime.Inputs(stepsClicks),
		runtime.Background(), runtime.PreventInitialCall(),
	)
	// A failing callback whose error handler turns the failure into output.
	recovering = modelDash.Callback(
		runtime.Outputs(recoverOutput), runtime.Inputs(recoverClicks),
		runtime.PreventInitialCall(),
	)
)

type modelPage struct{ app.Compo }

func (p *modelPage) Render() app.UI {
	return frame("The callback model", ui.Dashboard(modelDash, app.Div().Body(
		app.Section().Class("lc-card").Body(
			app.H2().Text("State, several outputs, no update, triggered id, a chain"),
			app.Div().Class("lc-row").Body(
				ui.Input("name_input").Value("Ada").Placeholder("Your name"),
				ui.Button("greet_button").Text("Greet"),
				ui.Button("shout_button").Text("Shout").Class("lc-secondary"),
			),
			ui.P("greeting").Text("Nobody greeted yet").Class("lc-out"),
			app.Div().Class("lc-row lc-note").Body(ui.P("greet_count").Text("0 greetings"), app.Span().Text("·"), ui.P("greeting_length")),
		),
		app.Section().Class("lc-card").Body(
			app.H2().Text("set_props from a background job"),
			ui.Button("steps_button").Text("Run three steps"),
			ui.Loading("steps_loading",
				ui.P("step_1").Class("lc-out"), ui.P("step_2").Class("lc-out"), ui.P("step_3").Class("lc-out"),
				ui.P("steps_done").Text("Not run"),
			),
		),
		app.Section().Class("lc-card").Body(
			app.H2().Text("An error handler"),
			ui.Button("recover_button").Text("Call a failing callback with an error handler"),
			ui.P("recover_output").Text("Not run").Class("lc-out"),
		),
	)))
}
