package ui

import (
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

var inputKind = Register(Kind{
	Name:    "Input",
	Outputs: []string{"type", "placeholder", "disabled", "readOnly", "min", "max", "step", "debounce", "required", "pattern", "minLength", "maxLength", "autoComplete", "name"},
	Inputs:  []string{"value", "n_submit", "n_blur"},
	Render:  renderInput,
})

// InputElem is a bound <input>, as Dash's dcc.Input. Props: value, type
// (text, number, password, email, date, range, search, tel, url…),
// placeholder, disabled, readOnly, min, max, step, debounce, n_submit
// (Enter), n_blur, and the common ones. A number or range input's value is a
// number, null when empty; any other's is text.
//
// debounce false (the default) writes value at each keystroke; true writes
// it on Enter or when the input loses focus; a number of seconds writes it
// once typing has paused that long.
type InputElem struct{ elem[InputElem] }

// Input returns a bound text input.
func Input(id string) *InputElem {
	in := new(InputElem)
	return in.init(in, inputKind, id, nil)
}

// Value declares the initial text.
func (in *InputElem) Value(v string) *InputElem { return in.With("value", v) }

// Number declares the initial value of a number or range input.
func (in *InputElem) Number(v float64) *InputElem { return in.With("value", v) }

// Type declares the input's type: "number", "password", "email", "date", "range"…
func (in *InputElem) Type(t string) *InputElem { return in.With("type", t) }

// Placeholder declares the placeholder text.
func (in *InputElem) Placeholder(v string) *InputElem { return in.With("placeholder", v) }

// Disabled declares the initial disabled state.
func (in *InputElem) Disabled(v bool) *InputElem { return in.With("disabled", v) }

// Range declares min, max and step (a step of 0 leaves it out).
func (in *InputElem) Range(min, max, step float64) *InputElem {
	in.With("min", min).With("max", max)
	if step > 0 {
		in.With("step", step)
	}
	return in
}

// Debounce writes value on Enter or blur only.
func (in *InputElem) Debounce(v bool) *InputElem { return in.With("debounce", v) }

// DebounceDelay writes value once typing has paused for d.
func (in *InputElem) DebounceDelay(d time.Duration) *InputElem {
	return in.With("debounce", d.Seconds())
}

func renderInput(b *Bound) app.UI {
	typ := b.String("type")
	if typ == "" {
		typ = "text"
	}
	el := Decorate(b, app.Input(), "lc-input").
		Type(typ).
		Value(b.String("value")).
		Placeholder(b.String("placeholder")).
		Disabled(b.Bool("disabled")).
		ReadOnly(b.Bool("readOnly")).
		Required(b.Bool("required")).
		OnInput(func(ctx app.Context, e app.Event) { typed(ctx, b) }).
		OnChange(func(ctx app.Context, e app.Event) { committed(ctx, b) }).
		OnBlur(func(ctx app.Context, e app.Event) { b.Set("n_blur", b.Int("n_blur")+1) }).
		OnKeyDown(func(ctx app.Context, e app.Event) {
			if e.Get("key").String() == "Enter" {
				committed(ctx, b)
				b.Set("n_submit", b.Int("n_submit")+1)
			}
		})
	for _, attr := range []string{"min", "max", "step", "pattern", "minLength", "maxLength", "autoComplete", "name"} {
		if v := b.String(attr); v != "" {
			el = el.Attr(attr, v)
		}
	}
	return el
}

// typed handles a keystroke by the debounce prop.
func typed(ctx app.Context, b *Bound) {
	var debounce any
	b.Decode("debounce", &debounce)
	switch d := debounce.(type) {
	case bool:
		if d {
			return // written by committed
		}
	case float64:
		if d > 0 {
			seq, _ := b.Local("typing").(int)
			seq++
			b.SetLocal("typing", seq)
			target := ctx.JSSrc()
			ctx.After(time.Duration(d*float64(time.Second)), func(ctx app.Context) {
				if b.Local("typing") == seq {
					b.Set("value", inputValue(b, target))
				}
			})
			return
		}
	}
	b.Set("value", inputValue(b, ctx.JSSrc()))
}

// committed writes value on Enter or a change event (blur), when debounced
// and the value differs from the store's.
func committed(ctx app.Context, b *Bound) {
	var debounce any
	if !b.Decode("debounce", &debounce) || debounce == false {
		return
	}
	b.SetLocal("typing", nil)
	v := inputValue(b, ctx.JSSrc())
	if textOf(v) != b.String("value") || !b.Has("value") {
		b.Set("value", v)
	}
}

// inputValue is the element's value as the prop holds it: a number (or null)
// for number and range inputs, text for the others.
func inputValue(b *Bound, target app.Value) any {
	s := target.Get("value").String()
	switch b.String("type") {
	case "number", "range":
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil
		}
		return f
	}
	return s
}

var textareaKind = Register(Kind{
	Name:    "Textarea",
	Outputs: []string{"placeholder", "disabled", "readOnly", "rows", "cols", "maxLength", "required"},
	Inputs:  []string{"value", "n_blur"},
	Render: func(b *Bound) app.UI {
		el := Decorate(b, app.Textarea(), "lc-input", "lc-textarea").
			Placeholder(b.String("placeholder")).
			Disabled(b.Bool("disabled")).
			ReadOnly(b.Bool("readOnly")).
			Required(b.Bool("required")).
			OnInput(b.Value("value")).
			OnBlur(func(ctx app.Context, e app.Event) { b.Set("n_blur", b.Int("n_blur")+1) }).
			Text(b.String("value"))
		for _, attr := range []string{"rows", "cols", "maxLength"} {
			if v := b.String(attr); v != "" {
				el = el.Attr(attr, v)
			}
		}
		return el
	},
})

// TextareaElem is a bound <textarea>, as Dash's dcc.Textarea. Props: value,
// placeholder, rows, cols, disabled, readOnly, maxLength, n_blur.
type TextareaElem struct{ elem[TextareaElem] }

// Textarea returns a bound multi-line text input.
func Textarea(id string) *TextareaElem {
	t := new(TextareaElem)
	return t.init(t, textareaKind, id, nil)
}

// Value declares the initial text.
func (t *TextareaElem) Value(v string) *TextareaElem { return t.With("value", v) }

// Placeholder declares the placeholder text.
func (t *TextareaElem) Placeholder(v string) *TextareaElem { return t.With("placeholder", v) }

// Rows declares the visible number of lines.
func (t *TextareaElem) Rows(n int) *TextareaElem { return t.With("rows", n) }
