package ui_test

import (
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/ui"
)

// html renders a layout as the server does.
func html(t *testing.T, body ...app.UI) string {
	t.Helper()
	page := &layoutPage{body: body}
	engine := app.NewTestEngine()
	if err := engine.Load(page); err != nil {
		t.Fatal(err)
	}
	engine.ConsumeAll()
	return app.HTMLString(page)
}

type layoutPage struct {
	app.Compo
	body []app.UI
}

func (p *layoutPage) Render() app.UI { return app.Div().Body(p.body...) }

// A user binds a plain go-app element in a few lines.
var userSelect = ui.Register(ui.Kind{
	Name:   "TestSelect",
	Inputs: []string{"value"},
	Render: func(b *ui.Bound) app.UI {
		return ui.Decorate(b, app.Select()).OnChange(b.Value("value")).Body(
			app.Option().Value("a").Text("A"), app.Option().Value("b").Text("B"),
		)
	},
})

func TestBoundRendersCommonProps(t *testing.T) {
	for _, tc := range []struct {
		name string
		ui   app.UI
		want []string
	}{
		{"class and numeric style", ui.P("p1").Text("hi").Class("note big").Style(ui.Style{"width": 100, "opacity": 0.5, "backgroundColor": "red"}),
			[]string{`id="p1"`, `class="note big"`, "width:100px", "opacity:0.5", "background-color:red", ">hi<"}},
		{"attributes", ui.Div("d1").Attr("title", "tip").Attr("hidden", true).Attr("aria-busy", false),
			[]string{`title="tip"`, `hidden`}},
		{"element children", ui.Button("b1", app.Strong().Text("Run")).Disabled(true),
			[]string{"<strong>Run</strong>", "disabled"}},
		{"node children", ui.Div("d2").With("children", []any{"text ", ui.PNode("inner", "para")}),
			[]string{"text ", `id="inner"`, ">para<"}},
		{"a user kind", userSelect.Bind("sel").Class("wide"),
			[]string{`<select`, `id="sel"`, `class="wide"`, `value="b"`}}, // attributes in any order
		{"input types", ui.Input("n").Type("number").Number(3).Range(0, 10, 1),
			[]string{`type="number"`, `value="3"`, `min="0"`, `max="10"`, `step="1"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := html(t, tc.ui)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("%s lacks %q", got, w)
				}
			}
			if strings.Contains(got, "aria-busy") {
				t.Errorf("a false attribute was rendered: %s", got)
			}
		})
	}
}

func TestEveryKindIsANode(t *testing.T) {
	for _, name := range ui.Kinds() {
		got := html(t, ui.Node{Type: name, ID: "n-" + name}.UI())
		if !strings.Contains(got, `id="n-`+name+`"`) || strings.Contains(got, "unknown component") {
			t.Errorf("node of kind %s renders %s", name, got)
		}
	}
	if got := html(t, ui.Node{Type: "Nope", ID: "x"}.UI()); !strings.Contains(got, "unknown component type Nope") {
		t.Errorf("an unknown kind renders %s", got)
	}
}

func TestRegisterRefusesADuplicate(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a second kind named P was registered")
		}
	}()
	ui.Register(ui.Kind{Name: "P", Render: func(*ui.Bound) app.UI { return app.P() }})
}

// The start-up checks: ids and prop names with a did-you-mean, the
// validation layout, callbacks without a handler.
type checkPage struct {
	app.Compo
	dash *runtime.Dashboard
}

func (p *checkPage) Render() app.UI {
	return ui.Dashboard(p.dash, app.Div().Body(
		ui.Button("run_button").Text("Run"),
		ui.P("out"),
		userSelect.Bind("city").With("value", "a"),
		ui.Div("rows"),
	)).ValidationLayout(ui.DivNode(`{"index":1,"type":"row"}`, ui.InputNode(`{"index":1,"type":"val"}`, "1")).UI())
}

func TestValidateNamesTyposWithTheFix(t *testing.T) {
	out := runtime.NewProp[string]("out", "children")
	for _, tc := range []struct {
		name  string
		opts  []runtime.Option
		wants []string // empty: accepted
	}{
		{"fine", []runtime.Option{runtime.Outputs(out), runtime.Inputs(runtime.NewProp[int]("run_button", "n_clicks")), runtime.States(runtime.NewProp[string]("city", "value"))}, nil},
		{"id typo", []runtime.Option{runtime.Outputs(out), runtime.Inputs(runtime.NewProp[int]("run_buton", "n_clicks"))},
			[]string{"Input run_buton.n_clicks", `did you mean "run_button"`}},
		{"prop typo", []runtime.Option{runtime.Outputs(out), runtime.Inputs(runtime.NewProp[int]("run_button", "n_click"))},
			[]string{"Input run_button.n_click:", `has no prop "n_click"`, `did you mean "n_clicks"`}},
		{"user kind prop typo", []runtime.Option{runtime.Outputs(out), runtime.Inputs(runtime.NewProp[int]("run_button", "n_clicks")), runtime.States(runtime.NewProp[string]("city", "valeu"))},
			[]string{`did you mean "value"`}},
		{"output typo", []runtime.Option{runtime.Outputs(runtime.NewProp[string]("out", "childern")), runtime.Inputs(runtime.NewProp[int]("run_button", "n_clicks"))},
			[]string{`did you mean "children"`}},
		{"pattern in the validation layout", []runtime.Option{runtime.Outputs(out),
			runtime.Inputs(runtime.NewPatternProp[string](runtime.ID{"type": "val", "index": runtime.ALL}, "valu"))},
			[]string{`has no prop "valu"`, `did you mean "value"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dash := runtime.NewDashboard("check-" + strings.ReplaceAll(tc.name, " ", "-"))
			dash.Callback(tc.opts...).Handle(func(*runtime.Call) error { return nil })
			err := ui.Validate(dash, &checkPage{dash: dash})
			if len(tc.wants) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tc.wants {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

func TestValidateReportsCallbacksWithoutAHandler(t *testing.T) {
	dash := runtime.NewDashboard("check-unhandled")
	cb := dash.Callback(runtime.Outputs(runtime.NewProp[string]("out", "children")), runtime.Inputs(runtime.NewProp[int]("run_button", "n_clicks")))
	err := ui.Validate(dash, &checkPage{dash: dash})
	if err == nil || !strings.Contains(err.Error(), "without a handler") || !strings.Contains(err.Error(), cb.ID()) {
		t.Fatalf("error %v does not name %s as without a handler", err, cb.ID())
	}
}
