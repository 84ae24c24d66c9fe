package ui

import (
	"fmt"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/client"
	"github.com/longcall/longcall/runtime/protocol"
)

// DashboardCompo is the root of a dashboard's page. Build it with Dashboard.
type DashboardCompo struct {
	app.Compo
	Dash       *runtime.Dashboard
	Layout     app.UI
	Validation []app.UI

	page            *page
	unwatch         func()
	updateAvailable bool
	errors          []client.CallbackError // every error of this page load, each once, oldest first
	shown           connectionState        // what the last render showed of the connection
}

// connectionState is what the status line shows.
type connectionState struct {
	status string
	queued int
}

// Dashboard renders layout as the page of dash: its bound components share
// one store, its callbacks run over the app's websocket, and callback errors
// and the connection's state show above the layout.
func Dashboard(dash *runtime.Dashboard, layout app.UI) *DashboardCompo {
	return &DashboardCompo{Dash: dash, Layout: layout}
}

// ValidationLayout declares components that callbacks add to the page later
// (as ui.Node children), so that the start-up checks (Validate) know their
// ids and props, as Dash's validation_layout. It is never shown.
func (d *DashboardCompo) ValidationLayout(children ...app.UI) *DashboardCompo {
	d.Validation = children
	return d
}

// OnInit runs before the layout mounts, so its components find the store.
func (d *DashboardCompo) OnInit() {
	if app.IsClient {
		d.page = activate(d.Dash)
	}
}

// OnMount runs after every component of the layout has mounted and put its
// initial props in the store: the moment for Dash's initial calls. A page
// restored from the browser's storage resumes instead: its initial calls
// would overwrite the results it kept.
func (d *DashboardCompo) OnMount(ctx app.Context) {
	if d.page == nil {
		return // rendered on the server: no store, no socket
	}
	d.updateAvailable = ctx.AppUpdateAvailable()
	d.unwatch = d.page.store.Watch(client.ErrorProp.ID, func() { ctx.Dispatch(d.refresh) })
	listenForLeave()
	if !d.page.restored {
		d.page.client.Start()
	}
}

// refresh renders the dashboard again when what it shows of the page's
// own props changed: the connection's state or a new error. The store's
// watcher calls it for every prop of the page's own (ErrorProp.ID), the
// loading state included, which changes twice a call and is shown by the
// loading components.
func (d *DashboardCompo) refresh(ctx app.Context) {
	if !d.collectError() && d.connection() == d.shown {
		ctx.PreventUpdate()
	}
}

func (d *DashboardCompo) connection() connectionState {
	var c connectionState
	d.page.store.Decode(client.StatusProp, &c.status)
	d.page.store.Decode(client.QueuedProp, &c.queued)
	return c
}

// collectError keeps the error the store shows now, unless it was seen
// already this page load: the store holds only the latest, and a page that
// shows only the latest hides the others. It reports whether it kept one.
func (d *DashboardCompo) collectError() bool {
	var e client.CallbackError
	if !d.page.store.Decode(client.ErrorProp, &e) || e.Message == "" {
		return false
	}
	for _, seen := range d.errors {
		if seen == e {
			return false
		}
	}
	d.errors = append(d.errors, e)
	if over := len(d.errors) - maxShownErrors; over > 0 {
		d.errors = append(d.errors[:0], d.errors[over:]...)
	}
	return true
}

// maxShownErrors bounds the list: an Interval whose callback fails every
// second would otherwise grow the page without end. The oldest go first;
// each error's id finds it in the server's log.
const maxShownErrors = 20

// OnAppUpdate hears that go-app's service worker fetched a new version.
func (d *DashboardCompo) OnAppUpdate(ctx app.Context) {
	d.updateAvailable = ctx.AppUpdateAvailable()
}

// OnDismount stops watching the store. The page is left for another of the
// app's routes: CancelOnLeave jobs end.
func (d *DashboardCompo) OnDismount() {
	if d.unwatch != nil {
		d.unwatch()
	}
	if d.page != nil {
		d.page.client.Leave()
	}
}

// Render shows the status line, the callback errors of this page load, and
// the layout.
func (d *DashboardCompo) Render() app.UI {
	if d.page != nil {
		d.shown = d.connection()
	}
	status, queued := d.shown.status, d.shown.queued
	return app.Div().Class("longcall-dashboard").Body(
		app.If(d.updateAvailable, func() app.UI {
			return app.Div().ID("longcall-update").Class("longcall-update").Attr("role", "status").Body(
				app.Span().Text("A new version of this app is available. "),
				app.Button().ID("longcall-reload").Text("Reload").OnClick(func(ctx app.Context, e app.Event) { ctx.Reload() }),
			)
		}),
		app.Div().ID("longcall-status").Class("longcall-status", "longcall-status-"+status).
			Attr("data-status", status).Attr("data-queued", queued).Text(statusText(status, queued)),
		app.If(len(d.errors) > 0, func() app.UI {
			return app.Div().ID("longcall-error").Class("longcall-error").Attr("role", "alert").Body(
				app.Range(d.errors).Slice(func(i int) app.UI { return errorItem(d.errors[i]) }),
			)
		}),
		d.Layout,
		app.If(validating(), func() app.UI { return app.Div().Hidden(true).Body(d.Validation...) }),
	)
}

func statusText(status string, queued int) string {
	text := ""
	switch status {
	case client.StatusOnline:
		text = "Connected"
	case client.StatusOffline:
		text = "Offline: reconnecting…"
	case client.StatusConnecting:
		text = "Connecting…"
	}
	switch {
	case queued == 1:
		text += " 1 call queued: it is sent when the connection returns."
	case queued > 1:
		text += fmt.Sprintf(" %d calls queued: they are sent when the connection returns.", queued)
	}
	return text
}

// errorItem is one callback error: its callback, then what went wrong,
// without the callback's id a second time (the server's message starts
// with it, for its log).
func errorItem(e client.CallbackError) app.UI {
	message := e.Message
	for _, verb := range []string{" failed: ", " panicked: "} {
		message = strings.TrimPrefix(message, "callback "+e.Callback+verb)
	}
	return app.Div().Class("longcall-error-item").Attr("data-callback", e.Callback).Attr("data-code", e.Code).Attr("data-id", e.ID).Body(
		app.If(e.Callback != "", func() app.UI { return app.Strong().Text("Callback " + e.Callback + verbOf(e)) }), // not the page's own
		app.Span().Text(message),
		app.If(e.ID != "", func() app.UI {
			return app.Span().Class("longcall-error-id").Text(" (error id " + e.ID + ")")
		}),
		app.If(e.Stack != "", func() app.UI { return stackOf(e) }),
	)
}

// stackOf shows a panic's stack, which a server sends in dev mode only.
func stackOf(e client.CallbackError) app.UI {
	return app.Details().Open(true).Body(
		app.Summary().Text("Stack (dev mode)"),
		app.Pre().Class("longcall-error-stack").Style("max-height", "24em").Style("overflow", "auto").Text(e.Stack),
	)
}

func verbOf(e client.CallbackError) string {
	if e.Code == protocol.CodePanic {
		return " panicked: "
	}
	return " failed: "
}
