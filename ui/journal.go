package ui

import (
	"encoding/json"
	"strings"
	"sync/atomic"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/client"
	"github.com/longcall/longcall/runtime/protocol"
)

// The page's state kept in the browser, so that a reload or an offline open
// continues where the page was:
//   - the session token and the calls in flight, in sessionStorage: they
//     belong to this tab (another tab is another session; see docs/CONTINUITY.md);
//   - the last props of each dashboard, in localStorage, one item a prop
//     (props.go): an offline or reloaded dashboard shows its last results,
//     not its initial layout.
const (
	sessionKey = "longcall.session"
	flightsKey = "longcall.flights."
	propsKey   = "longcall.props."
)

func load(storage webStorage, key string, v any) bool {
	item, ok := storage.get(key)
	return ok && json.Unmarshal([]byte(item), v) == nil
}

func save(storage webStorage, key string, v any) {
	raw, err := json.Marshal(v)
	if err != nil {
		app.Logf("longcall: keep %s: %v", key, err)
		return
	}
	storage.set(key, string(raw))
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
	var flights []client.Flight
	kept := newPropsWriter(localStorage(), dash.Name())
	props := kept.restore()
	load(sessionStorage(), flightsKey+dash.Name(), &flights)
	p.store.Set(props...)
	p.client.Restore(flights)

	p.client.Journal(func(fl []client.Flight) {
		save(sessionStorage(), flightsKey+dash.Name(), fl)
		if len(fl) == 0 {
			collectWhenIdle()
		}
	})
	p.kept = newKeeper(kept, p.client.Settled)
	p.store.OnChange(func(changed []runtime.PropID) {
		if !onlyInternal(changed) {
			p.kept.changed()
		}
	})
	return len(props) > 0
}

// keepDelay is how long a page's props wait after a change before they are
// written to localStorage: a burst of changes is written once.
const keepDelay = 250 // ms

// keepIdleWait is how long a write due waits for an idle period long enough
// for it (idleFits, with the write's cost estimated from its bytes): a
// table's 10,000 rows took 10–50 ms to store, and were written inside the
// frames of its first scroll (BenchmarkDataTable, traced). A write that
// waited this long is made in the next idle period, however short.
const keepIdleWait = 1000 // ms

// keeper writes a page's props to localStorage keepDelay after they change,
// rather than at every change: progress at 100 updates a second, or a
// table's 10,000 rows, would otherwise be encoded and stored in the very
// frames that show them (BenchmarkInteractive/stream, BenchmarkDataTable).
// What is due when the page is left (pagehide: closed, reloaded, navigated
// away from) is written then, inside the event (listenForLeave).
type keeper struct {
	writer   *propsWriter
	settled  func() []protocol.PropValue
	due      atomic.Bool
	timer    app.Func // keepDelay after a change
	idle     app.Func // then in an idle period
	deadline float64  // performance.now() by which the write is made, idle or not
}

func newKeeper(w *propsWriter, settled func() []protocol.PropValue) *keeper {
	k := &keeper{writer: w, settled: settled}
	k.idle = app.FuncOf(func(_ app.Value, args []app.Value) any {
		if len(args) > 0 && !args[0].Get("didTimeout").Bool() {
			cost := k.writer.cost(k.settled())
			if cost > 0 && !idleFits(args[0].Call("timeRemaining").Float(), cost, 0) {
				k.waitForIdle()
				return nil
			}
		}
		k.flush()
		return nil
	})
	k.timer = app.FuncOf(func(app.Value, []app.Value) any {
		if !app.Window().Get("requestIdleCallback").Truthy() { // Safari
			k.flush()
			return nil
		}
		k.deadline = now() + keepIdleWait
		k.waitForIdle()
		return nil
	})
	return k
}

// waitForIdle asks for the next idle period, or for the deadline.
func (k *keeper) waitForIdle() {
	timeout := max(1, k.deadline-now())
	app.Window().Call("requestIdleCallback", k.idle, map[string]any{"timeout": timeout})
}

// changed asks for a write keepDelay from now, unless one is due already.
func (k *keeper) changed() {
	if k.due.CompareAndSwap(false, true) {
		app.Window().Call("setTimeout", k.timer, keepDelay)
	}
}

// flush writes the props now if a write is due.
func (k *keeper) flush() {
	if k.due.CompareAndSwap(true, false) {
		k.writer.write(k.settled())
	}
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
