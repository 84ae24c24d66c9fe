package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime"
)

func propID(id, prop string) runtime.PropID { return runtime.PropID{ID: id, Prop: prop} }

// PElem is a bound <p>. Props: children, style.
type PElem struct{ element }

// P returns a bound paragraph.
func P(id string) *PElem { return &PElem{element{ID: id}} }

// Text declares the initial children.
func (p *PElem) Text(s string) *PElem { p.declare("children", s); return p }

// Style declares the initial style.
func (p *PElem) Style(s Style) *PElem { p.declare("style", s); return p }

// Render implements app.Composer.
func (p *PElem) Render() app.UI {
	return styled(app.P().ID(p.ID), p.style()).Text(p.text("children"))
}

// DivElem is a bound <div>. Props: children (text), style.
type DivElem struct {
	element
	Children []app.UI
}

// Div returns a bound div holding children; its style prop can hide or show them.
func Div(id string, children ...app.UI) *DivElem {
	return &DivElem{element: element{ID: id}, Children: children}
}

// Render implements app.Composer. Children set by a callback replace the
// declared ones: text, or nodes (layout added later).
func (d *DivElem) Render() app.UI {
	div := styled(app.Div().ID(d.ID), d.style())
	var nodes []Node
	if d.decode("children", &nodes) {
		children := make([]app.UI, len(nodes))
		for i, n := range nodes {
			children[i] = n.render()
		}
		return div.Body(children...)
	}
	if t := d.text("children"); t != "" {
		return div.Text(t)
	}
	return div.Body(d.Children...)
}

// ButtonElem is a bound <button>. Props: children, disabled, n_clicks, style.
// A click increments n_clicks, which triggers the callbacks that take it as
// an input.
type ButtonElem struct{ element }

// Button returns a bound button.
func Button(id string) *ButtonElem { return &ButtonElem{element{ID: id}} }

// Text declares the label.
func (b *ButtonElem) Text(s string) *ButtonElem { b.declare("children", s); return b }

// Disabled declares the initial disabled state.
func (b *ButtonElem) Disabled(v bool) *ButtonElem { b.declare("disabled", v); return b }

// Render implements app.Composer.
func (b *ButtonElem) Render() app.UI {
	return styled(app.Button().ID(b.ID), b.style()).
		Disabled(b.flag("disabled")).
		OnClick(b.click).
		Text(b.text("children"))
}

func (b *ButtonElem) click(app.Context, app.Event) {
	var n int
	b.decode("n_clicks", &n)
	update(b.ID, "n_clicks", n+1)
}

// ProgressElem is a bound <progress>. Props: value, max, style. A null value
// renders an indeterminate bar, as the browser does.
type ProgressElem struct{ element }

// Progress returns a bound progress bar.
func Progress(id string) *ProgressElem { return &ProgressElem{element{ID: id}} }

// Value declares the initial value.
func (p *ProgressElem) Value(v string) *ProgressElem { p.declare("value", v); return p }

// Max declares the initial max.
func (p *ProgressElem) Max(v string) *ProgressElem { p.declare("max", v); return p }

// Style declares the initial style.
func (p *ProgressElem) Style(s Style) *ProgressElem { p.declare("style", s); return p }

// Render implements app.Composer.
func (p *ProgressElem) Render() app.UI {
	el := styled(app.Progress().ID(p.ID), p.style())
	if v := p.text("value"); v != "" {
		el = el.Value(v)
	}
	if m := p.text("max"); m != "" {
		el = el.Max(m)
	}
	return el
}

// InputElem is a bound <input>. Props: value, placeholder, type, disabled,
// style. Typing updates value, which triggers the callbacks that take it as
// an input (Dash's dcc.Input with debounce off).
type InputElem struct{ element }

// Input returns a bound text input.
func Input(id string) *InputElem { return &InputElem{element{ID: id}} }

// Value declares the initial value.
func (in *InputElem) Value(v string) *InputElem { in.declare("value", v); return in }

// Placeholder declares the placeholder text.
func (in *InputElem) Placeholder(v string) *InputElem { in.declare("placeholder", v); return in }

// Render implements app.Composer.
func (in *InputElem) Render() app.UI {
	return styled(app.Input().ID(in.ID), in.style()).
		Type("text").
		Value(in.text("value")).
		Placeholder(in.text("placeholder")).
		Disabled(in.flag("disabled")).
		OnInput(in.changed)
}

func (in *InputElem) changed(ctx app.Context, e app.Event) {
	update(in.ID, "value", ctx.JSSrc().Get("value").String())
}
