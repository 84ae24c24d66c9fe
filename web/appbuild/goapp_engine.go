package appbuild

// goappEdit is a change to one of go-app's files in its copy for the
// browser: old must be in the file exactly once.
type goappEdit struct{ file, old, new string }

// goappEdits change when go-app's engine renders, and what. go-app v10 runs
// what ctx.Dispatch sends on its UI goroutine and renders the components
// it marked on its next frame tick, 1/120 s after the first dispatch of an
// idle spell: every click answered, every store update, waited up to
// 8.3 ms — more on a loaded machine, whose timers run late — before it
// reached the DOM (BenchmarkInteractive/click). Here a dispatch that finds
// no frame due runs with the others queued at that moment, and the engine
// renders at once. What a render itself dispatches (a component updating
// itself as it mounts) waits for the next tick, as in go-app: a component
// that always does cannot keep the UI goroutine from giving the browser
// its turn. A burst from the socket still renders once: what its reader
// sets, all the watchers included, is queued before the UI goroutine runs
// (a buffered send does not yield).
//
// What: go-app's Dispatch (a store watcher's, an event handler's,
// ctx.Update) marks its component and every component above it, and the
// engine renders the topmost: the whole page, comparing every component's
// props on the way down, for each progress message of a stream or each
// scroll of a table. A component with a RendersAlone method (ui.Bound, which
// renders from its own props in the page's store) stops the marking at
// itself: it renders, and the page around it does not. Other components
// are marked as in go-app. Before, a fresh page's first progress stream at
// 100 updates a second rendered its page 300 times, and V8 compiled 2.7 s
// of the wasm again, optimised, while it did, on the page's two cores
// (docs/BENCHMARKS.md).
var goappEdits = []goappEdit{{
	file: "engine.go",
	old: `		case dispatch := <-e.dispatches:
			if currentFrameDuration != activeFrameDuration {
				frames.Reset(activeFrameDuration)
				currentFrameDuration = activeFrameDuration
			}
			dispatch()

		case <-frames.C:
			e.processFrame()
			frames.Reset(iddleFrameDuration)
			currentFrameDuration = iddleFrameDuration
`,
	new: `		case dispatch := <-e.dispatches: // longcall: see web/appbuild/goapp_engine.go
			dispatch()
			if currentFrameDuration == activeFrameDuration {
				break // a frame is due: this update joins it
			}
			for n := len(e.dispatches); n > 0; n-- {
				(<-e.dispatches)()
			}
			e.processFrame()
			if len(e.dispatches) > 0 { // the render dispatched: on the next tick
				frames.Reset(activeFrameDuration)
				currentFrameDuration = activeFrameDuration
			}

		case <-frames.C:
			e.processFrame()
			if len(e.dispatches) > 0 {
				frames.Reset(activeFrameDuration)
				currentFrameDuration = activeFrameDuration
				break
			}
			frames.Reset(iddleFrameDuration)
			currentFrameDuration = iddleFrameDuration
`,
}, {
	file: "context.go",
	old: `		for c, ok := component(ctx.sourceElement); ok; c, ok = component(c.parent()) {
			ctx.addComponentUpdate(c, 1)
		}
`,
	new: `		for c, ok := component(ctx.sourceElement); ok; c, ok = component(c.parent()) {
			ctx.addComponentUpdate(c, 1)
			if rendersAlone(c) { // longcall: see web/appbuild/goapp_engine.go
				break
			}
		}
`,
}, {
	file: "context.go",
	old: `	for c, ok := component(ctx.sourceElement); ok; c, ok = component(c.parent()) {
		ctx.addComponentUpdate(c, -1)
	}
`,
	new: `	for c, ok := component(ctx.sourceElement); ok; c, ok = component(c.parent()) {
		ctx.addComponentUpdate(c, -1)
		if rendersAlone(c) {
			break
		}
	}
}

// rendersAlone reports whether c renders from its own state only
// (longcall's ui.Bound): an update it dispatches renders it, and not the
// components above it.
func rendersAlone(c Composer) bool {
	_, ok := c.(interface{ RendersAlone() })
	return ok
`,
}}
