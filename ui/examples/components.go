package examples

import (
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/ui"
	"github.com/longcall/longcall/ui/table"
)

// Beyond the seed: the component kit, each component an input (echo) and an
// output (Set all), a spinner over a slow job's output, pages by URL.
var (
	componentsDash = runtime.NewDashboard("components", runtime.DefaultManager(Manager))

	kitCity     = runtime.NewProp[string]("kit_city", "value")
	kitCities   = runtime.NewProp[[]ui.Option]("kit_city", "options")
	kitTags     = runtime.NewProp[[]string]("kit_tags", "value")
	kitLevel    = runtime.NewProp[float64]("kit_level", "value")
	kitSpan     = runtime.NewProp[[]float64]("kit_span", "value")
	kitFlags    = runtime.NewProp[[]string]("kit_flags", "value")
	kitSize     = runtime.NewProp[string]("kit_size", "value")
	kitNotes    = runtime.NewProp[string]("kit_notes", "value")
	kitCount    = runtime.NewProp[float64]("kit_count", "value")
	kitName     = runtime.NewProp[string]("kit_name", "value")
	kitWhen     = runtime.NewProp[string]("kit_when", "value")
	kitVolume   = runtime.NewProp[float64]("kit_volume", "value")
	kitPageNo   = runtime.NewProp[int]("kit_table", "page_current")
	kitMaxTicks = runtime.NewProp[int]("kit_interval", "max_intervals")
	kitLinkTo   = runtime.NewProp[string]("kit_link", "href")
	kitTab      = runtime.NewProp[string]("kit_tabs", "value")
	kitSaved    = runtime.NewProp[[]string]("kit_store", "data")
	kitTicks    = runtime.NewProp[int]("kit_interval", "n_intervals")
	kitPath     = runtime.NewProp[string]("kit_location", "pathname")
	kitSearch   = runtime.NewProp[string]("kit_location", "search")
	kitOK       = runtime.NewProp[int]("kit_confirm", "submit_n_clicks")
	kitAsk      = runtime.NewProp[bool]("kit_confirm", "displayed")
	kitEcho     = runtime.NewProp[string]("kit_echo", "children")
	kitMarkdown = runtime.NewProp[string]("kit_markdown", "children")
	kitSetAll   = runtime.NewProp[int]("kit_set_all", "n_clicks")
	kitSlow     = runtime.NewProp[int]("kit_slow", "n_clicks")
	kitSlowOut  = runtime.NewProp[string]("kit_slow_out", "children")
	kitPage     = runtime.NewProp[string]("kit_page", "children")

	// Every input, echoed as text.
	kitEchoAll = componentsDash.Callback(
		runtime.Outputs(kitEcho),
		runtime.Inputs(kitCity, kitTags, kitLevel, kitSpan, kitFlags, kitSize, kitNotes, kitCount, kitName, kitWhen, kitVolume, kitPageNo, kitTab, kitSaved, kitTicks, kitOK),
	)
	// Every component as an output.
	kitSetAllOutputs = componentsDash.Callback(
		runtime.Outputs(kitCities, kitCity, kitTags, kitLevel, kitSpan, kitFlags, kitSize, kitNotes, kitCount, kitWhen, kitVolume, kitPageNo, kitTab, kitSaved, kitMarkdown, kitAsk, kitSearch, kitMaxTicks, kitLinkTo),
		runtime.Inputs(kitSetAll), runtime.PreventInitialCall(),
	)
	// A slow job: the Loading around its output spins while it runs.
	kitSlowJob = componentsDash.Callback(
		runtime.Outputs(kitSlowOut), runtime.Inputs(kitSlow),
		runtime.Background(), runtime.PreventInitialCall(),
	)
	// Pages by URL.
	kitRoute = componentsDash.Callback(runtime.Outputs(kitPage), runtime.Inputs(kitPath))
)

// ComponentsPath is the kit's page; its sub-paths are its pages by URL.
const ComponentsPath = "/examples/components"

// kitSlowFor is how long the slow job runs.
const kitSlowFor = 1500 * time.Millisecond

// kitRows is n rows numbered 1..n, for the paged DataTable.
func kitRows(n int) []table.Row {
	rows := make([]table.Row, n)
	for i := range rows {
		rows[i] = table.Row{"n": float64(i + 1)}
	}
	return rows
}

type componentsPage struct{ app.Compo }

func (p *componentsPage) Render() app.UI {
	cities := ui.Options("Paris", "Lagos", "Lima", "Osaka")
	return frame("Components", ui.Dashboard(componentsDash, app.Div().Body(
		ui.Location("kit_location"),
		ui.Store("kit_store", ui.StoreSession),
		ui.Interval("kit_interval", 300*time.Millisecond).MaxIntervals(3),
		app.Div().Class("lc-grid").Body(
			app.Section().Class("lc-card").Body(
				app.H2().Text("Choices"),
				field("City (Dropdown)", ui.Dropdown("kit_city", cities...).Value("Paris").Placeholder("Pick a city")),
				field("Tags (multi Dropdown)", ui.Dropdown("kit_tags", ui.Options("red", "green", "blue")...).Multi("red")),
				field("Flags (Checklist)", ui.Checklist("kit_flags", ui.Options("fast", "cheap", "good")...).Value("good").Inline(true)),
				field("Size (RadioItems)", ui.RadioItems("kit_size", ui.Options("S", "M", "L")...).Value("M").Inline(true)),
			),
			app.Section().Class("lc-card").Body(
				app.H2().Text("Numbers and text"),
				field("Level (Slider)", ui.Slider("kit_level", 0, 10, 1, 3).Marks(map[float64]string{0: "0", 5: "5", 10: "10"})),
				field("Span (RangeSlider)", ui.RangeSlider("kit_span", 0, 100, 5, 20, 80).Marks(map[float64]string{0: "0", 50: "50", 100: "100"})),
				field("Count (Input number)", ui.Input("kit_count").Type("number").Number(1).Range(0, 100, 1)),
				field("Name (Input, debounced)", ui.Input("kit_name").Placeholder("type, then Enter").Debounce(true)),
				field("When (Input date)", ui.Input("kit_when").Type("date")),
				field("Volume (Input range)", ui.Input("kit_volume").Type("range").Range(0, 10, 1).Number(4)),
				field("Notes (Textarea)", ui.Textarea("kit_notes").Rows(2).Placeholder("Notes")),
			),
		),
		ui.Tabs("kit_tabs",
			ui.Tab("Overview", "overview", ui.Markdown("kit_markdown", "**Markdown**: _emphasis_, `code`, and <b>no raw HTML</b>.")),
			ui.Tab("Details", "details", app.P().ID("kit_details").Text("The details tab.")),
			ui.Tab("Table", "table", ui.DataTable("kit_table").Columns(table.Column{ID: "n", Name: "n", Type: "numeric"}).
				Data(kitRows(7)).PageSize(2)),
		).Class("lc-card"),
		app.Div().Class("lc-card").Body(
			app.Div().Class("lc-row").Body(
				ui.Button("kit_set_all").Text("Set all").Class("lc-button"),
				ui.Button("kit_slow").Text("Run a slow job").Class("lc-button lc-secondary"),
				ui.Link("kit_link", ComponentsPath+"/second?tab=b").Text("Go to the second page"),
			),
			ui.Loading("kit_loading", ui.P("kit_slow_out").Text("Not run")),
			ui.P("kit_page"),
			app.Pre().Class("lc-echo").Body(ui.P("kit_echo")),
		),
		ui.ConfirmDialog("kit_confirm", "Really set everything?"),
	)))
}
