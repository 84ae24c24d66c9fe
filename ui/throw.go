package ui

import (
	"fmt"
	"sync"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// What the browser throws in a call from the wasm is a panic there, and a
// panic the page does not recover from ends the wasm: the page stops
// answering, with nothing shown. Calls that can throw on what the page was
// given (a full storage, a figure plotly.js cannot draw) go through catch.

// showPageError shows an error of the page's own where callbacks' errors
// are shown, and logs it the first time: a chart that cannot be drawn fails
// again at each progress update.
func showPageError(code, message string) {
	if _, seen := pageErrorsLogged.LoadOrStore(message, true); !seen {
		app.Logf("longcall: %s", message)
	}
	if p := active.Load(); p != nil {
		p.client.ShowError(code, message)
	}
}

// catch runs f, and returns what f threw in the browser as an error.
func catch(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	f()
	return nil
}

// pageErrorsLogged are the messages showPageError logged.
var pageErrorsLogged sync.Map
