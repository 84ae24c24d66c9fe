package appbuild

// goappEdit is a change to one of go-app's files in its copy for the
// browser: old must be in the file exactly once.
type goappEdit struct{ file, old, new string }

// goappEdits change how go-app's engine schedules renders. go-app v10 runs
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
}}
