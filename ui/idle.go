package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// What a page does when the browser is idle (the keeper's write, the idle
// collection) waits for an idle period as long as it is expected to take
// (the write's estimate from its bytes, the collection's last time):
// started in a frame's last few idle milliseconds, a 10–60 ms task makes
// the next frame late.

// idlePage is the idle period, in ms, that a task of unknown length (its
// first run), or one longer than the browser offers, waits for: the browser
// gives up to 50 ms when it has no frame to draw.
const idlePage = 40

// idleFits reports whether remaining ms of an idle period fit a task
// expected to take took ms (0: not known, it has not run), and at least
// atLeast ms.
func idleFits(remaining, took, atLeast float64) bool {
	need := max(atLeast, took)
	if took == 0 {
		need = idlePage
	}
	return remaining >= min(need, idlePage)
}

// now is the page's clock, performance.now(), in ms.
func now() float64 { return app.Window().Get("performance").Call("now").Float() }
