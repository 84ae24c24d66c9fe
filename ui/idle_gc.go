package ui

import (
	"runtime"
	"runtime/debug"
	"sync/atomic"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Go collects its garbage when the heap has grown enough since the last
// collection: in whatever allocated last, which in a page is a click's
// handling or its answer's. In the browser a collection holds the page's one
// thread, and the click waits: the slowest clicks of
// BenchmarkInteractive/click (20–80 ms against a median of 3) were those a
// collection ran in, and without collections none was over 13 ms
// (docs/BENCHMARKS.md). So a page collects when it is idle: once no call is
// in flight and enough was allocated since the last collection, in the
// browser's next idle period (requestIdleCallback) long enough for it. What
// the page allocates while it is busy (a progress stream, a table scrolled)
// is collected by Go as before, when it must.

// busyGCPercent is GOGC in the browser: Go's own collections, those that
// run inside whatever allocates, come when the heap has grown by four times
// what was live, not once. A collection of a page holding a 10,000-row
// table (a heap of 6–10 MB) runs in one piece, inside a scrolled frame or a
// sort, and the idle collection finds no idle period while the page is busy
// (BenchmarkDataTable): 50–92 ms while the table's cells were js.Values with
// finalizers, 7–16 ms since they cross in one call (datatable_texts.go).
// The idle collection keeps the heap small whenever the page rests.
const busyGCPercent = 400

func init() {
	if app.IsClient {
		debug.SetGCPercent(busyGCPercent)
	}
}

// idleGCAfter is how much a page allocates before it collects when idle: a
// quarter of the heap at which Go's default (GOGC=100) collects first.
const idleGCAfter = 1 << 20

// idleGCMinIdle is the shortest idle period a collection starts in, in ms:
// a warm collection of a small page's heap took 2–6 ms here. The first one
// took 30–60 ms (V8 compiles the collector's code as it first runs), and
// waits for an idle page (idleFits).
const idleGCMinIdle = 8

var idleGC struct {
	requested atomic.Bool
	callback  app.Func
	took      float64 // ms, the last idle collection's
	cycles    uint32  // Go's collections when the baseline was read
	baseline  uint64  // bytes allocated then
}

// collectWhenIdle asks for a collection in the browser's next idle period.
// The page calls it when its last call in flight ended.
func collectWhenIdle() {
	if !app.IsClient || !idleGC.requested.CompareAndSwap(false, true) {
		return
	}
	if idleGC.callback == nil {
		idleGC.callback = app.FuncOf(func(_ app.Value, args []app.Value) any {
			idleGC.requested.Store(false)
			remaining := 50.0 // the page is idle: setTimeout's fallback has no deadline
			if len(args) > 0 && args[0].Truthy() {
				remaining = args[0].Call("timeRemaining").Float()
			}
			collectIfIdle(remaining)
			return nil
		})
	}
	if w := app.Window(); w.Get("requestIdleCallback").Truthy() {
		w.Call("requestIdleCallback", idleGC.callback)
	} else { // Safari
		w.Call("setTimeout", idleGC.callback, 50)
	}
}

// collectIfIdle collects when the page has nothing in flight, allocated
// enough since the last collection, and has remaining ms of idle time for it.
// The first time, it collects whatever was allocated: a page's first
// collection is 40–90 ms however small the heap, as V8 compiles the
// collector's code, and made when the page first rests, it is not made
// later inside a busy task (the first preview of a report's rows).
func collectIfIdle(remaining float64) {
	if p := active.Load(); p != nil && p.client.InFlight() > 0 {
		return // the call that started meanwhile asks again when it ends
	}
	if allocatedSinceGC() < idleGCAfter && idleGC.took > 0 {
		return
	}
	if !idleFits(remaining, idleGC.took, idleGCMinIdle) {
		collectWhenIdle() // the next period may be longer
		return
	}
	start := now()
	runtime.GC()
	end := now()
	if idleGC.took == 0 {
		// The first one's time is the compiler's, not the next one's: a
		// warm collection of a page's heap is a few ms, and waiting for an
		// idle period as long as the first took (40–90 ms) kept every later
		// one from a page that draws at every frame.
		idleGC.took = idleGCMinIdle
	} else {
		idleGC.took = end - start
	}
	// Shown in DevTools' Timings track, and read by the tests.
	app.Window().Get("performance").Call("measure", idleGCMeasure, map[string]any{"start": start, "end": end})
}

// idleGCMeasure names the performance measure of each idle collection.
const idleGCMeasure = "longcall: idle gc"

// allocatedSinceGC is how many bytes Go allocated since it last collected,
// or since the last call here if it has not collected since (an estimate
// from below: good enough to tell a page that allocated a megabyte).
func allocatedSinceGC() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	if m.NumGC != idleGC.cycles {
		idleGC.cycles, idleGC.baseline = m.NumGC, m.TotalAlloc
	}
	return m.TotalAlloc - idleGC.baseline
}
