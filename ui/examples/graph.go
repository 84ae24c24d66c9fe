package examples

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/ui"
	"github.com/longcall/longcall/ui/plotly"
)

// Example 5: progress as a Plotly bar chart.
var (
	graphDash = runtime.NewDashboard("graph", runtime.DefaultManager(Manager))

	graphUpdate = graphDash.Callback(
		runtime.Outputs(paragraph),
		runtime.Inputs(clicks),
		runtime.Background(),
		runtime.Running(buttonDisabled, true, false),
		runtime.Running(cancelDisabled, false, true),
		runtime.Running(paragraphStyle, hidden, visible),
		runtime.Running(graphStyle, visible, hidden),
		runtime.Cancel(cancelClicks),
		runtime.Progress(graphFigure),
		runtime.ProgressDefault(graphFigure.Is(progressGraph(0, 10))),
	)
)

// progressGraph is one horizontal bar of length progress on an axis 0..total.
func progressGraph(progress, total int) plotly.Figure {
	return plotly.Figure{
		Data: []plotly.Trace{{Type: "bar", X: []float64{float64(progress)}, Y: []float64{0}, Orientation: "h"}},
		Layout: plotly.Layout{
			Height: 100,
			Margin: &plotly.Margin{T: 20, B: 40},
			XAxis:  &plotly.Axis{Range: []float64{0, float64(total)}},
			YAxis:  &plotly.Axis{ShowTickLabels: plotly.Bool(false)},
		},
	}
}

type graphPage struct{ app.Compo }

func (p *graphPage) Render() app.UI {
	return frame("Progress as a chart", ui.Dashboard(graphDash, app.Div().Body(
		app.Div().Body(
			ui.P("paragraph_id").Text("Button not clicked"),
			ui.Graph("progress_bar_graph").Figure(progressGraph(0, 10)),
		),
		app.Div().Class("lc-row").Body(
			ui.Button("button_id").Text("Run Job!"),
			ui.Button("cancel_button_id").Text("Cancel Running Job!"),
		),
	)))
}
