package examples

import (
	"errors"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/ui"
)

// Example is one demo page.
type Example struct {
	Path, Title, About string
	Dash               *runtime.Dashboard
	Page               func() app.Composer
}

// All lists the demo pages in the seed's order.
var All = []Example{
	{"/examples/simple", "Simple background callback", "A job runs for 2 s and reports how often the button was clicked.", simpleDash, func() app.Composer { return &simplePage{} }},
	{"/examples/disable", "Disable the button while running", "A running binding disables Run Job! while the job runs.", disableDash, func() app.Composer { return &disablePage{} }},
	{"/examples/cancel", "Cancelable callback", "Cancel Running Job! cancels the job; the paragraph keeps its text.", cancelDash, func() app.Composer { return &cancelPage{} }},
	{"/examples/progress", "Progress bar", "The job reports progress 0..5; the bar shows it while the paragraph hides.", progressDash, func() app.Composer { return &progressPage{} }},
	{"/examples/graph", "Progress as a chart", "Progress drawn as a Plotly bar that grows, then returns to the empty chart.", graphDash, func() app.Composer { return &graphPage{} }},
	{"/examples/model", "The callback model", "Beyond the seed: State, several outputs, no update, triggered id, chained callbacks, set_props, an error handler.", modelDash, func() app.Composer { return &modelPage{} }},
	{"/examples/queue", "Queue and cache", "Beyond the seed: a waiting job shows its place in the queue; CacheBy shares results across sessions.", queueDash, func() app.Composer { return &queuePage{} }},
	{"/examples/patterns", "Added layout and pattern-matching ids", "Beyond the seed: rows added by a callback; ALL and MATCH; MATCH jobs side by side.", patternsDash, func() app.Composer { return &patternsPage{} }},
	{"/examples/beyond", "Beyond Dash", "Retries, live logs, the queue's place as a value, a clientside filter, a job in a child process, jobs that do not supersede or outlive their page.", beyondDash, func() app.Composer { return &beyondPage{} }},
	{ComponentsPath, "Components", "Beyond the seed: the component kit, each as an input and an output; a spinner over a slow job; pages by URL.", componentsDash, func() app.Composer { return &componentsPage{} }},
	{"/examples/report", "Report builder", "Beyond the seed: a data set, its parameters or an uploaded CSV; a job with progress and a live preview (table and chart), cancel, and the report to download.", reportDash, func() app.Composer { return &reportPage{} }},
	{AccountPath, "Who is calling", "Beyond the seed: a page behind a login; a job greets the logged-in user; a callback for admins only is refused; a callback sets a cookie that a job reads (Dash's lcbc019).", accountDash, func() app.Composer { return &accountPage{} }},
	{"/examples/errors", "Errors in handlers", "Beyond the seed: a failing job and a panicking callback report visibly; the server keeps serving.", errorsDash, func() app.Composer { return &errorsPage{} }},
}

// Validate checks every example's callbacks against its layout; the server
// refuses to start on an error, which names what to fix.
func Validate() error {
	var errs []error
	for _, e := range All {
		errs = append(errs, ui.Validate(e.Dash, e.Page()))
	}
	errs = append(errs, ui.Validate(latencyDash, Latency()))
	return errors.Join(errs...)
}

// Routes registers the index and every example with go-app. Both binaries
// call it: the server to render pages, the browser to run them.
func Routes() {
	app.Route("/", Index)
	app.Route(LoginPath, LoginPage)
	for _, e := range All {
		app.Route(e.Path, e.Page)
	}
	// The components page serves its sub-paths too: its pages by URL.
	app.RouteWithRegexp(ComponentsPattern, ComponentsPage)
	app.Route(LatencyPath, Latency) // for measuring: not in the index
}

// ComponentsPattern matches the components page's sub-paths: its pages by URL.
const ComponentsPattern = "^" + ComponentsPath + "/.*$"

// ComponentsPage is the components page, on its path and its sub-paths.
func ComponentsPage() app.Composer { return &componentsPage{} }

// Index is the page that links every example.
func Index() app.Composer { return &indexPage{} }

type indexPage struct{ app.Compo }

func (p *indexPage) Render() app.UI {
	return app.Main().Class("longcall-page").Body(
		app.H1().Text("longcall"),
		app.P().Class("lc-lead").Text("Background callbacks for Go dashboards: the five examples of Dash's background-callback guide, and pages beyond it."),
		app.Ol().Class("lc-index").Body(app.Range(All).Slice(func(i int) app.UI {
			e := All[i]
			return app.Li().Body(
				app.A().Href(e.Path).Text(e.Title),
				app.Span().Text(e.About),
			)
		})),
	)
}

// frame gives an example page its heading, what it shows (its About in
// All) and a way back.
func frame(title string, body app.UI) app.UI {
	about := ""
	for _, e := range All {
		if e.Title == title {
			about = e.About
		}
	}
	return app.Main().Class("longcall-page").Body(
		app.Nav().Body(app.A().Href("/").Text("← All examples")),
		app.H1().Text(title),
		app.If(about != "", func() app.UI { return app.P().Class("lc-lead").Text(about) }),
		body,
	)
}

// field is a labelled control: the theme's label above its control.
func field(label string, control app.UI) app.UI {
	return app.Label().Class("lc-field").Body(app.Span().Class("lc-label").Text(label), control)
}

func itoa(n int) string { return strconv.Itoa(n) }
