package examples

import (
	"time"

	"github.com/longcall/longcall/runtime"
)

// The errors page's timeout: a background job whose handler ignores its
// context. The manager cannot stop it (Go cannot kill a goroutine), so it
// ends the job at its Timeout, reports the timeout to the page, and drops
// whatever the handler returns later.
var (
	stuckClicks   = runtime.NewProp[int]("stuck_button", "n_clicks")
	stuckDisabled = runtime.NewProp[bool]("stuck_button", "disabled")
	stuckOut      = runtime.NewProp[string]("stuck_output", "children")

	stuckJob = errorsDash.Callback(
		runtime.Outputs(stuckOut), runtime.Inputs(stuckClicks),
		runtime.Background(),
		runtime.Running(stuckDisabled, true, false),
		runtime.Timeout(time.Second),
		runtime.PreventInitialCall(),
	)
)
