package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

var confirmKind = Register(Kind{
	Name:    "ConfirmDialog",
	Outputs: []string{"message", "displayed"},
	Inputs:  []string{"submit_n_clicks", "cancel_n_clicks"},
	Render:  renderConfirm,
})

// ConfirmDialogElem asks the user to confirm, as Dash's dcc.ConfirmDialog
// (drawn in the page, not by window.confirm, so it is themed and never
// blocks the page): a callback sets displayed to true to show message; OK
// adds one to submit_n_clicks, Cancel to cancel_n_clicks, and either hides
// it (displayed false).
type ConfirmDialogElem struct{ elem[ConfirmDialogElem] }

// ConfirmDialog returns a bound confirmation dialog, hidden.
func ConfirmDialog(id, message string) *ConfirmDialogElem {
	c := new(ConfirmDialogElem)
	return c.init(c, confirmKind, id, nil).With("message", message).With("displayed", false).
		With("submit_n_clicks", 0).With("cancel_n_clicks", 0)
}

func renderConfirm(b *Bound) app.UI {
	answer := func(prop string) app.EventHandler {
		return func(app.Context, app.Event) {
			b.Set("displayed", false)
			b.Set(prop, b.Int(prop)+1)
		}
	}
	return Decorate(b, app.Div(), "lc-confirm").Hidden(!b.Bool("displayed")).Body(
		app.Div().Class("lc-confirm-box").Attr("role", "alertdialog").Aria("modal", true).Body(
			app.P().Class("lc-confirm-message").Text(b.String("message")),
			app.Div().Class("lc-confirm-actions").Body(
				app.Button().Class("lc-button", "lc-secondary", "lc-confirm-cancel").Text("Cancel").OnClick(answer("cancel_n_clicks")),
				app.Button().Class("lc-button", "lc-confirm-ok").Text("OK").OnClick(answer("submit_n_clicks")),
			),
		),
	)
}
