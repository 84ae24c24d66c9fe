package ui

import (
	"slices"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/ui/table"
)

// In the browser a DataTable's rows are not go-app's: go-app renders the
// table's body empty, and a rowPool writes the rows into it, reusing their
// elements. Rebuilt as go-app nodes and diffed at every scrolled frame, the
// rows in view cost 100 KB of Go allocations a frame: a Go collection every
// 50 frames or so, which ran inside a scroll event and made it a long task
// of 35–56 ms (BenchmarkDataTable; docs/BENCHMARKS.md). Here a row that
// stays in view keeps its element and at most moves, a row scrolled into
// view takes the element of one scrolled out and writes only the cells
// whose text differs, and a scroll that shows the same rows writes nothing.
// The server renders the rows as go-app nodes (dataRow), for the page's
// first paint.

// rowPool is the rows of one table's body in the DOM.
type rowPool struct {
	scroll, body app.Value
	onScroll     app.Func
	shape        rowShape   // what the slots' elements were made for
	slots        []*rowSlot // the rows in the DOM, in its order
	spare        []*rowSlot // rows out of the DOM, to reuse
	top, bottom  spacer
	writes       textWrites // the cells' texts, written once a paint
	// Scratch space, kept to allocate nothing at a frame.
	next    []*rowSlot
	left    []*rowSlot // slots whose row left the view
	was     []int      // each of next's index in slots, or -1
	run     []int      // the longest run of next in slots' order, by LIS
	prev    []int
	inPlace []bool
}

// rowShape is what a row's elements depend on: the number of columns and
// the kind of selection box.
type rowShape struct {
	columns int
	box     string // "checkbox", "radio" or ""
}

// rowSlot is one row's elements and what they show.
type rowSlot struct {
	tr       app.Value
	dataset  app.Value   // tr's: data-row is written as a number, not a string for Go to finalize
	box      app.Value   // the selection input, if the table has one
	cells    []app.Value // each column's td
	text0    int         // the first td's text node in the pool's writes; the others follow
	shown    []string    // each text node's text
	row      int         // the data row shown, -1: none yet
	selected int8        // 1 selected, 0 not, -1 not known (a box the user clicked)
	active   int         // the column drawn as active_cell, -1: none
}

// spacer is a row that stands for rows out of the DOM, so that the
// scrollbar is the whole table's. It is in the DOM only while it stands
// for some: the last row element is then a data row at the table's end.
type spacer struct {
	tr    app.Value
	style app.Value // tr's
	rows  int
	shown bool
}

// attach finds the table's scroll box and body in root, the rendered table,
// and calls scrolled at each scroll of the box.
func (t *rowPool) attach(root app.Value, scrolled func()) {
	t.scroll = root.Call("querySelector", ".lc-table-scroll")
	t.body = t.scroll.Call("querySelector", "tbody")
	// A new body: rows made for another are not in it.
	t.slots, t.spare, t.shape = nil, nil, rowShape{}
	t.top, t.bottom = spacer{}, spacer{}
	t.writes.reset()
	t.onScroll = app.FuncOf(func(app.Value, []app.Value) any {
		scrolled()
		return nil
	})
	t.scroll.Call("addEventListener", "scroll", t.onScroll, map[string]any{"passive": true})
}

// detach stops listening to the box.
func (t *rowPool) detach() {
	if t.onScroll != nil {
		t.scroll.Call("removeEventListener", "scroll", t.onScroll)
		t.onScroll.Release()
		t.onScroll = nil
	}
}

// viewport is the box's scroll position and height.
func (t *rowPool) viewport() (top, height float64) {
	return t.scroll.Get("scrollTop").Float(), t.scroll.Get("clientHeight").Float()
}

// paint shows rows (indices into the data, in order) with before and after
// rows out of the DOM above and below them.
func (t *rowPool) paint(s *tableState, p *tableProps, rows []int, before, after int) {
	if shape := (rowShape{columns: len(p.columns), box: boxKind(p.selectable)}); shape != t.shape {
		t.reset(shape)
	}
	t.place(rows)
	t.fit(&t.top, before, func(tr app.Value) { t.body.Call("prepend", tr) })
	t.fit(&t.bottom, after, func(tr app.Value) { t.body.Call("append", tr) })
	t.order()
	for k, i := range rows {
		t.slots[k].write(p, s.cellTexts(p.columns, i), i, &t.writes)
	}
	t.writes.flush()
}

// reset empties the body, for rows of another shape.
func (t *rowPool) reset(shape rowShape) {
	t.body.Set("textContent", "")
	t.shape, t.slots, t.spare = shape, nil, nil
	t.top.shown, t.bottom.shown = false, false
	t.writes.reset()
}

// place chooses each row's slot: the one showing it already, else one whose
// row left the view, else a new one. Slots no row took leave the DOM.
func (t *rowPool) place(rows []int) {
	t.next = slices.Grow(t.next[:0], len(rows))[:len(rows)]
	t.was = slices.Grow(t.was[:0], len(rows))[:len(rows)]
	clear(t.next)
	for k := range t.was {
		t.was[k] = -1
	}
	t.left = t.left[:0]
	for old, slot := range t.slots {
		if k := slices.Index(rows, slot.row); k >= 0 && t.next[k] == nil {
			t.next[k], t.was[k] = slot, old
			continue
		}
		t.left = append(t.left, slot)
	}
	// The slots that left are taken in their order, so that after a jump
	// (every row new) they stay where they are.
	taken := 0
	for k := range t.next {
		if t.next[k] != nil {
			continue
		}
		switch {
		case taken < len(t.left):
			t.next[k] = t.left[taken]
			t.was[k] = slices.Index(t.slots, t.next[k])
			taken++
		case len(t.spare) > 0:
			t.next[k], t.spare = t.spare[len(t.spare)-1], t.spare[:len(t.spare)-1]
		default:
			t.next[k] = t.newSlot()
		}
	}
	for _, slot := range t.left[taken:] {
		slot.tr.Call("remove")
		t.spare = append(t.spare, slot)
	}
	t.slots, t.next = t.next, t.slots
}

// fit shows sp standing for n rows, or takes it out of the DOM for none.
func (t *rowPool) fit(sp *spacer, n int, insert func(app.Value)) {
	switch {
	case n > 0 && !sp.shown:
		if sp.tr == nil {
			sp.tr = app.Window().Get("document").Call("createElement", "tr")
			sp.tr.Set("className", "lc-table-spacer")
			sp.style = sp.tr.Get("style")
		}
		insert(sp.tr)
		sp.shown = true
	case n == 0 && sp.shown:
		sp.tr.Call("remove")
		sp.shown = false
		return
	case n == 0:
		return
	}
	if n != sp.rows {
		sp.style.Set("height", strconv.Itoa(n*rowHeight)+"px")
		sp.rows = n
	}
}

// order moves the slots into their order in the DOM. The longest run of
// them already in order stays; each of the others moves in front of the
// slot after it (or of the bottom spacer): a scroll of a few rows moves
// those few. (before and append, not insertBefore: they return nothing,
// where insertBefore returns the node, a js.Value for Go to finalize.)
func (t *rowPool) order() {
	n := len(t.slots)
	t.inPlace = slices.Grow(t.inPlace[:0], n)[:n]
	clear(t.inPlace)
	for _, k := range t.longestRun() {
		t.inPlace[k] = true
	}
	var anchor app.Value // nil: the body's end
	if t.bottom.shown {
		anchor = t.bottom.tr
	}
	for k := n - 1; k >= 0; k-- {
		switch {
		case t.inPlace[k]:
		case anchor == nil:
			t.body.Call("append", t.slots[k].tr)
		default:
			anchor.Call("before", t.slots[k].tr)
		}
		anchor = t.slots[k].tr
	}
}

// longestRun returns the indices of the longest run of slots whose former
// places (was) increase: those need not move. n is a table's rows in view,
// a few dozen: quadratic is cheaper than clever.
func (t *rowPool) longestRun() []int {
	n := len(t.was)
	t.run = slices.Grow(t.run[:0], n)[:n] // the run's length ending at k
	t.prev = slices.Grow(t.prev[:0], n)[:n]
	best := -1
	for k, w := range t.was {
		t.run[k], t.prev[k] = 0, -1
		if w < 0 {
			continue
		}
		t.run[k] = 1
		for j := range k {
			if t.was[j] >= 0 && t.was[j] < w && t.run[j]+1 > t.run[k] {
				t.run[k], t.prev[k] = t.run[j]+1, j
			}
		}
		if best < 0 || t.run[k] > t.run[best] {
			best = k
		}
	}
	out := t.run[:0] // run is not read again: its space holds the answer
	for k := best; k >= 0; k = t.prev[k] {
		out = append(out, k)
	}
	return out
}

// newSlot makes a row's elements for the pool's shape.
func (t *rowPool) newSlot() *rowSlot {
	doc := app.Window().Get("document")
	slot := &rowSlot{tr: doc.Call("createElement", "tr"), row: -1, selected: -1, active: -1}
	slot.dataset = slot.tr.Get("dataset")
	if t.shape.box != "" {
		td := doc.Call("createElement", "td")
		td.Set("className", "lc-table-select")
		slot.box = doc.Call("createElement", "input")
		slot.box.Set("type", t.shape.box)
		td.Call("append", slot.box)
		slot.tr.Call("append", td)
	}
	for c := range t.shape.columns {
		td := doc.Call("createElement", "td")
		text := doc.Call("createTextNode", "")
		td.Call("append", text)
		slot.tr.Call("append", td)
		slot.cells = append(slot.cells, td)
		if k := t.writes.add(text); c == 0 {
			slot.text0 = k
		}
		slot.shown = append(slot.shown, "")
	}
	return slot
}

// write shows data row i, whose cells' texts are texts, writing only what
// differs from what the slot shows; the texts are written at w's flush.
func (slot *rowSlot) write(p *tableProps, texts []string, i int, w *textWrites) {
	if slot.row != i {
		slot.dataset.Set("row", i)
		slot.row = i
	}
	for c, text := range texts {
		if slot.shown[c] != text {
			w.set(slot.text0+c, text)
			slot.shown[c] = text
		}
	}
	var selected int8
	if slices.Contains(p.selected, i) {
		selected = 1
	}
	if selected != slot.selected {
		slot.tr.Get("classList").Call("toggle", "lc-table-selected", selected == 1)
		if slot.box != nil {
			slot.box.Set("checked", selected == 1)
		}
		slot.selected = selected
	}
	active := -1
	if p.active != nil && p.active.Row == i {
		active = slices.IndexFunc(p.columns, func(c table.Column) bool { return c.ID == p.active.ColumnID })
	}
	if active != slot.active {
		if slot.active >= 0 {
			slot.cells[slot.active].Get("classList").Call("remove", "lc-table-active")
		}
		if active >= 0 {
			slot.cells[active].Get("classList").Call("add", "lc-table-active")
		}
		slot.active = active
	}
}

// forgetBoxes marks every row's box as not known: the user clicked one,
// and the browser changed it, whatever selected_rows becomes.
func (t *rowPool) forgetBoxes() {
	for _, slot := range t.slots {
		slot.selected = -1
	}
}

// boxKind is the input type of a row's selection box for row_selectable.
func boxKind(selectable string) string {
	switch selectable {
	case "":
		return ""
	case "single":
		return "radio"
	}
	return "checkbox"
}
