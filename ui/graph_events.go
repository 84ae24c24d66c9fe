package ui

import (
	"encoding/json"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/ui/plotly"
)

// The Graph's input props, as Dash's dcc.Graph: what plotly.js reports as
// the user clicks, hovers, selects and zooms.
var graphInputs = []string{"clickData", "hoverData", "selectedData", "relayoutData"}

// graphEvents are the plotly.js events a Graph turns into input props.
var graphEvents = []struct {
	event, prop string
	read        func(app.Value) any
}{
	{"plotly_click", "clickData", pointsOf},
	{"plotly_hover", "hoverData", pointsOf},
	{"plotly_selected", "selectedData", selectionOf},
	{"plotly_deselect", "selectedData", func(app.Value) any { return nil }},
	{"plotly_relayout", "relayoutData", relayoutOf},
}

// listenGraph writes the Graph's input props from plotly.js's events on
// target, once: plotly.js keeps its listeners across Plotly.react.
func listenGraph(b *Bound, target app.Value) {
	if target.Get("longcallListens").Truthy() {
		return
	}
	target.Set("longcallListens", true)
	for _, ev := range graphEvents {
		target.Call("on", ev.event, app.FuncOf(func(_ app.Value, args []app.Value) any {
			var data app.Value
			if len(args) > 0 {
				data = args[0]
			}
			v := ev.read(data)
			if ev.prop == "hoverData" && sameJSON(b.Raw("hoverData"), v) {
				return nil // the same point again: no call
			}
			b.Set(ev.prop, v)
			return nil
		}))
	}
}

func sameJSON(raw json.RawMessage, v any) bool {
	b, err := json.Marshal(v)
	return err == nil && string(b) == string(raw)
}

// pointsOf reads an event's points, without plotly.js's references to the
// whole figure, which do not encode (and are not Dash's either).
func pointsOf(data app.Value) any {
	if data == nil || !data.Truthy() || !data.Get("points").Truthy() {
		return nil
	}
	pts := data.Get("points")
	ev := plotly.Event{Points: make([]plotly.Point, pts.Length())}
	for i := range ev.Points {
		p := pts.Index(i)
		ev.Points[i] = plotly.Point{
			CurveNumber: p.Get("curveNumber").Int(),
			PointNumber: intOr(p.Get("pointNumber")),
			PointIndex:  intOr(p.Get("pointIndex")),
			X:           datumOf(p.Get("x")),
			Y:           datumOf(p.Get("y")),
		}
		if t := p.Get("text"); t.Truthy() {
			ev.Points[i].Text = t.String()
		}
	}
	return ev
}

// selectionOf is pointsOf with a box selection's range.
func selectionOf(data app.Value) any {
	v := pointsOf(data)
	ev, ok := v.(plotly.Event)
	if !ok {
		return nil
	}
	if r := data.Get("range"); r.Truthy() {
		ev.Range = map[string][]float64{}
		for _, axis := range []string{"x", "y"} {
			if a := r.Get(axis); a.Truthy() && a.Length() == 2 {
				ev.Range[axis] = []float64{a.Index(0).Float(), a.Index(1).Float()}
			}
		}
	}
	return ev
}

// relayoutOf is plotly_relayout's data: plain JSON already.
func relayoutOf(data app.Value) any {
	if data == nil || !data.Truthy() {
		return nil
	}
	return json.RawMessage(app.Window().Get("JSON").Call("stringify", data).String())
}

func datumOf(v app.Value) plotly.Datum {
	if v.Type() == app.TypeNumber {
		return plotly.Datum{Num: v.Float(), IsNum: true}
	}
	if !v.Truthy() {
		return plotly.Datum{}
	}
	return plotly.Datum{Text: v.String()}
}

func intOr(v app.Value) int {
	if v.Type() == app.TypeNumber {
		return v.Int()
	}
	return 0
}

// graphConfig is the config prop as plotly.js takes it, over longcall's
// defaults: no mode bar (Dash shows it on hover; set displayModeBar), and
// responsive to the page's width.
func graphConfig(b *Bound) app.Value {
	cfg := app.Window().Get("JSON").Call("parse", `{"displayModeBar":false,"responsive":true}`)
	if b.Has("config") {
		app.Window().Get("Object").Call("assign", cfg, app.Window().Get("JSON").Call("parse", string(b.Raw("config"))))
	}
	return cfg
}

// figureIsEmpty reports whether a figure draws nothing: no figure, or no
// traces. The Graph then takes no room, instead of plotly.js's empty
// 450-pixel strip.
func figureIsEmpty(raw json.RawMessage) bool {
	var fig struct {
		Data []json.RawMessage `json:"data"`
	}
	return len(raw) == 0 || json.Unmarshal(raw, &fig) != nil || len(fig.Data) == 0
}

// Config declares the config prop: plotly.js's options (displayModeBar…).
func (g *GraphElem) Config(c plotly.Config) *GraphElem { return g.With("config", c) }
