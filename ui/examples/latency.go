package examples

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/ui"
)

// LatencyPath is a page for measuring the browser, not for reading: a
// zero-work callback of each kind, so that click → DOM is the framework's
// own time, and a job streaming progress at 100 updates a second.
// cmd/server's BenchmarkInteractive drives it; it is not in the index.
const LatencyPath = "/examples/latency"

var (
	latencyDash = runtime.NewDashboard("latency", runtime.DefaultManager(Manager))

	latencyOrdinaryClicks   = runtime.NewProp[int]("latency_ordinary", "n_clicks")
	latencyOrdinaryOut      = runtime.NewProp[string]("latency_ordinary_out", "children")
	latencyBackgroundClicks = runtime.NewProp[int]("latency_background", "n_clicks")
	latencyBackgroundOut    = runtime.NewProp[string]("latency_background_out", "children")
	latencyStreamClicks     = runtime.NewProp[int]("latency_stream", "n_clicks")
	latencyStreamOut        = runtime.NewProp[string]("latency_stream_out", "children")
	latencyStreamValue      = runtime.NewProp[string]("latency_bar", "value")
	latencyStreamMax        = runtime.NewProp[string]("latency_bar", "max")

	latencyOrdinary = latencyDash.Callback(
		runtime.Outputs(latencyOrdinaryOut), runtime.Inputs(latencyOrdinaryClicks),
		runtime.PreventInitialCall(),
	)
	latencyBackground = latencyDash.Callback(
		runtime.Outputs(latencyBackgroundOut), runtime.Inputs(latencyBackgroundClicks),
		runtime.Background(), runtime.PreventInitialCall(),
	)
	latencyStream = latencyDash.Callback(
		runtime.Outputs(latencyStreamOut), runtime.Inputs(latencyStreamClicks),
		runtime.Background(), runtime.Progress(latencyStreamValue, latencyStreamMax),
		runtime.PreventInitialCall(),
	)
)

// Latency is the measuring page.
func Latency() app.Composer { return &latencyPage{} }

// latencyPage and latencyLayout count their renders, shown in
// data-renders: an update renders the component it changed, not the
// components around it (cmd/server's TestAnUpdateRendersItsComponentAlone).
// The layout stands between the dashboard and its bound components.
type latencyPage struct {
	app.Compo
	renders int
}

func (p *latencyPage) Render() app.UI {
	p.renders++
	return app.Div().ID("latency_page").Attr("data-renders", p.renders).Body(
		frame("Latency", ui.Dashboard(latencyDash, &latencyLayout{})),
	)
}

type latencyLayout struct {
	app.Compo
	renders int
}

func (l *latencyLayout) Render() app.UI {
	l.renders++
	return app.Div().ID("latency_layout").Attr("data-renders", l.renders).Body(
		ui.Button("latency_ordinary").Text("Ordinary"),
		ui.P("latency_ordinary_out").Text("0"),
		ui.Button("latency_background").Text("Background"),
		ui.P("latency_background_out").Text("0"),
		ui.Button("latency_stream").Text("Stream progress"),
		ui.Progress("latency_bar").Value("0"),
		ui.P("latency_stream_out").Text(""),
	)
}
