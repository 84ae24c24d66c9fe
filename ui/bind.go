package ui

import (
	"encoding/json"
	"fmt"
	"sort"
	"sync"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Kind is a type of bound component: how it renders from its props and which
// props it has. Any go-app element or user component becomes a bound
// component in a few lines:
//
//	var Select = ui.Register(ui.Kind{
//		Name:    "Select",
//		Outputs: []string{"options"},  // props callbacks set, rendered by Render
//		Inputs:  []string{"value"},    // props its events write (and callbacks may set)
//		Render: func(b *ui.Bound) app.UI {
//			return ui.Decorate(b, app.Select()).          // id, className, style, attributes
//				OnChange(b.Value("value")).               // the event writes the input prop
//				Body(...)                                 // options from b.Decode("options", &opts)
//		},
//	})
//
//	// in a layout:
//	Select.Bind("city").With("value", "Paris").Class("wide")
//
// and callbacks name its props as any other: runtime.NewProp[string]("city", "value").
// Every bound component also has the common props (Common): className,
// style and children, and any attribute declared with Attr. A Kind named in
// Register is also a type of ui.Node, for layout that callbacks add.
type Kind struct {
	// Name is the type's name in a ui.Node and in error messages.
	Name string
	// Outputs are the props the component renders, beyond the common ones.
	Outputs []string
	// Inputs are the props its events write; they are outputs too (a
	// callback may set them).
	Inputs []string
	// Render draws the component from its props; read them with b's
	// getters, which see the store once the page runs and the declared
	// values before.
	Render func(b *Bound) app.UI
	// Init, if set, runs in the browser as the component enters the page,
	// after its declared props are in the store and before any callback
	// reads them: to take state kept elsewhere (Store's browser storage)
	// with Bound.Put.
	Init func(b *Bound)
	// Mount, if set, runs once the component is on the page (in the
	// browser), Changed after each change of its props, and Dismount when
	// it leaves: for side effects such as drawing a chart or starting a
	// timer. Each runs on the UI goroutine.
	Mount    func(ctx app.Context, b *Bound)
	Changed  func(ctx app.Context, b *Bound)
	Dismount func(b *Bound)
}

// Common are the props every bound component has.
var Common = []string{"id", "className", "style", "children"}

var kinds sync.Map // name → *Kind

// Register records a kind by its name, so that ui.Node can describe it and
// the start-up checks know its props, and returns it. It panics on a second
// kind of the same name: call it from a package-level var.
func Register(k Kind) *Kind {
	if k.Name == "" || k.Render == nil {
		panic("longcall: ui.Register needs a Name and a Render")
	}
	kp := &k
	if _, loaded := kinds.LoadOrStore(k.Name, kp); loaded {
		panic(fmt.Sprintf("longcall: component kind %q is registered twice", k.Name))
	}
	return kp
}

// KindOf returns the registered kind of that name.
func KindOf(name string) (*Kind, bool) {
	k, ok := kinds.Load(name)
	if !ok {
		return nil, false
	}
	return k.(*Kind), true
}

// Kinds lists the registered kinds' names, sorted.
func Kinds() []string {
	var names []string
	kinds.Range(func(k, _ any) bool { names = append(names, k.(string)); return true })
	sort.Strings(names)
	return names
}

// Props lists the props of the kind: the common ones, its outputs and inputs.
func (k *Kind) Props() []string {
	props := append(append(append([]string(nil), Common...), k.Outputs...), k.Inputs...)
	return props
}

// Bind returns a component of this kind with that id, for a layout.
func (k *Kind) Bind(id string, children ...app.UI) *Bound {
	return &Bound{ID: id, Kind: k, Children: children}
}

// Bound is a component bound to the page's prop store by its id: it renders
// from its props and re-renders when a callback changes them; its events
// write input props, which run the callbacks that take them as inputs.
// Build one with Kind.Bind, then declare its initial props with With, Text,
// Class, Style and Attr.
type Bound struct {
	app.Compo
	ID       string
	Kind     *Kind
	Initial  map[string]json.RawMessage
	Attrs    []string // props rendered as HTML attributes, by Decorate
	Children []app.UI // children declared in the layout

	watching string // the id watched in the store
	unwatch  func()
	local    map[string]any
}

// With declares the initial value of a prop. It panics if v has no JSON
// encoding, a programming error in a layout.
func (b *Bound) With(prop string, v any) *Bound {
	raw, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("longcall: %s.%s: %v", b.ID, prop, err))
	}
	if b.Initial == nil {
		b.Initial = map[string]json.RawMessage{}
	}
	b.Initial[prop] = raw
	return b
}

// Text declares the children as text.
func (b *Bound) Text(s string) *Bound { return b.With("children", s) }

// Class declares the className prop: space-separated CSS classes.
func (b *Bound) Class(names string) *Bound { return b.With("className", names) }

// Style declares the style prop.
func (b *Bound) Style(s Style) *Bound { return b.With("style", s) }

// Attr declares an HTML attribute as a prop of that name (title, hidden,
// aria-label, data-x…): Decorate renders it, callbacks may set it. A false
// or null value leaves the attribute out.
func (b *Bound) Attr(name string, v any) *Bound {
	if !contains(b.Attrs, name) {
		b.Attrs = append(b.Attrs, name)
	}
	return b.With(name, v)
}

// Body declares the children as elements.
func (b *Bound) Body(children ...app.UI) *Bound { b.Children = children; return b }

// Render implements app.Composer.
func (b *Bound) Render() app.UI {
	collect(b)
	return b.Kind.Render(b)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
