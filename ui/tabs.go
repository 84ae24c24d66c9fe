package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

var tabsKind = Register(Kind{
	Name:    "Tabs",
	Outputs: []string{"tabs"},
	Inputs:  []string{"value"},
	Render:  renderTabs,
})

// TabPane is one tab of Tabs: its label, its value and what it shows.
type TabPane struct {
	Label    string `json:"label"`
	Value    string `json:"value"`
	Disabled bool   `json:"disabled,omitempty"`
	body     []app.UI
}

// Tab describes a tab, as Dash's dcc.Tab.
func Tab(label, value string, body ...app.UI) TabPane {
	return TabPane{Label: label, Value: value, body: body}
}

// TabsElem is a bound tab bar, as Dash's dcc.Tabs: value is the chosen tab's
// value (a click writes it; a callback may set it), tabs the labels and
// values; only the chosen tab's content is shown. A callback can also fill
// a tab's content from value, as in Dash.
type TabsElem struct{ elem[TabsElem] }

// Tabs returns a bound tab bar showing the first tab.
func Tabs(id string, tabs ...TabPane) *TabsElem {
	t := new(TabsElem)
	bodies := make([]app.UI, len(tabs))
	for i, tab := range tabs {
		bodies[i] = app.Div().Body(tab.body...)
	}
	t.init(t, tabsKind, id, bodies).With("tabs", tabs)
	if len(tabs) > 0 {
		t.With("value", tabs[0].Value)
	}
	return t
}

// Value declares the tab shown first.
func (t *TabsElem) Value(v string) *TabsElem { return t.With("value", v) }

func renderTabs(b *Bound) app.UI {
	var tabs []TabPane
	b.Decode("tabs", &tabs)
	value := b.String("value")
	// Every tab's content stays mounted, each at its own place, and only the
	// chosen one is shown: go-app updates a node in place, so handing it
	// another tab's content where the shown one was would keep the old.
	panels := make([]app.UI, len(b.Children))
	for i, body := range b.Children {
		selected := i < len(tabs) && tabs[i].Value == value
		panels[i] = app.Div().Class("lc-tab-panel").Hidden(!selected).Body(body)
	}
	return Decorate(b, app.Div(), "lc-tabs").Body(
		app.Div().Class("lc-tab-bar").Attr("role", "tablist").Body(app.Range(tabs).Slice(func(i int) app.UI {
			tab := tabs[i]
			cls := []string{"lc-tab"}
			if tab.Value == value {
				cls = append(cls, "lc-selected")
			}
			return app.Button().Class(cls...).Attr("role", "tab").Aria("selected", tab.Value == value).
				Attr("data-value", tab.Value).Disabled(tab.Disabled).Text(tab.Label).
				OnClick(func(ctx app.Context, e app.Event) {
					// From the element: go-app keeps a position's first handler.
					b.Set("value", ctx.JSSrc().Get("dataset").Get("value").String())
				})
		})),
		app.Div().Class("lc-tab-panels").Body(panels...),
	)
}
