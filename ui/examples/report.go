package examples

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/ui"
	"github.com/longcall/longcall/ui/plotly"
	"github.com/longcall/longcall/ui/table"
)

// The showcase, beyond the seed: a report builder. Choose a data set, set
// its parameters, or upload a CSV; the job builds the report with progress
// and a live preview (a DataTable and a Graph set while it runs), may be
// cancelled, and ends with the report to download.
var (
	reportDash = runtime.NewDashboard("report", runtime.DefaultManager(Manager))

	reportDataset = runtime.NewProp[string]("report_dataset", "value")
	reportRows    = runtime.NewProp[int]("report_rows", "value")
	reportOptions = runtime.NewProp[[]string]("report_options", "value")
	reportCSV     = runtime.NewProp[[]runtime.File]("report_csv", "files")

	reportRun            = runtime.NewProp[int]("report_run", "n_clicks")
	reportRunDisabled    = runtime.NewProp[bool]("report_run", "disabled")
	reportCSVDisabled    = runtime.NewProp[bool]("report_csv", "disabled")
	reportCancel         = runtime.NewProp[int]("report_cancel", "n_clicks")
	reportCancelDisabled = runtime.NewProp[bool]("report_cancel", "disabled")
	reportBar            = runtime.NewProp[int]("report_progress", "value")
	reportBarMax         = runtime.NewProp[int]("report_progress", "max")
	reportStatus         = runtime.NewProp[string]("report_status", "children")
	reportFile           = runtime.NewProp[runtime.Download]("report_download", "data")

	reportColumns  = runtime.NewProp[[]table.Column]("report_table", "columns")
	reportData     = runtime.NewProp[[]table.Row]("report_table", "data")
	reportSelected = runtime.NewProp[[]int]("report_table", "selected_rows")
	reportFigure   = runtime.NewProp[plotly.Figure]("report_graph", "figure")
	reportClick    = runtime.NewProp[plotly.Event]("report_graph", "clickData")
	reportPicked   = runtime.NewProp[string]("report_picked", "children")

	// The job: the report's file and a status line as outputs; the preview
	// (table and chart) set while it runs; progress in steps.
	buildReport = reportDash.Callback(
		runtime.Outputs(reportFile, reportStatus),
		runtime.Inputs(reportRun),
		runtime.States(reportDataset, reportRows, reportOptions, reportCSV),
		runtime.Background(),
		runtime.Running(reportRunDisabled, true, false),
		runtime.Running(reportCSVDisabled, true, false),
		runtime.Running(reportCancelDisabled, false, true),
		runtime.Cancel(reportCancel),
		runtime.Progress(reportBar, reportBarMax),
		runtime.ProgressDefault(reportBar.Is(0)),
		runtime.PreventInitialCall(),
	)

	// What the user picked in the preview: rows selected in the table, a
	// point clicked in the chart.
	showPicked = reportDash.Callback(
		runtime.Outputs(reportPicked),
		runtime.Inputs(reportSelected, reportClick),
		runtime.States(reportData),
		runtime.PreventInitialCall(),
	)
)

type reportPage struct{ app.Compo }

func (p *reportPage) Render() app.UI {
	return frame("Report builder", ui.Dashboard(reportDash, app.Div().Class("lc-report").Body(
		app.Div().Class("lc-grid").Body(
			app.Section().Class("lc-card").Body(
				app.H2().Text("Data"),
				field("Data set", ui.Dropdown("report_dataset",
					ui.Option{Label: "European cities", Value: "cities"},
					ui.Option{Label: "Sensor readings (generated)", Value: "sensors"},
					ui.Option{Label: "The uploaded CSV", Value: "upload"},
				).Value("cities")),
				// The Upload is a <label> itself: its field is a div.
				app.Div().Class("lc-field").Body(
					app.Span().Class("lc-label").Text("CSV file (first row: the column names)"),
					ui.Upload("report_csv").Accept(".csv,text/csv"),
				),
			),
			app.Section().Class("lc-card").Body(
				app.H2().Text("Parameters"),
				field("Readings to generate", ui.Slider("report_rows", 1000, 10000, 1000, 10000).Marks(map[float64]string{1000: "1,000", 5000: "5,000", 10000: "10,000"})),
				field("Report", ui.Checklist("report_options", ui.Options("sort", "chart", "summary")...).Value("chart").Inline(true)),
			),
		),
		app.Section().Class("lc-card").Body(
			app.Div().Class("lc-row").Body(
				ui.Button("report_run").Text("Build report").Class("lc-primary"),
				ui.Button("report_cancel").Text("Cancel").Disabled(true).Class("lc-secondary"),
				ui.Progress("report_progress").Value("0").Max("10").Class("lc-grow"),
			),
			ui.P("report_status").Text("Choose a data set and build the report."),
			ui.Download("report_download"),
		),
		app.Section().Class("lc-card").Body(
			app.H2().Text("Preview"),
			// The chart (up to 500 bars, reportBars) on a layer of its own,
			// its layout and paint contained: the table below redraws as it
			// scrolls, and the browser then need not go through the chart's
			// bars each frame (BENCHMARKS.md, "DataTable: 10,000 rows").
			ui.Graph("report_graph").Style(ui.Style{"contain": "content", "willChange": "transform"}),
			ui.DataTable("report_table").Native().RowSelectable("multi").
				With("style_table", ui.Style{"height": "360px"}),
			ui.P("report_picked").Text("Nothing picked"),
		),
	)))
}
