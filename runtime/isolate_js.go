package runtime

import (
	"context"

	"github.com/longcall/longcall/runtime/protocol"
)

// invokeIsolated cannot start a process in the browser; an Isolated callback
// is a background one, which never runs there.
func (cb *Callback) invokeIsolated(context.Context, Request, Reporter) Result {
	return errorResult(protocol.CodeInternal, "Isolated callbacks run on the server")
}
