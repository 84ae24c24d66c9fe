package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime/client"
)

var loadingKind = Register(Kind{
	Name:    "Loading",
	Outputs: []string{"type"},
	Render: func(b *Bound) app.UI {
		busy, _ := b.Local("busy").(bool)
		typ := b.String("type")
		if typ == "" {
			typ = "default"
		}
		return Decorate(b, app.Div(), "lc-loading").Attr("data-loading", busy).Aria("busy", busy).Body(
			app.Div().Class("lc-loading-content").Body(b.Content()...),
			app.If(busy, func() app.UI {
				return app.Div().Class("lc-loading-overlay").Body(app.Div().Class("lc-spinner", "lc-spinner-"+typ).Attr("role", "progressbar"))
			}),
		)
	},
	Mount:    watchFlights,
	Dismount: func(b *Bound) { stopFunc(b, "unwatch") },
})

// LoadingElem shows a spinner over its children while a callback that
// outputs to any of them runs, as Dash's dcc.Loading: no wiring, the page
// knows which outputs its calls in flight will write. Props: type
// ("default", "circle", "dot": the spinner's look), className, style.
type LoadingElem struct{ elem[LoadingElem] }

// Loading wraps children in a loading indicator.
func Loading(id string, children ...app.UI) *LoadingElem {
	l := new(LoadingElem)
	return l.init(l, loadingKind, id, children)
}

// Type declares the spinner's look: "default", "circle" or "dot".
func (l *LoadingElem) Type(t string) *LoadingElem { return l.With("type", t) }

// watchFlights follows the outputs in flight and marks the component busy
// while one is among its descendants.
func watchFlights(ctx app.Context, b *Bound) {
	p := active.Load()
	if p == nil {
		return
	}
	check := func(ctx app.Context) {
		var inFlight []string
		p.store.Decode(client.LoadingProp, &inFlight)
		root := ctx.JSSrc()
		busy := false
		for _, id := range inFlight {
			if id != b.ID && root.Truthy() && root.Call("querySelector", "[id='"+cssEscape(id)+"']").Truthy() {
				busy = true
				break
			}
		}
		if was, _ := b.Local("busy").(bool); was != busy {
			b.SetLocal("busy", busy)
			ctx.Update()
		}
	}
	b.SetLocal("unwatch", p.store.Watch(client.LoadingProp.ID, func() { ctx.Dispatch(check) }))
	check(ctx)
}

func stopFunc(b *Bound, key string) {
	if stop, ok := b.Local(key).(func()); ok {
		stop()
		b.SetLocal(key, nil)
	}
}

// cssEscape quotes an id for a CSS attribute selector in single quotes.
func cssEscape(id string) string {
	out := make([]rune, 0, len(id))
	for _, r := range id {
		if r == '\'' || r == '\\' {
			out = append(out, '\\')
		}
		out = append(out, r)
	}
	return string(out)
}
