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

const (
	dropdownOpen   = "open"
	dropdownActive = "active" // the option the arrow keys point at: an index into the shown ones
)

// The dropdown's event handlers read its state when the event comes, never
// from the render that made them: go-app keeps an element's first handler
// for as long as the new one is the same function literal, so a value a
// handler captured (open, an option's value) would go stale. An option's or
// a chip's value is read from its data-value for the same reason.

func renderDropdown(b *Bound) app.UI {
	open := dropdownIsOpen(b)
	multi, disabled := b.Bool("multi"), b.Bool("disabled")
	opts, chosen := b.options(), b.values()
	classes := []string{"lc-dropdown"}
	if open {
		classes = append(classes, "lc-open")
	}
	if multi {
		classes = append(classes, "lc-multi")
	}
	if disabled {
		classes = append(classes, "lc-disabled")
	}
	return Decorate(b, app.Div(), classes...).
		// Inside a <label> a click would also activate the label's first
		// button or input (it cleared the value, and closed the menu): the
		// dropdown's clicks are its own.
		OnClick(func(ctx app.Context, e app.Event) { e.PreventDefault() }).
		On("focusout", func(ctx app.Context, e app.Event) {
			if next := e.Get("relatedTarget"); !next.Truthy() || !ctx.JSSrc().Call("contains", next).Bool() {
				setDropdownOpen(ctx, b, false)
			}
		}).
		OnKeyDown(func(ctx app.Context, e app.Event) { dropdownKey(ctx, e, b) }).
		Body(
			app.Div().Class("lc-dropdown-control").TabIndex(0).Attr("role", "combobox").
				Aria("expanded", open).Aria("haspopup", "listbox").
				OnClick(func(ctx app.Context, e app.Event) {
					if !dropdownIsOpen(b) {
						setDropdownOpen(ctx, b, true)
					}
				}).
				Body(
					dropdownShown(b, opts, chosen, multi, open),
					app.If(b.Bool("clearable") && len(chosen) > 0 && !disabled, func() app.UI {
						return app.Span().Class("lc-dropdown-clear").Attr("role", "button").Title("Clear").Text("×").
							OnClick(func(ctx app.Context, e app.Event) {
								e.PreventDefault()
								e.StopImmediatePropagation()
								if b.Bool("multi") {
									b.Set("value", []string{})
								} else {
									b.Set("value", nil)
								}
							})
					}),
					app.Span().Class("lc-dropdown-arrow").Aria("hidden", true).OnClick(func(ctx app.Context, e app.Event) {
						e.PreventDefault()
						e.StopImmediatePropagation()
						setDropdownOpen(ctx, b, !dropdownIsOpen(b))
					}),
				),
			app.If(open, func() app.UI { return dropdownMenu(b, opts, chosen) }),
		)
}

// dropdownMenu is the open list: the options the search text matches.
func dropdownMenu(b *Bound, opts []Option, chosen []string) app.UI {
	shown := filterOptions(opts, b.String("search_value"))
	active := dropdownActiveIndex(b, len(shown))
	return app.Ul().Class("lc-dropdown-menu").Attr("role", "listbox").Aria("multiselectable", b.Bool("multi")).
		// A press on the menu keeps the focus where it is (the search box):
		// no focusout closes the menu before the click picks.
		OnMouseDown(func(ctx app.Context, e app.Event) { e.PreventDefault() }).
		Body(
			app.If(len(shown) == 0, func() app.UI { return app.Li().Class("lc-dropdown-empty").Text("No results") }),
			app.If(b.Bool("multi") && len(shown) > 0, func() app.UI {
				return app.Li().Class("lc-dropdown-actions").Attr("role", "presentation").Body(
					app.Span().Class("lc-dropdown-select-all").Attr("role", "button").Text("Select all").
						OnClick(func(ctx app.Context, e app.Event) { selectShown(b, true) }),
					app.Span().Class("lc-dropdown-select-none").Attr("role", "button").Text("Deselect all").
						OnClick(func(ctx app.Context, e app.Event) { selectShown(b, false) }),
				)
			}),
			app.Range(shown).Slice(func(i int) app.UI {
				o := shown[i]
				cls := []string{"lc-dropdown-option"}
				if contains(chosen, o.Value) {
					cls = append(cls, "lc-selected")
				}
				if i == active {
					cls = append(cls, "lc-active")
				}
				if o.Disabled {
					cls = append(cls, "lc-disabled")
				}
				return app.Li().Class(cls...).Attr("role", "option").Attr("data-value", o.Value).
					Aria("selected", contains(chosen, o.Value)).Aria("disabled", o.Disabled).Text(o.Label).
					OnClick(func(ctx app.Context, e app.Event) {
						el := ctx.JSSrc()
						if el.Call("getAttribute", "aria-disabled").String() != "true" {
							chooseOption(ctx, b, el.Get("dataset").Get("value").String())
						}
					})
			}),
		)
}

func dropdownIsOpen(b *Bound) bool {
	open, _ := b.Local(dropdownOpen).(bool)
	return open
}

// dropdownActiveIndex is the option the arrow keys point at, within n.
func dropdownActiveIndex(b *Bound, n int) int {
	i, _ := b.Local(dropdownActive).(int)
	if i >= n {
		i = n - 1
	}
	if i < 0 {
		i = 0
	}
	return i
}

// setDropdownOpen opens or closes the menu; opening puts the focus in the
// search box, closing forgets what was typed.
func setDropdownOpen(ctx app.Context, b *Bound, open bool) {
	open = open && !b.Bool("disabled")
	if open == dropdownIsOpen(b) {
		return
	}
	b.SetLocal(dropdownOpen, open)
	b.SetLocal(dropdownActive, 0)
	if !open {
		clearSearch(b)
	}
	ctx.Update()
	if open && b.Bool("searchable") {
		ctx.Defer(func(app.Context) {
			if box := searchBox(b); box.Truthy() {
				box.Call("focus")
			}
		})
	}
}

// chooseOption picks v: a single dropdown takes it and closes, a multi one
// adds or removes it and stays open.
func chooseOption(ctx app.Context, b *Bound, v string) {
	if b.Bool("multi") {
		b.Set("value", toggled(b.values(), v))
	} else {
		b.Set("value", v)
		setDropdownOpen(ctx, b, false)
	}
	clearSearch(b)
}

// clearSearch empties the search box, in the page and in the store (go-app
// would not: it sets an input's value only when its render's value changes).
func clearSearch(b *Bound) {
	if box := searchBox(b); box.Truthy() {
		box.Set("value", "")
	}
	if b.String("search_value") != "" {
		b.Set("search_value", "")
	}
}

// selectShown adds to a multi dropdown's value every option the search
// shows (all), or takes them out, as Dash 4's Select All and Deselect All.
func selectShown(b *Bound, all bool) {
	values := b.values()
	for _, o := range filterOptions(b.options(), typedSearch(b)) {
		if o.Disabled || contains(values, o.Value) == all {
			continue
		}
		values = toggled(values, o.Value)
	}
	b.Set("value", append([]string{}, values...))
}

// dropdownKey is the keyboard: arrows move through the options (opening the
// menu), Enter picks, Escape closes, Backspace in an empty search box
// removes a multi dropdown's last value.
func dropdownKey(ctx app.Context, e app.Event, b *Bound) {
	key := e.Get("key").String()
	open := dropdownIsOpen(b)
	shown := filterOptions(b.options(), typedSearch(b))
	move := func(by int) {
		e.PreventDefault()
		if !open {
			setDropdownOpen(ctx, b, true)
			return
		}
		b.SetLocal(dropdownActive, dropdownActiveIndex(b, len(shown))+by)
		ctx.Update()
	}
	switch key {
	case "Escape":
		setDropdownOpen(ctx, b, false)
	case "ArrowDown":
		move(1)
	case "ArrowUp":
		move(-1)
	case "Enter":
		e.PreventDefault()
		if !open {
			setDropdownOpen(ctx, b, true)
		} else if i := dropdownActiveIndex(b, len(shown)); i < len(shown) && !shown[i].Disabled {
			chooseOption(ctx, b, shown[i].Value)
		}
	case "Backspace":
		if values := b.values(); b.Bool("multi") && typedSearch(b) == "" && len(values) > 0 {
			b.Set("value", values[:len(values)-1])
		}
	}
}

// searchBox is the dropdown's search box in the page; undefined if none.
func searchBox(b *Bound) app.Value {
	el := app.Window().GetElementByID(b.ID)
	if !el.Truthy() {
		return el
	}
	return el.Call("querySelector", ".lc-dropdown-search")
}

// typedSearch is what the search box holds now: a key pressed right after
// typing may come before the store has the typed text.
func typedSearch(b *Bound) string {
	if box := searchBox(b); box.Truthy() && !box.Get("hidden").Bool() {
		return box.Get("value").String()
	}
	return b.String("search_value")
}

// dropdownShown is the control's content: the chosen labels (chips when
// multi), the placeholder, and the search box while open. Its elements stay
// the same whatever is shown, only hidden: go-app replaces an element whose
// place another takes, and a replaced search box loses the focus (and the
// menu closed as one typed or picked).
func dropdownShown(b *Bound, opts []Option, chosen []string, multi, open bool) app.UI {
	searching := open && b.Bool("searchable")
	typed := searching && b.String("search_value") != ""
	var shown app.UI
	if multi {
		chips := make([]app.UI, len(chosen))
		for i, v := range chosen {
			chips[i] = app.Span().Class("lc-chip").Attr("data-value", v).Body(
				app.Span().Text(labelOf(opts, v)),
				app.Span().Class("lc-chip-remove").Attr("role", "button").Title("Remove").Text("×").
					OnClick(func(ctx app.Context, e app.Event) {
						e.PreventDefault()
						e.StopImmediatePropagation()
						v := ctx.JSSrc().Get("parentElement").Get("dataset").Get("value").String()
						b.Set("value", toggled(b.values(), v))
					}),
			)
		}
		shown = app.Span().Class("lc-dropdown-chips").Body(chips...)
	} else {
		label := ""
		if len(chosen) == 1 {
			label = labelOf(opts, chosen[0])
		}
		shown = app.Span().Class("lc-dropdown-value").Hidden(label == "" || typed).Text(label)
	}
	return app.Div().Class("lc-dropdown-values").Body(
		shown,
		app.Span().Class("lc-placeholder").Hidden(len(chosen) > 0 || searching).Text(b.String("placeholder")),
		app.If(b.Bool("searchable"), func() app.UI {
			return app.Input().Class("lc-dropdown-search").Type("text").Hidden(!searching).
				Value(b.String("search_value")).Placeholder("Search…").Attr("autocomplete", "off").
				Aria("label", "Search the options").
				OnInput(func(ctx app.Context, e app.Event) {
					b.SetLocal(dropdownActive, 0)
					b.Set("search_value", ctx.JSSrc().Get("value").String())
				})
		}),
	)
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
