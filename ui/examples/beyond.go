package examples

import (
	"fmt"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/ui"
)

// Beyond Dash (issue 15): retries, live logs, the queue's place as a value
// formatted in the browser, a clientside filter of a job's result, a job in
// a child process that a cancel ends for certain, and jobs that do not
// supersede each other or outlive their page.
var (
	beyondDash = runtime.NewDashboard("beyond", runtime.DefaultManager(Manager))

	reportClicks = runtime.NewProp[int]("report_button", "n_clicks")
	reportOutput = runtime.NewProp[string]("report_output", "children")
	reportLog    = runtime.NewProp[[]string]("report_log", "lines")
	reportRetry  = runtime.NewProp[string]("report_retry", "children")
	reportPlace  = runtime.NewProp[runtime.Place]("report_place", "data")
	placeText    = runtime.NewProp[string]("report_place_text", "children")

	filterInput    = runtime.NewProp[string]("filter_input", "value")
	filteredOutput = runtime.NewProp[string]("filtered_output", "children")

	hangClicks   = runtime.NewProp[int]("hang_button", "n_clicks")
	hangDisabled = runtime.NewProp[bool]("hang_button", "disabled")
	hangCancel   = runtime.NewProp[int]("hang_cancel", "n_clicks")
	hangPid      = runtime.NewProp[string]("hang_pid", "children")
	hangOutput   = runtime.NewProp[string]("hang_output", "children")

	report = beyondDash.Callback(
		runtime.Outputs(reportOutput), runtime.Inputs(reportClicks),
		runtime.Background(), runtime.Manager(QueueManager), runtime.PreventInitialCall(),
		runtime.NoSupersede(3),
		runtime.Logs(reportLog),
		runtime.Retries(2, 300*time.Millisecond), runtime.RetryText(reportRetry),
		runtime.QueuePlace(reportPlace),
	)
	hang = beyondDash.Callback(
		runtime.Outputs(hangOutput), runtime.Inputs(hangClicks),
		runtime.Background(), runtime.PreventInitialCall(),
		runtime.Isolated(), runtime.CancelOnLeave(),
		runtime.Cancel(hangCancel),
		runtime.Running(hangDisabled, true, false),
		runtime.Progress(hangPid),
	)

	// Clientside: these run in the page's wasm, offline too.
	_ = beyondDash.Callback(runtime.Outputs(placeText), runtime.Inputs(reportPlace), runtime.Clientside()).
		Handle(func(call *runtime.Call) error {
			placeText.Set(call, frenchPlace(reportPlace.Get(call)))
			return nil
		})
	_ = beyondDash.Callback(runtime.Outputs(filteredOutput), runtime.Inputs(filterInput, reportOutput), runtime.Clientside()).
		Handle(func(call *runtime.Call) error {
			filteredOutput.Set(call, filterList(reportOutput.Get(call), filterInput.Get(call)))
			return nil
		})
)

// frenchPlace formats the queue's place as an app that speaks French would:
// the typed value, not Queued's English text.
func frenchPlace(p runtime.Place) string {
	if !p.Waiting() {
		return ""
	}
	text := fmt.Sprintf("En file d’attente : position %d", p.Position)
	if p.ETA > 0 {
		text += fmt.Sprintf(", départ dans ~%d s", int(p.ETA.Seconds()+0.5))
	}
	return text
}

// filterList keeps the items of a comma-separated list that contain query.
func filterList(list, query string) string {
	if list == "" {
		return ""
	}
	var kept []string
	for _, item := range strings.Split(list, ", ") {
		if strings.Contains(strings.ToLower(item), strings.ToLower(query)) {
			kept = append(kept, item)
		}
	}
	if len(kept) == 0 {
		return "no match"
	}
	return strings.Join(kept, ", ")
}

type beyondPage struct{ app.Compo }

func (p *beyondPage) Render() app.UI {
	return frame("Beyond Dash", ui.Dashboard(beyondDash, app.Div().Body(
		app.Section().Class("lc-card").Body(
			app.H2().Text("Retries, live logs, the queue's place"),
			app.P().Class("lc-note").Text("The fruit service fails the first run; the job retries, logging as it goes. One worker: click twice and the second job waits, its place formatted in the browser (in French). Each click runs its own job."),
			ui.Button("report_button").Text("Fetch fruit"),
			ui.P("report_retry").Class("lc-note"),
			ui.Store("report_place", ui.StoreMemory), // holds the Place, a value for the page
			ui.P("report_place_text").Class("lc-note"),
			ui.Log("report_log"),
			ui.P("report_output").Text("No fruit yet").Class("lc-out"),
		),
		app.Div().Class("lc-grid").Body(
			app.Section().Class("lc-card").Body(
				app.H2().Text("A clientside filter of the result"),
				app.P().Class("lc-note").Text("Runs in the page, as you type: no round trip, offline too."),
				ui.Input("filter_input").Placeholder("filter"),
				ui.P("filtered_output").Class("lc-out"),
			),
			app.Section().Class("lc-card").Body(
				app.H2().Text("A job in a child process"),
				app.P().Class("lc-note").Text("This handler sleeps an hour and never looks at its context: Cancel, or leaving the page, kills its process."),
				app.Div().Class("lc-row").Body(
					ui.Button("hang_button").Text("Start a job that hangs"),
					ui.Button("hang_cancel").Text("Cancel").Class("lc-secondary"),
				),
				ui.P("hang_pid").Class("lc-note"),
				ui.P("hang_output").Text("Not run").Class("lc-out"),
			),
		),
	)))
}
