//go:build !js

package examples

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/longcall/longcall/runtime"
)

var fruit = []string{"apple", "banana", "cherry", "mango"}

func init() {
	report.Handle(func(call *runtime.Call) error {
		log := call.Logger()
		log.Info("fetching fruit", "attempt", call.Attempt())
		if call.Attempt() == 1 {
			call.Log("the fruit service is busy")
			return runtime.Retryable(errors.New("the fruit service is busy"))
		}
		for _, f := range fruit {
			select {
			case <-time.After(time.Second): // long enough for a second click to wait behind it
			case <-call.Context().Done():
				return call.Context().Err()
			}
			call.Logf("fetched %s", f)
		}
		reportOutput.Set(call, strings.Join(fruit, ", "))
		return nil
	})
	hang.Handle(func(call *runtime.Call) error {
		call.Progress(hangPid.Is(strconv.Itoa(os.Getpid())))
		time.Sleep(time.Hour) // ignores its context: only a kill ends it
		hangOutput.Set(call, "woke up")
		return nil
	})
}
