package ui

import (
	"encoding/json"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/client"
	"github.com/longcall/longcall/runtime/protocol"
)

// The page's state kept in the browser, so that a reload or an offline open
// continues where the page was:
//   - the session token and the calls in flight, in sessionStorage: they
//     belong to this tab (another tab is another session; see docs/CONTINUITY.md);
//   - the last props of each dashboard, in localStorage: an offline or
//     reloaded dashboard shows its last results, not its initial layout.
const (
	sessionKey = "longcall.session"
	flightsKey = "longcall.flights."
	propsKey   = "longcall.props."
)

func sessionStorage() app.Value { return app.Window().Get("sessionStorage") }
func localStorage() app.Value   { return app.Window().Get("localStorage") }

func load(storage app.Value, key string, v any) bool {
	if !storage.Truthy() {
		return false
	}
	item := storage.Call("getItem", key)
	if !item.Truthy() {
		return false
	}
	return json.Unmarshal([]byte(item.String()), v) == nil
}

func save(storage app.Value, key string, v any) {
	if !storage.Truthy() {
		return
	}
	raw, err := json.Marshal(v)
	if err != nil {
		app.Logf("longcall: keep %s: %v", key, err)
		return
	}
	storage.Call("setItem", key, string(raw))
}

func loadSession() string {
	var token string
	load(sessionStorage(), sessionKey, &token)
	return token
}

func saveSession(token string) { save(sessionStorage(), sessionKey, token) }

// restore fills a new page from what the browser kept, and keeps it from now
// on. It reports whether there was anything to restore: a restored page
// resumes, and skips the initial calls that would overwrite its results.
func restore(dash *runtime.Dashboard, p *page) bool {
	var props []protocol.PropValue
	var flights []client.Flight
	hadProps := load(localStorage(), propsKey+dash.Name(), &props)
	load(sessionStorage(), flightsKey+dash.Name(), &flights)
	p.store.Set(props...)
	p.client.Restore(flights)

	p.client.Journal(func(fl []client.Flight) { save(sessionStorage(), flightsKey+dash.Name(), fl) })
	p.store.OnChange(func(changed []runtime.PropID) {
		if !onlyInternal(changed) {
			save(localStorage(), propsKey+dash.Name(), p.client.Settled())
		}
	})
	return hadProps && len(props) > 0
}

func onlyInternal(props []runtime.PropID) bool {
	for _, p := range props {
		if !internal(p.ID) {
			return false
		}
	}
	return true
}

func internal(id string) bool { return strings.HasPrefix(id, "_longcall") }
