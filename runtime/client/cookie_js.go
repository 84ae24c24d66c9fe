package client

import (
	"errors"
	"syscall/js"
)

// redeem POSTs the ticket with fetch, which lets the browser store the
// answer's cookies, HttpOnly ones too, as for any response of the page's
// own origin. syscall/js rather than net/http: net/http's client would add
// to the wasm what fetch already is.
func (c *Conn) redeem(ticket, session string) error {
	headers := map[string]any{"X-Longcall-Session": session, "Content-Type": "text/plain"}
	opts := map[string]any{"method": "POST", "headers": headers, "body": ticket, "credentials": "same-origin"}
	done := make(chan error, 1)
	var then, fail js.Func
	then = js.FuncOf(func(_ js.Value, args []js.Value) any {
		if ok := args[0].Get("ok").Bool(); !ok {
			done <- errors.New("the server answered " + args[0].Get("status").String())
		} else {
			done <- nil
		}
		return nil
	})
	fail = js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- errors.New(args[0].Call("toString").String())
		return nil
	})
	defer then.Release()
	defer fail.Release()
	js.Global().Call("fetch", c.cookieURL(), opts).Call("then", then, fail)
	return <-done
}
