//go:build !js

package examples

import (
	"time"

	"github.com/longcall/longcall/runtime"
)

func init() {
	stuckJob.Handle(func(call *runtime.Call) error {
		// Deaf to call.Context() for far longer than its Timeout (1 s), and
		// than the browser test waits (20 s): the page hears of the timeout
		// only if the manager ends the job without the handler.
		time.Sleep(time.Minute)
		stuckOut.Set(call, "Finished after all")
		return nil
	})
}
