package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime"
)

func propID(id, prop string) runtime.PropID { return runtime.PropID{ID: id, Prop: prop} }

// The basic HTML components. Each is a Kind (so ui.Node and the start-up
// checks know it) and a typed builder for layouts.
var (
	pKind = Register(Kind{Name: "P", Render: func(b *Bound) app.UI {
		return Decorate(b, app.P()).Body(b.Content()...)
	}})
	divKind = Register(Kind{Name: "Div", Render: func(b *Bound) app.UI {
		return Decorate(b, app.Div()).Body(b.Content()...)
	}})
	buttonKind = Register(Kind{Name: "Button", Outputs: []string{"disabled"}, Inputs: []string{"n_clicks"}, Render: func(b *Bound) app.UI {
		return Decorate(b, app.Button()).Disabled(b.Bool("disabled")).OnClick(b.Count("n_clicks")).Body(b.Content()...)
	}})
	progressKind = Register(Kind{Name: "Progress", Outputs: []string{"value", "max"}, Render: renderProgress})
)

// PElem is a bound <p>. Props: children, className, style.
type PElem struct{ elem[PElem] }

// P returns a bound paragraph.
func P(id string, children ...app.UI) *PElem {
	p := new(PElem)
	return p.init(p, pKind, id, children)
}

// Text declares the initial children.
func (p *PElem) Text(s string) *PElem { p.bound.Text(s); return p }

// DivElem is a bound <div>. Props: children (text, nodes, or the declared
// elements), className, style.
type DivElem struct{ elem[DivElem] }

// Div returns a bound div holding children; a callback may replace them with
// text or nodes, and its style prop can hide or show them.
func Div(id string, children ...app.UI) *DivElem {
	d := new(DivElem)
	return d.init(d, divKind, id, children)
}

// Text declares the initial children as text.
func (d *DivElem) Text(s string) *DivElem { d.bound.Text(s); return d }

// ButtonElem is a bound <button>. Props: children, disabled, n_clicks,
// className, style. A click increments n_clicks, which triggers the
// callbacks that take it as an input.
type ButtonElem struct{ elem[ButtonElem] }

// Button returns a bound button; its children are its label.
func Button(id string, children ...app.UI) *ButtonElem {
	b := new(ButtonElem)
	return b.init(b, buttonKind, id, children)
}

// Text declares the label.
func (b *ButtonElem) Text(s string) *ButtonElem { b.bound.Text(s); return b }

// Disabled declares the initial disabled state.
func (b *ButtonElem) Disabled(v bool) *ButtonElem { b.With("disabled", v); return b }

// ProgressElem is a bound <progress>. Props: value, max, className, style.
// A null value renders an indeterminate bar, as the browser does.
type ProgressElem struct{ elem[ProgressElem] }

// Progress returns a bound progress bar.
func Progress(id string) *ProgressElem {
	p := new(ProgressElem)
	return p.init(p, progressKind, id, nil)
}

// Value declares the initial value.
func (p *ProgressElem) Value(v string) *ProgressElem { p.With("value", v); return p }

// Max declares the initial max.
func (p *ProgressElem) Max(v string) *ProgressElem { p.With("max", v); return p }

func renderProgress(b *Bound) app.UI {
	el := Decorate(b, app.Progress())
	if v := b.String("value"); v != "" {
		el = el.Value(v)
	}
	if m := b.String("max"); m != "" {
		el = el.Max(m)
	}
	return el
}
