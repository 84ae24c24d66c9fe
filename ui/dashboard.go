package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/client"
)

// DashboardCompo is the root of a dashboard's page. Build it with Dashboard.
type DashboardCompo struct {
	app.Compo
	Dash   *runtime.Dashboard
	Layout app.UI

	page    *page
	unwatch func()
}

// Dashboard renders layout as the page of dash: its bound components share
// one store, its callbacks run over the app's websocket, and callback errors
// and the connection's state show above the layout.
func Dashboard(dash *runtime.Dashboard, layout app.UI) *DashboardCompo {
	return &DashboardCompo{Dash: dash, Layout: layout}
}

// OnInit runs before the layout mounts, so its components find the store.
func (d *DashboardCompo) OnInit() {
	if app.IsClient {
		d.page = activate(d.Dash)
	}
}

// OnMount runs after every component of the layout has mounted and put its
// initial props in the store: the moment for Dash's initial calls.
func (d *DashboardCompo) OnMount(ctx app.Context) {
	d.unwatch = d.page.store.Watch(client.ErrorProp.ID, func() { ctx.Dispatch(nil) })
	d.page.client.Start()
}

// OnDismount stops watching the store.
func (d *DashboardCompo) OnDismount() {
	if d.unwatch != nil {
		d.unwatch()
	}
}

// Render shows the status line, the last callback error if any, and the layout.
func (d *DashboardCompo) Render() app.UI {
	var status string
	var cbErr client.CallbackError
	if d.page != nil {
		d.page.store.Decode(client.StatusProp, &status)
		d.page.store.Decode(client.ErrorProp, &cbErr)
	}
	return app.Div().Class("longcall-dashboard").Body(
		app.Div().ID("longcall-status").Class("longcall-status", "longcall-status-"+status).
			DataSet("status", status).Text(statusText(status)),
		app.If(cbErr.Message != "", func() app.UI {
			return app.Div().ID("longcall-error").Class("longcall-error").Attr("role", "alert").Body(
				app.Strong().Text("Callback "+cbErr.Callback+" failed: "),
				app.Span().Text(cbErr.Message),
			)
		}),
		d.Layout,
	)
}

func statusText(status string) string {
	switch status {
	case client.StatusOnline:
		return "Connected"
	case client.StatusOffline:
		return "Offline: reconnecting…"
	case client.StatusConnecting:
		return "Connecting…"
	}
	return ""
}
