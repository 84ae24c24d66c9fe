package ui

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Style is a style prop's value, as Dash's style dict: {"visibility": "hidden"}.
type Style map[string]string

// element is what every bound component shares: an id, the props the layout
// declares, and a watch on the store that re-renders it when they change.
type element struct {
	app.Compo
	ID      string
	Initial map[string]json.RawMessage

	unwatch func()
}

func (e *element) declare(prop string, v any) {
	raw, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("longcall: %s.%s: %v", e.ID, prop, err))
	}
	if e.Initial == nil {
		e.Initial = map[string]json.RawMessage{}
	}
	e.Initial[prop] = raw
}

// OnInit puts the declared props in the store. go-app calls OnInit while it
// mounts the tree, parents first, before any OnMount (which it dispatches,
// the Dashboard's before its children's): so the initial calls the Dashboard
// makes on mount find the whole layout's props.
func (e *element) OnInit() {
	p := active.Load()
	if p == nil {
		return
	}
	p.store.Declare(e.ID)
	for prop, v := range e.Initial {
		p.store.Init(propID(e.ID, prop), v)
	}
}

// OnMount watches the store.
func (e *element) OnMount(ctx app.Context) {
	e.watch(ctx, func(app.Context) {})
}

// watch is OnMount with a hook run, on the UI goroutine, after every change.
// A component that appears after the page started (layout a callback added)
// gets the initial calls of the callbacks it is an input of, as in Dash,
// once the whole added layout has mounted.
func (e *element) watch(ctx app.Context, changed func(app.Context)) {
	p := active.Load()
	if p == nil {
		return
	}
	e.unwatch = p.store.Watch(e.ID, func() { ctx.Dispatch(changed) })
	if p.client.Added(e.ID) {
		ctx.Defer(func(app.Context) { p.client.Release() })
	}
}

// OnDismount stops watching.
func (e *element) OnDismount() {
	if e.unwatch != nil {
		e.unwatch()
	}
}

// raw returns a prop from the store, or as declared before the store has it.
func (e *element) raw(prop string) json.RawMessage {
	if p := active.Load(); p != nil {
		if v, ok := p.store.Get(propID(e.ID, prop)); ok {
			return v
		}
	}
	return e.Initial[prop]
}

func (e *element) decode(prop string, v any) bool {
	raw := e.raw(prop)
	if len(raw) == 0 || string(raw) == "null" {
		return false
	}
	return json.Unmarshal(raw, v) == nil
}

// text renders a prop as text: a string, a list of strings (Dash's children),
// a number; null is empty.
func (e *element) text(prop string) string {
	var v any
	if !e.decode(prop, &v) {
		return ""
	}
	switch v := v.(type) {
	case string:
		return v
	case []any:
		parts := make([]string, len(v))
		for i, p := range v {
			parts[i] = fmt.Sprint(p)
		}
		return strings.Join(parts, "")
	default:
		return fmt.Sprint(v)
	}
}

func (e *element) flag(prop string) bool {
	var b bool
	e.decode(prop, &b)
	return b
}

func (e *element) style() Style {
	var s Style
	e.decode("style", &s)
	return s
}

// styled applies the style prop to an HTML element.
func styled[T interface {
	Style(string, string, ...any) T
}](el T, s Style) T {
	for k, v := range s {
		el = el.Style(k, v)
	}
	return el
}
