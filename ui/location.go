package ui

import (
	"encoding/json"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// navigateEvent is dispatched on window when a Link or a Location changes
// the URL without a page load, so that every Location on the page follows.
const navigateEvent = "longcall:navigate"

var urlProps = []string{"pathname", "search", "hash", "href"}

var locationKind = Register(Kind{
	Name:    "Location",
	Outputs: []string{"refresh"},
	Inputs:  urlProps,
	Render:  func(b *Bound) app.UI { return Decorate(b, app.Div()).Hidden(true) },
	Init:    initLocation,
	Mount:   mountLocation,
	Changed: followLocation,
	Dismount: func(b *Bound) {
		stopFunc(b, "unlisten")
	},
})

// LocationElem is the page's URL as props, as Dash's dcc.Location: pathname,
// search (the query, with its "?"), hash and href. They follow the URL (a
// Link, the back button), and a callback that sets pathname or search
// changes it: in place (history.pushState) or, with refresh true, by
// loading the page. With one Location and a callback from pathname to a
// Div's children, one dashboard serves several pages (register its route
// with a pattern: app.RouteWithRegexp("^/reports(/.*)?$", …)).
type LocationElem struct{ elem[LocationElem] }

// Location returns the page's URL as bound props.
func Location(id string) *LocationElem {
	l := new(LocationElem)
	return l.init(l, locationKind, id, nil)
}

// Refresh declares whether a change by a callback loads the page anew.
func (l *LocationElem) Refresh(v bool) *LocationElem { return l.With("refresh", v) }

func currentURL() map[string]string {
	loc := app.Window().Get("location")
	out := map[string]string{}
	for _, p := range urlProps {
		out[p] = loc.Get(p).String()
	}
	return out
}

// initLocation puts the URL in the props before the initial calls; a page
// restored from the browser's storage at another URL than it was left at
// (back, a link) is told at mount instead, so its callbacks run.
func initLocation(b *Bound) {
	url := currentURL()
	if old := b.String("pathname"); old != "" && (old != url["pathname"] || b.String("search") != url["search"]) {
		b.SetLocal("moved", true)
		return
	}
	for _, p := range urlProps {
		b.Put(p, quote(url[p]))
	}
}

func mountLocation(ctx app.Context, b *Bound) {
	follow := func(ctx app.Context) {
		for p, v := range currentURL() {
			if b.String(p) != v {
				b.Set(p, v)
			}
		}
	}
	if moved, _ := b.Local("moved").(bool); moved {
		follow(ctx)
	}
	handler := app.FuncOf(func(app.Value, []app.Value) any {
		ctx.Dispatch(follow)
		return nil
	})
	app.Window().Call("addEventListener", navigateEvent, handler)
	b.SetLocal("unlisten", func() {
		app.Window().Call("removeEventListener", navigateEvent, handler)
		handler.Release()
	})
}

// followLocation changes the URL when a callback set pathname, search or
// hash.
func followLocation(ctx app.Context, b *Bound) {
	url := currentURL()
	next := b.String("pathname") + b.String("search") + b.String("hash")
	if b.String("pathname") == "" || next == url["pathname"]+url["search"]+url["hash"] {
		return
	}
	if b.Bool("refresh") {
		app.Window().Get("location").Call("assign", next)
		return
	}
	pushURL(next)
}

// pushURL changes the URL in place and tells the page's Locations.
func pushURL(href string) {
	app.Window().Get("history").Call("pushState", nil, "", href)
	app.Window().Call("dispatchEvent", app.Window().Get("Event").New(navigateEvent))
}

func quote(s string) json.RawMessage {
	raw, _ := json.Marshal(s)
	return raw
}

var linkKind = Register(Kind{
	Name:    "Link",
	Outputs: []string{"href", "refresh", "target"},
	Render: func(b *Bound) app.UI {
		return Decorate(b, app.A(), "lc-link").Href(b.String("href")).Body(b.Content()...).
			OnClick(func(ctx app.Context, e app.Event) {
				if b.Bool("refresh") || e.Get("metaKey").Bool() || e.Get("ctrlKey").Bool() || e.Get("shiftKey").Bool() {
					return // the browser's (or go-app's) own navigation
				}
				e.PreventDefault()
				e.Call("stopPropagation") // go-app would load the route anew
				pushURL(b.String("href"))
			})
	},
})

// LinkElem is a link within the app, as Dash's dcc.Link: a click changes
// the URL in place, and the page's Locations follow (refresh true loads the
// page instead). Props: href, children, refresh, className, style.
type LinkElem struct{ elem[LinkElem] }

// Link returns a bound link to href.
func Link(id, href string, children ...app.UI) *LinkElem {
	l := new(LinkElem)
	return l.init(l, linkKind, id, children).With("href", href)
}

// Text declares the link's text.
func (l *LinkElem) Text(s string) *LinkElem { l.bound.Text(s); return l }
