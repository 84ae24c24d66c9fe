package ui

import (
	"sort"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

var (
	sliderKind = Register(Kind{
		Name:    "Slider",
		Outputs: []string{"min", "max", "step", "marks", "disabled", "updatemode"},
		Inputs:  []string{"value", "drag_value"},
		Render:  func(b *Bound) app.UI { return renderSlider(b, false) },
		Mount:   func(ctx app.Context, b *Bound) { syncSlider(ctx, b, false) },
		Changed: func(ctx app.Context, b *Bound) { syncSlider(ctx, b, false) },
	})
	rangeSliderKind = Register(Kind{
		Name:    "RangeSlider",
		Outputs: []string{"min", "max", "step", "marks", "disabled", "updatemode"},
		Inputs:  []string{"value", "drag_value"},
		Render:  func(b *Bound) app.UI { return renderSlider(b, true) },
		Mount:   func(ctx app.Context, b *Bound) { syncSlider(ctx, b, true) },
		Changed: func(ctx app.Context, b *Bound) { syncSlider(ctx, b, true) },
	})
)

// SliderElem is a bound slider, as Dash's dcc.Slider: value (a number), min,
// max, step, marks (labels at values), disabled, updatemode ("mouseup", the
// default, writes value when the handle is let go; "drag" as it moves).
// drag_value follows the handle as it moves either way.
type SliderElem struct{ elem[SliderElem] }

// Slider returns a bound slider from min to max by step, at value.
func Slider(id string, min, max, step, value float64) *SliderElem {
	s := new(SliderElem)
	return s.init(s, sliderKind, id, nil).
		With("min", min).With("max", max).With("step", step).With("value", value)
}

// Marks declares labels shown at values.
func (s *SliderElem) Marks(marks map[float64]string) *SliderElem {
	return s.With("marks", markProp(marks))
}

// UpdateMode declares when value is written: "mouseup" or "drag".
func (s *SliderElem) UpdateMode(mode string) *SliderElem { return s.With("updatemode", mode) }

// RangeSliderElem is a bound slider with two handles, as Dash's
// dcc.RangeSlider: value is [low, high]; the other props as Slider's.
type RangeSliderElem struct{ elem[RangeSliderElem] }

// RangeSlider returns a bound range slider from min to max by step.
func RangeSlider(id string, min, max, step, low, high float64) *RangeSliderElem {
	r := new(RangeSliderElem)
	return r.init(r, rangeSliderKind, id, nil).
		With("min", min).With("max", max).With("step", step).With("value", []float64{low, high})
}

// Marks declares labels shown at values.
func (r *RangeSliderElem) Marks(marks map[float64]string) *RangeSliderElem {
	return r.With("marks", markProp(marks))
}

// UpdateMode declares when value is written: "mouseup" or "drag".
func (r *RangeSliderElem) UpdateMode(mode string) *RangeSliderElem {
	return r.With("updatemode", mode)
}

// markProp is marks as Dash keeps them: labels by the value's text.
func markProp(marks map[float64]string) map[string]string {
	out := make(map[string]string, len(marks))
	for v, label := range marks {
		out[strconv.FormatFloat(v, 'f', -1, 64)] = label
	}
	return out
}

// renderSlider draws one or two native range inputs over a track, and the
// marks under it.
func renderSlider(b *Bound, isRange bool) app.UI {
	lo, hi := b.number("min", 0), b.number("max", 100)
	step := b.number("step", 1)
	values := b.sliderValues(isRange, lo)
	handles := make([]app.UI, len(values))
	for i := range values {
		handles[i] = sliderHandle(b, isRange, i, values, lo, hi, step)
	}
	classes := []string{"lc-slider"}
	if isRange {
		classes = append(classes, "lc-range")
	}
	pct := func(v float64) string {
		if hi <= lo {
			return "0%"
		}
		return strconv.FormatFloat((v-lo)/(hi-lo)*100, 'f', 2, 64) + "%"
	}
	from, to := lo, values[0]
	if isRange {
		from, to = values[0], values[1]
	}
	return Decorate(b, app.Div(), classes...).Body(
		app.Div().Class("lc-slider-rail").Body(
			app.Div().Class("lc-slider-fill").Style("left", pct(from)).Style("width", "calc("+pct(to)+" - "+pct(from)+")"),
		),
		app.Div().Class("lc-slider-handles").Body(handles...),
		app.Div().Class("lc-slider-marks").Body(app.Range(b.marks()).Slice(func(i int) app.UI {
			m := b.marks()[i]
			return app.Span().Class("lc-slider-mark").Style("left", pct(m.at)).Text(m.label)
		})),
	)
}

func sliderHandle(b *Bound, isRange bool, i int, values []float64, lo, hi, step float64) app.UI {
	write := func(prop string) app.EventHandler {
		return func(ctx app.Context, e app.Event) {
			v, err := strconv.ParseFloat(ctx.JSSrc().Get("value").String(), 64)
			if err != nil {
				return
			}
			if !isRange {
				b.Set(prop, v)
				return
			}
			next := b.sliderValues(true, lo)
			next[i] = v
			if next[0] > next[1] {
				next[0], next[1] = next[1], next[0]
			}
			b.Set(prop, next)
		}
	}
	drag := b.String("updatemode") == "drag"
	return app.Input().Type("range").Class("lc-slider-input").
		Attr("min", lo).Attr("max", hi).Attr("step", step).
		Value(strconv.FormatFloat(values[i], 'f', -1, 64)).
		Disabled(b.Bool("disabled")).
		Aria("label", b.ID+map[bool]string{false: "", true: []string{" low", " high"}[i%2]}[isRange]).
		OnInput(func(ctx app.Context, e app.Event) {
			write("drag_value")(ctx, e)
			if drag {
				write("value")(ctx, e)
			}
		}).
		OnChange(func(ctx app.Context, e app.Event) {
			if !drag {
				write("value")(ctx, e)
			}
		})
}

// syncSlider sets each handle's value again once its min and max are in
// place: go-app sets an element's attributes in a map's order, so a value
// set before a max above 100 was clamped to the default max of 100 (the
// report's 1,000..10,000 slider showed its handle at the start, now and
// then, while its value was 10,000). It runs after the render.
func syncSlider(ctx app.Context, b *Bound, isRange bool) {
	ctx.Defer(func(app.Context) { setSliderInputs(b, isRange) })
}

func setSliderInputs(b *Bound, isRange bool) {
	el := app.Window().GetElementByID(b.ID)
	if !el.Truthy() {
		return
	}
	inputs := el.Call("querySelectorAll", ".lc-slider-input")
	values := b.sliderValues(isRange, b.number("min", 0))
	for i := 0; i < inputs.Length() && i < len(values); i++ {
		inputs.Index(i).Set("value", strconv.FormatFloat(values[i], 'f', -1, 64))
	}
}

// number is a numeric prop, or def when unset.
func (b *Bound) number(prop string, def float64) float64 {
	if v, ok := b.Float(prop); ok {
		return v
	}
	return def
}

// sliderValues is the value prop: one number, or two for a range.
func (b *Bound) sliderValues(isRange bool, def float64) []float64 {
	if isRange {
		var vs []float64
		if b.Decode("value", &vs) && len(vs) == 2 {
			return vs
		}
		return []float64{def, def}
	}
	return []float64{b.number("value", def)}
}

type mark struct {
	at    float64
	label string
}

// marks decodes the marks prop, sorted by value.
func (b *Bound) marks() []mark {
	var m map[string]string
	b.Decode("marks", &m)
	out := make([]mark, 0, len(m))
	for k, label := range m {
		if v, err := strconv.ParseFloat(k, 64); err == nil {
			out = append(out, mark{v, label})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].at < out[j].at })
	return out
}
