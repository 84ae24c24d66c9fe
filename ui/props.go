package ui

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// propsWriter keeps a dashboard's settled props in localStorage, an item a
// prop under `longcall.props.<dashboard> ["<id>","<prop>"]`, and writes only
// the items whose value changed since it last wrote them. A page with a
// table of 10,000 rows (1 MB) and a chart that a job updates writes the
// chart each time, and the rows once: one item for all the props stored the
// rows again at every change, a task of 10–50 ms each time
// (BenchmarkDataTable's long tasks, seen in long-animation-frame entries).
type propsWriter struct {
	storage webStorage
	prefix  string // the dashboard's items' keys begin with it
	legacy  string // the one item earlier versions kept all the props in
	keys    map[runtime.PropID]string
	written map[string]writtenItem
	round   uint32 // the current write's, to find the items no prop has any more
	// msPerByte is what a large write cost, for the next write's estimate.
	msPerByte float64
}

// writtenItem is an item's value as written: the store's bytes, which it
// replaces rather than changes, so comparing them is cheap while they are
// the same.
type writtenItem struct {
	value json.RawMessage
	round uint32
}

// Storing a value costs about writeMsPerByte until a write of at least
// learnBytes measures it, and writeMsPerItem more an item.
const (
	writeMsPerByte = 50.0 / (1 << 20) // the slowest seen: 1 MB in 50 ms
	writeMsPerItem = 0.05
	learnBytes     = 64 << 10
)

func newPropsWriter(storage webStorage, dashboard string) *propsWriter {
	return &propsWriter{
		storage:   storage,
		prefix:    propsKey + dashboard + " ",
		legacy:    propsKey + dashboard,
		keys:      map[runtime.PropID]string{},
		written:   map[string]writtenItem{},
		msPerByte: writeMsPerByte,
	}
}

// restore returns the props kept, which it takes as written.
func (w *propsWriter) restore() []protocol.PropValue {
	var props []protocol.PropValue
	for _, key := range w.storage.keys() {
		var id [2]string
		if !strings.HasPrefix(key, w.prefix) || json.Unmarshal([]byte(key[len(w.prefix):]), &id) != nil {
			continue
		}
		item, ok := w.storage.get(key)
		if !ok || !json.Valid([]byte(item)) {
			continue
		}
		v := protocol.PropValue{ID: id[0], Prop: id[1], Value: json.RawMessage(item)}
		props = append(props, v)
		w.keys[v.PropID()] = key
		w.written[key] = writtenItem{value: v.Value}
	}
	// Kept by an earlier version: taken once, then written as items.
	var legacy []protocol.PropValue
	if load(w.storage, w.legacy, &legacy) {
		props = append(legacy, props...)
		w.storage.remove(w.legacy)
	}
	return props
}

// cost estimates, in ms, writing props: 0 when none changed.
func (w *propsWriter) cost(props []protocol.PropValue) float64 {
	items, size := 0, 0
	w.changes(props, func(_ string, v json.RawMessage) { items, size = items+1, size+len(v) })
	if items == 0 {
		return 0
	}
	return float64(items)*writeMsPerItem + float64(size)*w.msPerByte
}

// write stores the props that changed and removes the items of those
// that are gone.
//
// The props are kept whole or not at all: when the browser refuses an item
// (a full storage), every item of the dashboard is removed, so that a
// reload starts from the layout rather than from some props of the last
// state and the layout's values for the others. The next write tries them
// all again.
func (w *propsWriter) write(props []protocol.PropValue) {
	start, size, refused := now(), 0, false
	w.changes(props, func(key string, v json.RawMessage) {
		switch {
		case refused:
		case v == nil:
			w.storage.remove(key)
			delete(w.written, key)
		case w.storage.set(key, string(v)):
			w.written[key] = writtenItem{value: v, round: w.round}
			size += len(v)
		default:
			refused = true
		}
	})
	if refused {
		for key := range w.written {
			w.storage.remove(key)
		}
		clear(w.written)
		return
	}
	if size >= learnBytes {
		w.msPerByte = max(now()-start, 0.1) / float64(size)
	}
}

// changes calls change for each item to write: a prop whose value differs
// from its item's, or an item whose prop is gone (value nil: remove it).
// It marks the props' items as seen this round.
func (w *propsWriter) changes(props []protocol.PropValue, change func(key string, v json.RawMessage)) {
	w.round++
	for _, v := range props {
		key := w.key(v.PropID())
		if v.Value == nil {
			v.Value = json.RawMessage("null")
		}
		item, ok := w.written[key]
		if ok {
			item.round = w.round
			w.written[key] = item
		}
		if !ok || !bytes.Equal(item.value, v.Value) {
			change(key, v.Value)
		}
	}
	for key, item := range w.written {
		if item.round != w.round {
			change(key, nil)
		}
	}
}

// key is the item's key for a prop.
func (w *propsWriter) key(id runtime.PropID) string {
	key, ok := w.keys[id]
	if !ok {
		name, _ := json.Marshal([2]string{id.ID, id.Prop})
		key = w.prefix + string(name)
		w.keys[id] = key
	}
	return key
}
