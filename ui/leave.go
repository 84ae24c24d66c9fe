package ui

import (
	"sync"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

var leaveOnce sync.Once

// listenForLeave makes the page's leaving (closed, navigated away from,
// reloaded: the browser's pagehide) write the props its keeper has due and
// cancel the jobs of CancelOnLeave callbacks. The handler runs inside the
// event, so both are done before the page goes.
func listenForLeave() {
	leaveOnce.Do(func() {
		app.Window().Call("addEventListener", "pagehide", app.FuncOf(func(app.Value, []app.Value) any {
			if p := active.Load(); p != nil {
				if p.kept != nil {
					p.kept.flush()
				}
				p.client.Leave()
			}
			return nil
		}))
	})
}
