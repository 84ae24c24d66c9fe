package ui

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime/protocol"
)

// OnInit puts the declared props in the store. go-app calls OnInit while it
// mounts the tree, parents first, before any OnMount (which it dispatches,
// the Dashboard's before its children's): so the initial calls the Dashboard
// makes on mount find the whole layout's props.
func (b *Bound) OnInit() { b.declare() }

func (b *Bound) declare() {
	p := active.Load()
	if p == nil {
		return
	}
	p.store.Declare(b.ID)
	for prop, v := range b.Initial {
		p.store.Init(propID(b.ID, prop), v)
	}
	if b.Kind.Init != nil {
		b.Kind.Init(b)
	}
}

// Put sets a prop in the store without running the callbacks that take it
// as an input: for a Kind's Init, which restores state before the page's
// initial calls.
func (b *Bound) Put(prop string, raw json.RawMessage) {
	if p := active.Load(); p != nil {
		p.store.Set(protocol.PropValue{ID: b.ID, Prop: prop, Value: raw})
	}
}

// OnMount watches the store and runs the kind's Mount.
func (b *Bound) OnMount(ctx app.Context) {
	b.watch(ctx)
	if b.Kind.Mount != nil {
		b.Kind.Mount(ctx, b)
	}
}

// OnUpdate follows a new id when go-app reuses this component for another
// one (a callback replaced a Div's children with others of the same Go type).
func (b *Bound) OnUpdate(ctx app.Context) {
	if b.ID == b.watching || active.Load() == nil {
		return
	}
	b.stopWatching()
	b.declare()
	b.watch(ctx)
	if b.Kind.Changed != nil {
		b.Kind.Changed(ctx, b)
	}
}

// RendersAlone marks a Bound as rendering from its own props only, for
// longcall's browser build of go-app (web/appbuild/goapp_engine.go): a
// store update, an event or ctx.Update in it renders the component, and
// not the page around it, which renders from its own props. go-app as it is
// does not call it, and renders the page around it as well.
func (b *Bound) RendersAlone() {}

// watch re-renders on every change of the component's props, and runs the
// kind's Changed after it. A component that appears after the page started
// (layout a callback added) gets the initial calls of the callbacks it is an
// input of, as in Dash, once the whole added layout has mounted.
func (b *Bound) watch(ctx app.Context) {
	p := active.Load()
	if p == nil {
		return
	}
	b.watching = b.ID
	b.unwatch = p.store.Watch(b.ID, func() {
		ctx.Dispatch(func(ctx app.Context) {
			if b.Kind.Changed != nil {
				b.Kind.Changed(ctx, b)
			}
		})
	})
	if p.client.Added(b.ID) {
		ctx.Defer(func(app.Context) { p.client.Release() })
	}
}

// OnDismount stops watching and runs the kind's Dismount.
func (b *Bound) OnDismount() {
	b.stopWatching()
	if b.Kind.Dismount != nil {
		b.Kind.Dismount(b)
	}
}

func (b *Bound) stopWatching() {
	if b.unwatch != nil {
		b.unwatch()
		b.unwatch = nil
	}
}

// Raw returns a prop's JSON: from the store, or as declared before the store
// has it (when rendered on the server).
func (b *Bound) Raw(prop string) json.RawMessage {
	if p := active.Load(); p != nil {
		if v, ok := p.store.Get(propID(b.ID, prop)); ok {
			return v
		}
	}
	return b.Initial[prop]
}

// Has reports whether the prop has a value other than null.
func (b *Bound) Has(prop string) bool {
	raw := b.Raw(prop)
	return len(raw) > 0 && string(raw) != "null"
}

// Decode decodes a prop into v; false if the prop is unset, null or not of
// v's type (v is then left as it was).
func (b *Bound) Decode(prop string, v any) bool {
	if !b.Has(prop) {
		return false
	}
	return json.Unmarshal(b.Raw(prop), v) == nil
}

// String renders a prop as text: a string, a list (Dash's children), a
// number; null is empty.
func (b *Bound) String(prop string) string {
	var v any
	if !b.Decode(prop, &v) {
		return ""
	}
	return textOf(v)
}

func textOf(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case []any:
		parts := make([]string, len(v))
		for i, p := range v {
			parts[i] = textOf(p)
		}
		return strings.Join(parts, "")
	default:
		return fmt.Sprint(v)
	}
}

// Bool is a boolean prop; false when unset.
func (b *Bound) Bool(prop string) bool {
	var v bool
	b.Decode(prop, &v)
	return v
}

// Float is a numeric prop (a number or a numeric string); ok is false when
// it is unset or not a number.
func (b *Bound) Float(prop string) (v float64, ok bool) {
	if b.Decode(prop, &v) {
		return v, true
	}
	f, err := strconv.ParseFloat(b.String(prop), 64)
	return f, err == nil
}

// Int is an integer prop; 0 when unset.
func (b *Bound) Int(prop string) int {
	f, _ := b.Float(prop)
	return int(f)
}

// Set writes an input prop from an event: the store takes the value and the
// callbacks that take the prop as an input run. It does nothing on the
// server.
func (b *Bound) Set(prop string, v any) { update(b.ID, prop, v) }

// Value is an event handler that sets prop to the event target's value, as
// text (an input's, a textarea's or a select's value).
func (b *Bound) Value(prop string) app.EventHandler {
	return func(ctx app.Context, e app.Event) { b.Set(prop, ctx.JSSrc().Get("value").String()) }
}

// Count is an event handler that adds one to an integer prop (n_clicks).
func (b *Bound) Count(prop string) app.EventHandler {
	return func(app.Context, app.Event) { b.Set(prop, b.Int(prop)+1) }
}

// Local returns a value the component keeps for itself, outside the store
// (a dropdown's open state, a timer): nil until SetLocal.
func (b *Bound) Local(key string) any { return b.local[key] }

// SetLocal keeps a value for the component; re-render with ctx.Update.
func (b *Bound) SetLocal(key string, v any) {
	if b.local == nil {
		b.local = map[string]any{}
	}
	b.local[key] = v
}
