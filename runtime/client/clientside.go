package client

import (
	"context"
	"fmt"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// runHere runs a Clientside callback's call in this process, the page's
// wasm, and applies its result at once: its outputs then trigger what
// depends on them, as a server's result would.
func (c *Client) runHere(spec *runtime.Spec, match map[string]string, call protocol.Message) {
	c.clearError(spec.ID)
	cb, ok := runtime.Lookup(spec.ID)
	if !ok {
		c.showError(CallbackError{Callback: spec.ID, Code: protocol.CodeUnknownCallback, Message: "clientside callback not registered in this build"})
		return
	}
	req := runtime.Request{Inputs: call.Inputs, States: call.States, Triggered: call.Triggered, Outputs: call.Outputs}
	res := cb.Invoke(context.Background(), req, nil)
	switch res.Status {
	case protocol.StatusOK:
		c.react(c.store.Set(c.expand(res.Props, match)...))
	case protocol.StatusError:
		e := CallbackError{Callback: spec.ID, Code: protocol.CodeInternal, Message: fmt.Sprintf("%s failed", spec.ID)}
		if res.Err != nil {
			e.Code, e.Message = res.Err.Code, res.Err.Message
		}
		c.showError(e)
	}
}
