package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// A table's data arrives split, not decoded (table.SplitRecords): a paint
// decodes the rows in view. The rest are decoded in the browser's idle
// periods once the data has rested, a batch at a time, so that the first
// sort or filter, which reads every row, finds them ready and stays within
// a frame; and so that a stream of previews, each replacing the last (a
// report built in parts), decodes none but the rows shown: decoding each
// preview whole made a Go collection every few previews, of 50–120 ms in
// one task (docs/BENCHMARKS.md).

// decodeRest is how long, in ms, the data must stay the same before the
// rows not shown are decoded.
const decodeRest = 1000

// decodeBatch is how many rows are decoded between two looks at the idle
// period's time left: well under a millisecond of a warm wasm.
const decodeBatch = 250

// decodeMinIdle is the idle time, in ms, below which a batch waits for the
// next period.
const decodeMinIdle = 3

// rowDecoder is a table's decoding of the rows not shown.
type rowDecoder struct {
	callback app.Func // the timer's and the idle period's, made the first time
	asked    bool     // a call is pending
	stopped  bool     // the table left the page
	restedAt float64  // performance.now() when the data will have rested
}

// decodeWhenRested asks for the table's rows to be decoded once the data
// has rested, in the browser's idle periods. The data changed just now.
func (s *tableState) decodeWhenRested() {
	d := &s.decoder
	if !app.IsClient || d.stopped {
		return
	}
	d.restedAt = now() + decodeRest
	if d.callback == nil {
		d.callback = app.FuncOf(func(_ app.Value, args []app.Value) any {
			d.asked = false
			if d.stopped {
				d.release()
				return nil
			}
			var deadline app.Value // an idle period's; none from a timer
			if len(args) > 0 && args[0].Truthy() {
				deadline = args[0]
			}
			if deadline == nil && (now() < d.restedAt || hasIdleCallback()) {
				d.ask() // a timer: wait on, or for an idle period
				return nil
			}
			s.decodeSome(deadline)
			return nil
		})
	}
	if !d.asked {
		d.ask()
	}
}

// ask schedules the callback: a timer until the data has rested, then the
// next idle period (or, in Safari, a task: a batch a task).
func (d *rowDecoder) ask() {
	d.asked = true
	w := app.Window()
	switch wait := d.restedAt - now(); {
	case wait > 0:
		w.Call("setTimeout", d.callback, wait)
	case hasIdleCallback():
		w.Call("requestIdleCallback", d.callback)
	default:
		w.Call("setTimeout", d.callback, 0)
	}
}

func hasIdleCallback() bool { return app.Window().Get("requestIdleCallback").Truthy() }

// decodeSome decodes batches while the idle period has time left (one batch
// without one), and asks for another if rows are left.
func (s *tableState) decodeSome(deadline app.Value) {
	for !s.data.DecodeNext(decodeBatch) {
		if deadline == nil || deadline.Call("timeRemaining").Float() < decodeMinIdle {
			s.decoder.ask()
			return
		}
	}
}

// stop ends the decoding when the table leaves the page: the callback is
// let go now, or when its pending call comes (a released function must not
// be called).
func (d *rowDecoder) stop() {
	d.stopped = true
	if !d.asked {
		d.release()
	}
}

func (d *rowDecoder) release() {
	if d.callback != nil {
		d.callback.Release()
		d.callback = nil
	}
}
