package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/ui/plotly"
)

// PlotlyScript is where the page loads plotly.js from: installed from the npm
// registry into web/, never fetched from a remote host. The first Graph a
// page mounts loads it (see withPlotly), so pages without a chart do not
// download, parse and run it before their first render.
const PlotlyScript = "/web/node_modules/plotly.js-dist-min/plotly.min.js"

// GraphElem is a bound Plotly chart, as Dash's dcc.Graph: an outer div that
// carries the id and style, and an inner div that plotly.js draws into.
// Props: figure (plotly JSON), style.
type GraphElem struct{ element }

// Graph returns a bound chart.
func Graph(id string) *GraphElem { return &GraphElem{element{ID: id}} }

// Figure declares the initial figure.
func (g *GraphElem) Figure(f plotly.Figure) *GraphElem { g.declare("figure", f); return g }

// Style declares the initial style.
func (g *GraphElem) Style(s Style) *GraphElem { g.declare("style", s); return g }

// OnMount draws the figure and redraws it whenever the store changes it.
func (g *GraphElem) OnMount(ctx app.Context) {
	g.watch(ctx, g.plot)
	withPlotly(ctx, g.plot)
}

// withPlotly runs draw now if plotly.js is loaded, else once it is: it adds
// the script to the page unless another Graph has already.
func withPlotly(ctx app.Context, draw func(app.Context)) {
	if app.Window().Get("Plotly").Truthy() {
		draw(ctx)
		return
	}
	doc := app.Window().Get("document")
	script := doc.Call("querySelector", `script[src="`+PlotlyScript+`"]`)
	if !script.Truthy() {
		script = doc.Call("createElement", "script")
		script.Set("src", PlotlyScript)
		doc.Get("head").Call("appendChild", script)
	}
	var loaded app.Func
	loaded = app.FuncOf(func(app.Value, []app.Value) any {
		loaded.Release()
		ctx.Dispatch(draw)
		return nil
	})
	script.Call("addEventListener", "load", loaded, map[string]any{"once": true})
}

// Render implements app.Composer.
func (g *GraphElem) Render() app.UI {
	return styled(app.Div().ID(g.ID).Class("longcall-graph"), g.style()).Body(
		app.Div().Class("longcall-graph-plot"),
	)
}

// plot hands the figure to Plotly.react, which diffs against what is drawn.
func (g *GraphElem) plot(ctx app.Context) {
	raw := g.raw("figure")
	plotlyJS := app.Window().Get("Plotly")
	target := ctx.JSSrc().Get("firstElementChild")
	if len(raw) == 0 || !plotlyJS.Truthy() || !target.Truthy() {
		return
	}
	fig := app.Window().Get("JSON").Call("parse", string(raw))
	if !fig.Truthy() {
		fig = app.Window().Get("JSON").Call("parse", `{"data":[],"layout":{}}`)
	}
	plotlyJS.Call("react", target, fig.Get("data"), fig.Get("layout"), map[string]any{"displayModeBar": false})
}
