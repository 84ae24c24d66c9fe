package examples

import (
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/ui"
)

func TestEveryExampleMatchesItsLayout(t *testing.T) {
	if err := Validate(); err != nil {
		t.Fatal(err)
	}
	ids, err := ui.LayoutIDs(&cancelPage{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"paragraph_id", "button_id", "cancel_button_id"} {
		if !strings.Contains(" "+strings.Join(ids, " ")+" ", " "+want+" ") {
			t.Errorf("layout ids %v lack %s", ids, want)
		}
	}
}

// A typo in a Cancel prop is refused with the prop named and the likely fix.
type typoPage struct{ app.Compo }

var typoDash = runtime.NewDashboard("typo-test")

func (p *typoPage) Render() app.UI {
	return ui.Dashboard(typoDash, app.Div().Body(
		ui.Button("button_id").Text("Run Job!"),
		ui.Button("cancel_button_id").Text("Cancel Running Job!"),
	))
}

func TestATypoInACancelPropIsRefused(t *testing.T) {
	typoDash.Callback(runtime.Outputs(runtime.NewProp[string]("out", "children")), runtime.Inputs(clicks),
		runtime.Background(), runtime.Cancel(runtime.NewProp[int]("cancel_buton_id", "n_clicks")))
	err := ui.Validate(typoDash, &typoPage{})
	if err == nil {
		t.Fatal("a Cancel prop naming no component was accepted")
	}
	for _, want := range []string{"cancel_buton_id.n_clicks", `did you mean "cancel_button_id"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}
