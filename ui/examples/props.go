// Package examples is the demo dashboard: the five background-callback
// examples of the seed, one page each, and the index linking them. Layouts and
// callback declarations live here and compile into both binaries; handlers
// live in handlers.go, built for the server only.
package examples

import (
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/ui"
	"github.com/longcall/longcall/ui/plotly"
)

// Manager is the name the examples give their jobs manager, the way the seed
// passes one to a callback (manager=) or to the app
// (background_callback_manager=). The server maps it to the in-process
// manager, or to the Redis one when configured.
const Manager = "examples"

// The seed's ids, shared by the examples.
var (
	paragraph      = runtime.NewProp[string]("paragraph_id", "children")
	paragraphStyle = runtime.NewProp[ui.Style]("paragraph_id", "style")
	clicks         = runtime.NewProp[int]("button_id", "n_clicks")
	buttonDisabled = runtime.NewProp[bool]("button_id", "disabled")
	cancelClicks   = runtime.NewProp[int]("cancel_button_id", "n_clicks")
	cancelDisabled = runtime.NewProp[bool]("cancel_button_id", "disabled")
	barValue       = runtime.NewProp[string]("progress_bar", "value")
	barMax         = runtime.NewProp[string]("progress_bar", "max")
	barStyle       = runtime.NewProp[ui.Style]("progress_bar", "style")
	graphFigure    = runtime.NewProp[plotly.Figure]("progress_bar_graph", "figure")
	graphStyle     = runtime.NewProp[ui.Style]("progress_bar_graph", "style")
)

var (
	hidden  = ui.Style{"visibility": "hidden"}
	visible = ui.Style{"visibility": "visible"}
)

// clickedText is every example's result.
func clickedText(n int) string { return "Clicked " + itoa(n) + " times" }
