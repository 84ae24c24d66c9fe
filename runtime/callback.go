package runtime

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/longcall/longcall/runtime/protocol"
)

// Handler is a callback's body. It reads inputs and states with Prop.Get, sets
// outputs with Prop.Set, and returns nil, an error for the user to see, or
// ErrPreventUpdate to leave every output as it is.
type Handler func(*Call) error

// ErrPreventUpdate, returned by a handler, leaves all outputs unchanged, as
// Dash's PreventUpdate.
var ErrPreventUpdate = errors.New("longcall: prevent update")

// ErrorHandler handles what a callback's handler returned or panicked with,
// as Dash's on_error. It may set outputs and props through call (what the
// failed handler set is discarded). Returning nil ends the call with what it
// set, the error handled; returning an error shows that error instead.
type ErrorHandler func(call *Call, err error) error

// Callback is a declared callback: its Spec, and on the server its Handler.
type Callback struct {
	spec    Spec
	dash    *Dashboard
	handler Handler
	onError ErrorHandler
}

// OnError attaches an error handler to this callback; it takes precedence
// over the dashboard's. Attach it where the handler is attached.
func (cb *Callback) OnError(h ErrorHandler) *Callback {
	cb.onError = h
	return cb
}

func (cb *Callback) errorHandler() ErrorHandler {
	if cb.onError != nil {
		return cb.onError
	}
	if cb.dash != nil {
		return cb.dash.errorHandler()
	}
	return nil
}

// Handle attaches the handler. Call it from a file built only for the server
// (//go:build !js) to keep the handler's imports out of the browser build. It
// panics when a handler is already attached.
func (cb *Callback) Handle(h Handler) *Callback {
	if cb.handler != nil {
		panic(fmt.Sprintf("longcall: callback %s already has a handler", cb.spec.ID))
	}
	cb.handler = h
	return cb
}

// ID returns the callback's identity, derived from its dashboard and outputs.
func (cb *Callback) ID() string { return cb.spec.ID }

// Spec returns the callback's declaration. It must not be modified.
func (cb *Callback) Spec() *Spec { return &cb.spec }

// Request is what a call carries: the values of inputs and states, and which
// inputs fired it.
type Request struct {
	Inputs    []protocol.PropValue
	States    []protocol.PropValue
	Triggered []PropID
	// Outputs are the concrete props that pattern outputs resolved to in
	// the browser.
	Outputs []PropID
	// Session names the session that made the call, set by the server, not
	// the page: an opaque name derived from its token, never the token. It
	// owns the files the handler opens and saves (Call.OpenUpload).
	Session string `json:",omitempty"`
	// Caller is who called and what the server kept of the session's
	// request (Call.Caller), set by the server; nil for an anonymous
	// session of a server that keeps nothing.
	Caller *Caller `json:",omitempty"`
}

// Reporter receives what a background handler reports while it runs.
// Progress may be coalesced; SetProps values are all delivered, in order.
type Reporter interface {
	Progress(props []protocol.PropValue) error
	SetProps(props []protocol.PropValue) error
}

// Result is how a call ended.
type Result struct {
	Status protocol.Status
	Props  []protocol.PropValue // the outputs set, when Status is ok
	Err    *protocol.Error      // when Status is error
	Stack  []byte               // a panicking handler's stack, for the server log only
	// Cookies the handler set for its session's browser (Call.SetCookie),
	// when Status is ok or prevented.
	Cookies []Cookie `json:",omitempty"`
}

// Invoke runs the handler with the request's values. A panic is recovered and
// reported as an error result; the caller keeps serving. rep may be nil for
// ordinary callbacks, whose Progress then fails.
func (cb *Callback) Invoke(ctx context.Context, req Request, rep Reporter) (res Result) {
	if cb.handler == nil {
		return errorResult(protocol.CodeInternal, fmt.Sprintf("callback %s has no handler in this server build; attach one with Handle", cb.spec.ID))
	}
	if cb.spec.Isolated && !inChild.Load() {
		return cb.invokeIsolated(ctx, req, rep)
	}
	var call *Call
	var err error
	log := newCallLog(&cb.spec, rep)
	for attempt := 1; ; attempt++ {
		call = newCall(ctx, cb, req, rep)
		call.attempt, call.log = attempt, log
		err = protect(cb.handler, call)
		if call.err != nil {
			err = call.err // a bad input outranks whatever the handler made of its zero value
		}
		if !cb.spec.Retry.retry(ctx, call, err) {
			break
		}
	}
	if h := cb.errorHandler(); h != nil && failed(ctx, err) {
		call.outputs, call.cookies, call.err = nil, nil, nil
		err = protect(func(c *Call) error { return h(c, err) }, call)
		if call.err != nil {
			err = call.err
		}
	}
	res = call.result(err)
	if log != nil {
		tail := log.end(ctx)
		if res.Status == protocol.StatusOK {
			res.Props = append(res.Props, tail)
		}
	}
	return res
}

// failed reports whether err is a failure for an error handler: not success,
// not a prevented update, not the end of a cancelled call.
func failed(ctx context.Context, err error) bool {
	return err != nil && !errors.Is(err, ErrPreventUpdate) && ctx.Err() == nil
}

// panicError is a recovered panic, with the stack for the server's log.
type panicError struct {
	value any
	stack []byte
}

func (p *panicError) Error() string { return fmt.Sprintf("panic: %v", p.value) }

// protect runs h, turning a panic into a *panicError.
func protect(h Handler, call *Call) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &panicError{value: v, stack: debug.Stack()}
		}
	}()
	return h(call)
}

func errorResult(code, msg string) Result {
	return Result{Status: protocol.StatusError, Err: &protocol.Error{Code: code, Message: msg}}
}
