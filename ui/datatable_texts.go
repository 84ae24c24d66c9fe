package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// textWrites are the cells a row pool writes in one paint, sent to the page
// in one call: the page's longcallTexts (web/texts.go) sets each text node
// from bytes. Set one by one, each text was a Go string handed to the page,
// a js.Value with a finalizer: a fast scroll left tens of thousands, and
// the Go collection that found them, ran them and freed them took 59–92 ms
// in one piece (docs/BENCHMARKS.md). A page whose app.js lacks the function
// (go-app's, not edited) gets the texts one by one.
type textWrites struct {
	fn    app.Value   // longcallTexts, if the page has it
	nodes app.Value   // a JS array of the pool's text nodes, by index
	each  []app.Value // the same nodes, for a page without longcallTexts
	heads []byte      // each write's node index and byte length
	texts []byte      // the writes' texts, one after another
	buf   []byte      // what is copied to the page: len(heads)/8, heads, texts
	array app.Value   // a Uint8Array of cap(buf) bytes, the copy's target
}

// add makes node a place to write to, and returns its index.
func (w *textWrites) add(node app.Value) int {
	if w.nodes == nil {
		w.fn, w.nodes = app.Window().Get("longcallTexts"), app.Window().Get("Array").New()
	}
	w.nodes.Call("push", node)
	w.each = append(w.each, node)
	return len(w.each) - 1
}

// set writes text to the node of index at the next flush.
func (w *textWrites) set(node int, text string) {
	w.heads = appendUint32(w.heads, uint32(node))
	w.heads = appendUint32(w.heads, uint32(len(text)))
	w.texts = append(w.texts, text...)
}

// flush writes what set was given since the last flush.
func (w *textWrites) flush() {
	if len(w.heads) == 0 {
		return
	}
	defer func() { w.heads, w.texts = w.heads[:0], w.texts[:0] }()
	if !w.fn.Truthy() {
		w.flushEach()
		return
	}
	w.buf = appendUint32(w.buf[:0], uint32(len(w.heads)/8))
	w.buf = append(append(w.buf, w.heads...), w.texts...)
	if w.array == nil || w.array.Length() < len(w.buf) {
		w.array = app.Window().Get("Uint8Array").New(cap(w.buf))
	}
	app.CopyBytesToJS(w.array, w.buf)
	w.fn.Invoke(w.nodes, w.array)
}

func (w *textWrites) flushEach() {
	texts := w.texts
	for h := 0; h < len(w.heads); h += 8 {
		node, n := uint32At(w.heads[h:]), uint32At(w.heads[h+4:])
		w.each[node].Set("data", string(texts[:n]))
		texts = texts[n:]
	}
}

// reset forgets the nodes: a new body, or rows of another shape.
func (w *textWrites) reset() { *w = textWrites{} }

// appendUint32 and uint32At are encoding/binary's little-endian ones,
// which cost the wasm 3.9 KB of brotli more than these (its reflection).
func appendUint32(b []byte, v uint32) []byte {
	return append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
}

func uint32At(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}
