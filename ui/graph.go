package ui

import (
	"fmt"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/ui/plotly"
)

// PlotlyScript is where the page loads plotly.js from: installed from the npm
// registry into web/, never fetched from a remote host. The first Graph with
// a figure to draw loads it (see plot), so pages without a chart, or whose
// charts are empty until a callback fills them, do not run it: its start is
// one task of 1–3 s, and its heap made the page's every JavaScript
// collection a long one (docs/BENCHMARKS.md).
const PlotlyScript = "/web/node_modules/plotly.js-dist-min/plotly.min.js"

var graphKind = Register(Kind{
	Name:    "Graph",
	Outputs: []string{"figure", "config"},
	Inputs:  graphInputs,
	Render: func(b *Bound) app.UI {
		return Decorate(b, app.Div(), "longcall-graph").Body(app.Div().Class("longcall-graph-plot"))
	},
	Mount: func(ctx app.Context, b *Bound) {
		graphStateOf(b).mounted = true
		plot(ctx, b)
	},
	Changed:  plotSoon,
	Dismount: func(b *Bound) { graphStateOf(b).mounted = false },
})

// GraphElem is a bound Plotly chart, as Dash's dcc.Graph: an outer div that
// carries the id, className and style, and an inner div that plotly.js draws
// into. Props: figure (plotly JSON), className, style.
type GraphElem struct{ elem[GraphElem] }

// Graph returns a bound chart.
func Graph(id string) *GraphElem {
	g := new(GraphElem)
	return g.init(g, graphKind, id, nil)
}

// Figure declares the initial figure.
func (g *GraphElem) Figure(f plotly.Figure) *GraphElem { return g.With("figure", f) }

// withPlotly runs draw now if plotly.js is loaded, else once it is.
func withPlotly(ctx app.Context, draw func(app.Context)) {
	withScript(ctx, PlotlyScript, "Plotly", draw)
}

// graphState is what a Graph keeps from a change of its props to the draw.
type graphState struct {
	ctx     app.Context
	draw    app.Func // setTimeout's callback, made once a Graph
	pending bool     // a draw is scheduled
	loading bool     // plotly.js is loading, to draw once it has
	mounted bool
}

func graphStateOf(b *Bound) *graphState {
	s, _ := b.Local("graph").(*graphState)
	if s == nil {
		s = &graphState{}
		s.draw = app.FuncOf(func(app.Value, []app.Value) any {
			s.pending = false
			if s.mounted {
				s.ctx.Dispatch(func(ctx app.Context) { plot(ctx, b) })
			}
			return nil
		})
		b.SetLocal("graph", s)
	}
	return s
}

// plotSoon draws the figure in a task of its own, after the one that
// changed it: plotly.js takes 40–60 ms to draw a chart of 500 bars, and
// drawn in the task that brought a table's 10,000 rows with it, the page
// took both in one long task (docs/BENCHMARKS.md). The table shows first;
// changes that come before the draw are drawn once, as the last left them.
func plotSoon(ctx app.Context, b *Bound) {
	s := graphStateOf(b)
	s.ctx = ctx
	if !s.pending {
		s.pending = true
		app.Window().Call("setTimeout", s.draw, 0)
	}
}

// CodeFigureNotDrawn is the code of the error a page shows when plotly.js
// could not draw a Graph's figure.
const CodeFigureNotDrawn = "figure_not_drawn"

// plot hands the figure to Plotly.react, which diffs against what is drawn,
// with the config prop; then listens for the events that write the input
// props. A figure that draws nothing hides the plot, so that an idle chart
// leaves no blank strip, and needs no plotly.js: one that draws loads it
// first, and is drawn, as it is then, once it has.
func plot(ctx app.Context, b *Bound) {
	raw := b.Raw("figure")
	target := ctx.JSSrc().Get("firstElementChild")
	if !target.Truthy() {
		return
	}
	if figureIsEmpty(raw) {
		target.Get("style").Set("display", "none")
		return
	}
	plotlyJS := app.Window().Get("Plotly")
	if !plotlyJS.Truthy() {
		s := graphStateOf(b)
		if !s.loading {
			s.loading = true
			withPlotly(ctx, func(ctx app.Context) {
				s.loading = false
				if s.mounted {
					plot(ctx, b)
				}
			})
		}
		return
	}
	target.Get("style").Set("display", "")
	fig := app.Window().Get("JSON").Call("parse", string(raw))
	// plotly.js throws on a figure it cannot draw ({"data": [null]}), and a
	// throw would end the wasm: the page shows it as an error instead.
	if err := catch(func() { plotlyJS.Call("react", target, fig.Get("data"), fig.Get("layout"), graphConfig(b)) }); err != nil {
		showPageError(CodeFigureNotDrawn, fmt.Sprintf("Graph %s: plotly.js could not draw the figure: %v", b.ID, err))
		return
	}
	listenGraph(b, target)
}
