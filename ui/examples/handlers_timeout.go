//go:build !js

package examples

import (
	"time"

	"github.com/longcall/longcall/runtime"
)

func init() {
	stuckJob.Handle(func(call *runtime.Call) error {
		time.Sleep(3 * time.Second) // deaf to call.Context(): its Timeout (1 s) ends the job
		stuckOut.Set(call, "Finished after all")
		return nil
	})
}
