package ui

import (
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

var dropdownKind = Register(Kind{
	Name:    "Dropdown",
	Outputs: []string{"options", "multi", "searchable", "clearable", "placeholder", "disabled"},
	Inputs:  []string{"value", "search_value"},
	Render:  renderDropdown,
})

// DropdownElem is a bound dropdown, as Dash's dcc.Dropdown. Props: options
// (a callback may set them), value (the chosen value, or with multi the list
// of chosen values; null when none), multi, searchable (typing filters the
// options; search_value holds what is typed), clearable, placeholder,
// disabled.
type DropdownElem struct{ elem[DropdownElem] }

// Dropdown returns a bound dropdown: single, searchable and clearable.
func Dropdown(id string, options ...Option) *DropdownElem {
	d := new(DropdownElem)
	return d.init(d, dropdownKind, id, nil).With("options", options).
		With("searchable", true).With("clearable", true)
}

// Value declares the chosen value.
func (d *DropdownElem) Value(v string) *DropdownElem { return d.With("value", v) }

// Multi lets several values be chosen; value becomes a list.
func (d *DropdownElem) Multi(values ...string) *DropdownElem {
	return d.With("multi", true).With("value", append([]string{}, values...))
}

// Searchable declares whether typing filters the options.
func (d *DropdownElem) Searchable(v bool) *DropdownElem { return d.With("searchable", v) }

// Clearable declares whether a button clears the value.
func (d *DropdownElem) Clearable(v bool) *DropdownElem { return d.With("clearable", v) }

// Placeholder declares the text shown when nothing is chosen.
func (d *DropdownElem) Placeholder(v string) *DropdownElem { return d.With("placeholder", v) }

const dropdownOpen = "open"

func renderDropdown(b *Bound) app.UI {
	open, _ := b.Local(dropdownOpen).(bool)
	multi, disabled := b.Bool("multi"), b.Bool("disabled")
	opts, chosen := b.options(), b.values()
	classes := []string{"lc-dropdown"}
	if open {
		classes = append(classes, "lc-open")
	}
	if disabled {
		classes = append(classes, "lc-disabled")
	}
	setOpen := func(ctx app.Context, v bool) {
		b.SetLocal(dropdownOpen, v && !b.Bool("disabled"))
		ctx.Update()
	}
	choose := func(ctx app.Context, v string) {
		if b.Bool("multi") {
			b.Set("value", toggled(b.values(), v))
		} else {
			b.Set("value", v)
			setOpen(ctx, false)
		}
		if b.String("search_value") != "" {
			b.Set("search_value", "")
		}
	}
	return Decorate(b, app.Div(), classes...).
		On("focusout", func(ctx app.Context, e app.Event) {
			if next := e.Get("relatedTarget"); !next.Truthy() || !ctx.JSSrc().Call("contains", next).Bool() {
				setOpen(ctx, false)
			}
		}).
		OnKeyDown(func(ctx app.Context, e app.Event) {
			if e.Get("key").String() == "Escape" {
				setOpen(ctx, false)
			}
		}).
		Body(
			app.Div().Class("lc-dropdown-control").TabIndex(0).Attr("role", "combobox").Aria("expanded", open).
				OnClick(func(ctx app.Context, e app.Event) {
					if !open {
						setOpen(ctx, true)
					}
				}).
				Body(
					dropdownShown(b, opts, chosen, multi, open),
					app.If(b.Bool("clearable") && len(chosen) > 0 && !disabled, func() app.UI {
						return app.Button().Class("lc-dropdown-clear").Title("Clear").Text("×").
							OnClick(func(ctx app.Context, e app.Event) {
								e.StopImmediatePropagation()
								if b.Bool("multi") {
									b.Set("value", []string{})
								} else {
									b.Set("value", nil)
								}
							})
					}),
					app.Span().Class("lc-dropdown-arrow").Text("▾").OnClick(func(ctx app.Context, e app.Event) {
						e.StopImmediatePropagation()
						setOpen(ctx, !open)
					}),
				),
			app.If(open, func() app.UI {
				shown := filterOptions(opts, b.String("search_value"))
				return app.Ul().Class("lc-dropdown-menu").Attr("role", "listbox").Body(
					app.If(len(shown) == 0, func() app.UI { return app.Li().Class("lc-dropdown-empty").Text("No results") }),
					app.Range(shown).Slice(func(i int) app.UI {
						o := shown[i]
						cls := []string{"lc-dropdown-option"}
						if contains(chosen, o.Value) {
							cls = append(cls, "lc-selected")
						}
						if o.Disabled {
							cls = append(cls, "lc-disabled")
						}
						return app.Li().Class(cls...).Attr("role", "option").DataSet("value", o.Value).
							Aria("selected", contains(chosen, o.Value)).TabIndex(-1).Text(o.Label).
							OnClick(func(ctx app.Context, e app.Event) {
								if !o.Disabled {
									choose(ctx, o.Value)
								}
							})
					}),
				)
			}),
		)
}

// dropdownShown is the control's content: the chosen labels (chips when
// multi), the search box while open, or the placeholder.
func dropdownShown(b *Bound, opts []Option, chosen []string, multi, open bool) app.UI {
	var parts []app.UI
	if multi {
		for _, v := range chosen {
			parts = append(parts, app.Span().Class("lc-chip").DataSet("value", v).Body(
				app.Span().Text(labelOf(opts, v)),
				app.Button().Class("lc-chip-remove").Title("Remove").Text("×").OnClick(func(ctx app.Context, e app.Event) {
					e.StopImmediatePropagation()
					b.Set("value", toggled(b.values(), v))
				}),
			))
		}
	} else if len(chosen) == 1 && !(open && b.String("search_value") != "") {
		parts = append(parts, app.Span().Class("lc-dropdown-value").Text(labelOf(opts, chosen[0])))
	}
	if open && b.Bool("searchable") {
		parts = append(parts, app.Input().Class("lc-dropdown-search").Type("text").AutoFocus(true).
			Value(b.String("search_value")).Placeholder("Search…").
			OnInput(b.Value("search_value")))
	} else if len(chosen) == 0 {
		parts = append(parts, app.Span().Class("lc-placeholder").Text(b.String("placeholder")))
	}
	return app.Div().Class("lc-dropdown-values").Body(parts...)
}

// filterOptions keeps the options whose label contains the search text,
// case-insensitively.
func filterOptions(opts []Option, search string) []Option {
	if search == "" {
		return opts
	}
	search = strings.ToLower(search)
	var out []Option
	for _, o := range opts {
		if strings.Contains(strings.ToLower(o.Label), search) {
			out = append(out, o)
		}
	}
	return out
}
