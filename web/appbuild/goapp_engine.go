package appbuild

// goappEdit is a change to one of go-app's files in its copy for the
// browser: old must be in the file exactly once.
type goappEdit struct{ file, old, new string }

// goappEdits change how go-app's engine schedules renders. go-app v10 runs
// what ctx.Dispatch sends on its UI goroutine and renders the components
// it marked on its next frame tick, 1/120 s after the first dispatch of an
// idle spell: every click answered, every store update, waited up to
// 8.3 ms — more on a loaded machine, whose timers run late — before it
// reached the DOM (BenchmarkInteractive/click). Here the UI goroutine runs
// every dispatch queued, then renders at once. A burst still renders once:
// what the websocket's reader sets, all its watchers included, is queued
// before the UI goroutine runs (the reader does not yield on a buffered
// send), and a render takes as long as it takes, so renders come at most
// as fast as the browser can show them.
var goappEdits = []goappEdit{{
	file: "engine.go",
	old:  "\tactiveFrameDuration := time.Second / time.Duration(framerate)\n",
	new:  "",
}, {
	file: "engine.go",
	old: `		case dispatch := <-e.dispatches:
			if currentFrameDuration != activeFrameDuration {
				frames.Reset(activeFrameDuration)
				currentFrameDuration = activeFrameDuration
			}
			dispatch()
`,
	new: `		case dispatch := <-e.dispatches: // longcall: see web/appbuild/goapp_engine.go
			dispatch()
			for queued := true; queued; {
				select {
				case dispatch := <-e.dispatches:
					dispatch()
				default:
					queued = false
				}
			}
			e.processFrame()
`,
}}
