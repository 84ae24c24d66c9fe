package redisjobs

import (
	"time"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// redisTimeout bounds one exchange with Redis made outside any caller's
// context (Cancel, the reaper, the events reader).
const redisTimeout = 5 * time.Second

func cancelled() runtime.Result { return runtime.Result{Status: protocol.StatusCancelled} }

func errorResult(code, msg string) runtime.Result {
	return runtime.Result{Status: protocol.StatusError, Err: &protocol.Error{Code: code, Message: msg}}
}

// firstSet returns the first positive duration, or 0.
func firstSet(ds ...time.Duration) time.Duration {
	for _, d := range ds {
		if d > 0 {
			return d
		}
	}
	return 0
}
