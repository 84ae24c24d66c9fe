package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// Option is one choice of a Dropdown, Checklist or RadioItems, as Dash's
// {"label": …, "value": …, "disabled": …}. A callback may set a component's
// options: runtime.NewProp[[]ui.Option]("city", "options").
type Option struct {
	Label    string `json:"label"`
	Value    string `json:"value"`
	Disabled bool   `json:"disabled,omitempty"`
}

// Options makes options whose labels are their values.
func Options(values ...string) []Option {
	out := make([]Option, len(values))
	for i, v := range values {
		out[i] = Option{Label: v, Value: v}
	}
	return out
}

// options decodes the options prop; Dash's shorthand, a list of strings, too.
func (b *Bound) options() []Option {
	var opts []Option
	if b.Decode("options", &opts) {
		return opts
	}
	var values []string
	if b.Decode("options", &values) {
		return Options(values...)
	}
	return nil
}

// values decodes a value prop that is a list of strings, or one string.
func (b *Bound) values() []string {
	var vs []string
	if b.Decode("value", &vs) {
		return vs
	}
	if v := b.String("value"); v != "" {
		return []string{v}
	}
	return nil
}

func labelOf(opts []Option, value string) string {
	for _, o := range opts {
		if o.Value == value {
			return o.Label
		}
	}
	return value
}

func toggled(values []string, v string) []string {
	out := make([]string, 0, len(values)+1)
	found := false
	for _, x := range values {
		if x == v {
			found = true
			continue
		}
		out = append(out, x)
	}
	if !found {
		out = append(out, v)
	}
	return out
}

var (
	checklistKind = Register(Kind{
		Name: "Checklist", Outputs: []string{"options", "inline"}, Inputs: []string{"value"},
		Render: func(b *Bound) app.UI { return renderChoices(b, "checkbox") },
	})
	radioKind = Register(Kind{
		Name: "RadioItems", Outputs: []string{"options", "inline"}, Inputs: []string{"value"},
		Render: func(b *Bound) app.UI { return renderChoices(b, "radio") },
	})
)

// renderChoices draws a Checklist (value: the checked values) or RadioItems
// (value: the one chosen) as labelled native inputs.
func renderChoices(b *Bound, typ string) app.UI {
	classes := []string{"lc-choices"}
	if b.Bool("inline") {
		classes = append(classes, "lc-inline")
	}
	values := b.values()
	opts := b.options()
	return Decorate(b, app.Div(), classes...).Attr("role", map[string]string{"checkbox": "group", "radio": "radiogroup"}[typ]).Body(
		app.Range(opts).Slice(func(i int) app.UI {
			o := opts[i]
			return app.Label().Class("lc-choice").Body(
				app.Input().Type(typ).Name(b.ID).Value(o.Value).Attr("data-value", o.Value).
					Checked(contains(values, o.Value)).Disabled(o.Disabled).
					OnChange(func(ctx app.Context, e app.Event) {
						// Read from the element: go-app keeps the first
						// handler of a position, so o may be stale.
						v := ctx.JSSrc().Get("dataset").Get("value").String()
						if typ == "radio" {
							b.Set("value", v)
							return
						}
						b.Set("value", toggled(b.values(), v))
					}),
				app.Span().Text(o.Label),
			)
		}),
	)
}

// ChecklistElem is a bound list of checkboxes, as Dash's dcc.Checklist.
// Props: options, value (the checked values, a list), inline.
type ChecklistElem struct{ elem[ChecklistElem] }

// Checklist returns a bound checklist.
func Checklist(id string, options ...Option) *ChecklistElem {
	c := new(ChecklistElem)
	return c.init(c, checklistKind, id, nil).With("options", options).With("value", []string{})
}

// Value declares the checked values.
func (c *ChecklistElem) Value(values ...string) *ChecklistElem {
	return c.With("value", append([]string{}, values...))
}

// Inline lays the options out in a row.
func (c *ChecklistElem) Inline(v bool) *ChecklistElem { return c.With("inline", v) }

// RadioItemsElem is a bound group of radio buttons, as Dash's
// dcc.RadioItems. Props: options, value (the chosen one), inline.
type RadioItemsElem struct{ elem[RadioItemsElem] }

// RadioItems returns a bound radio group.
func RadioItems(id string, options ...Option) *RadioItemsElem {
	r := new(RadioItemsElem)
	return r.init(r, radioKind, id, nil).With("options", options)
}

// Value declares the chosen value.
func (r *RadioItemsElem) Value(v string) *RadioItemsElem { return r.With("value", v) }

// Inline lays the options out in a row.
func (r *RadioItemsElem) Inline(v bool) *RadioItemsElem { return r.With("inline", v) }
