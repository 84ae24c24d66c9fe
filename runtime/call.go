package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/longcall/longcall/runtime/protocol"
)

// ErrNotBackground is returned by Call.Progress in an ordinary callback.
var ErrNotBackground = errors.New("longcall: progress needs a Background() callback")

// Call is a handler's view of one run of its callback.
type Call struct {
	ctx       context.Context
	callback  string
	session   string // Request.Session: whose files the handler may open
	spec      *Spec
	values    map[PropID]json.RawMessage
	matched   map[PropID][]PropID // pattern dependency → the concrete props it matched
	triggered []PropID
	outputs   []protocol.PropValue
	reporter  Reporter
	err       error
	attempt   int      // 1 for the first run, 2 for the first retry
	log       *callLog // nil without Logs
	caller    Caller   // the request's, shared: read only, but for SetCookie's copy
	cookies   []Cookie // set by SetCookie, sent with the result
	ownJar    bool     // caller.Cookies is this call's own copy: see SetCookie
}

func newCall(ctx context.Context, cb *Callback, req Request, rep Reporter) *Call {
	c := &Call{
		ctx:       ctx,
		callback:  cb.spec.ID,
		session:   req.Session,
		spec:      &cb.spec,
		values:    make(map[PropID]json.RawMessage, len(req.Inputs)+len(req.States)),
		triggered: req.Triggered,
		reporter:  rep,
	}
	if req.Caller != nil {
		// Shared with the session and the call's other attempts: nothing
		// writes to it (SetCookie copies first), and what a handler gets
		// from Principal and Caller is a copy of its own.
		c.caller = *req.Caller
	}
	// Declared props absent from the request read as null, as in Dash.
	for _, p := range cb.spec.Inputs {
		c.values[p] = nil
	}
	for _, p := range cb.spec.States {
		c.values[p] = nil
	}
	for _, list := range [][]protocol.PropValue{req.Inputs, req.States} {
		for _, v := range list {
			if _, declared := c.values[v.PropID()]; declared {
				c.values[v.PropID()] = v.Value
			}
		}
	}
	c.matchPatterns(req)
	return c
}

// matchPatterns resolves pattern dependencies to the concrete props the
// browser sent for them: values of matching inputs and states, and the ids of
// matching outputs.
func (c *Call) matchPatterns(req Request) {
	deps := append(append([]PropID(nil), c.spec.Inputs...), c.spec.States...)
	for _, dep := range deps {
		if !IsPattern(dep) {
			continue
		}
		delete(c.values, dep)
		for _, list := range [][]protocol.PropValue{req.Inputs, req.States} {
			for _, v := range list {
				if Matches(dep, v.PropID(), nil) {
					c.values[v.PropID()] = v.Value
					c.match(dep, v.PropID())
				}
			}
		}
	}
	for _, out := range c.spec.Outputs {
		if !IsPattern(out) {
			continue
		}
		for _, id := range req.Outputs {
			if Matches(out, id, nil) {
				c.match(out, id)
			}
		}
	}
}

func (c *Call) match(dep, concrete PropID) {
	if c.matched == nil {
		c.matched = map[PropID][]PropID{}
	}
	c.matched[dep] = append(c.matched[dep], concrete)
}

// isOutput reports whether p is an output of the call: declared, or matched
// by a pattern output.
func (c *Call) isOutput(p PropID) bool {
	if index(c.spec.Outputs, p) >= 0 {
		return true
	}
	for _, out := range c.spec.Outputs {
		if index(c.matched[out], p) >= 0 {
			return true
		}
	}
	return false
}

// Context is cancelled when the job is cancelled, superseded, times out, or
// the server shuts down.
func (c *Call) Context() context.Context { return c.ctx }

// Principal is who called, as the server's authentication decided when the
// session's websocket opened; the zero Principal when nobody is logged in.
// It is a copy: changing it changes nothing else.
func (c *Call) Principal() Principal { return c.caller.Principal.clone() }

// Caller returns what the server kept of the session's request: principal,
// client address, the headers and cookies it was told to keep. A copy, the
// same in-process, on a Redis worker and in an Isolated child.
func (c *Call) Caller() Caller { return c.caller.Clone() }

// Cookie returns the session's cookie name, as flask.request.cookies or
// Dash's ctx.cookies: one the server keeps (server.Config.CallerCookies),
// as the upgrade brought it or a handler of the session set it since.
func (c *Call) Cookie(name string) (string, bool) { return c.caller.Cookie(name) }

// Header returns the session's request header name, if the server keeps it
// (server.Config.CallerHeaders), or "".
func (c *Call) Header(name string) string { return c.caller.Get(name) }

// Triggered returns the inputs whose change fired the call; empty on the
// initial call at page load.
func (c *Call) Triggered() []PropID { return c.triggered }

// TriggeredID returns the component id of the first triggering input, or ""
// on the initial call, as Dash's ctx.triggered_id.
func (c *Call) TriggeredID() string {
	if len(c.triggered) == 0 {
		return ""
	}
	return c.triggered[0].ID
}

// Progress reports progress values, pushed to the browser at once. Values may
// be coalesced with later ones for the same prop. On a cancelled job it returns
// an error, so a loop that reports progress stops even if it never looks at
// the context.
func (c *Call) Progress(values ...Value) error {
	if c.reporter == nil {
		return ErrNotBackground
	}
	if err := c.ctx.Err(); err != nil {
		return fmt.Errorf("progress of %s: job ended: %w", c.callback, err)
	}
	for _, v := range values {
		if !matchesAny(c.spec.Progress, v.prop) {
			return fmt.Errorf("progress of %s: %s is not one of its Progress props", c.callback, v.prop)
		}
	}
	props, err := wireValues(values)
	if err != nil {
		return fmt.Errorf("progress of %s: %w", c.callback, err)
	}
	return c.reporter.Progress(props)
}

// SetProps sets any props of the page, outside the callback's outputs, as
// Dash's set_props. In a background job they are pushed at once; every value
// arrives, none is coalesced away.
func (c *Call) SetProps(values ...Value) error {
	props, err := wireValues(values)
	if err != nil {
		return fmt.Errorf("set props from %s: %w", c.callback, err)
	}
	if c.reporter == nil {
		c.outputs = append(c.outputs, props...)
		return nil
	}
	if err := c.ctx.Err(); err != nil {
		return fmt.Errorf("set props from %s: job ended: %w", c.callback, err)
	}
	return c.reporter.SetProps(props)
}

func (c *Call) setOutput(v Value) {
	if !c.isOutput(v.prop) {
		c.fail(fmt.Errorf("%s is not an output of callback %s", v.prop, c.callback))
		return
	}
	if v.err != nil {
		c.fail(fmt.Errorf("output %s of %s: %w", v.prop, c.callback, v.err))
		return
	}
	for i := range c.outputs {
		if c.outputs[i].PropID() == v.prop {
			c.outputs[i] = v.wire() // set twice: the last value stands
			return
		}
	}
	c.outputs = append(c.outputs, v.wire())
}

// fail keeps the first error; the call then ends with it whatever the handler
// returns.
func (c *Call) fail(err error) {
	if c.err == nil {
		c.err = err
	}
}

func (c *Call) result(err error) Result {
	var panicked *panicError
	switch {
	case c.ctx.Err() != nil:
		return Result{Status: protocol.StatusCancelled}
	case errors.Is(err, ErrPreventUpdate):
		return Result{Status: protocol.StatusPrevented, Cookies: c.cookies}
	case errors.As(err, &panicked):
		p := panicked
		res := errorResult(protocol.CodePanic, fmt.Sprintf("callback %s panicked: %v", c.callback, p.value))
		res.Stack = p.stack
		return res
	case err != nil:
		var perr *protocol.Error
		if errors.As(err, &perr) {
			return Result{Status: protocol.StatusError, Err: perr}
		}
		return errorResult(protocol.CodeHandler, fmt.Sprintf("callback %s failed: %v", c.callback, err))
	default:
		return Result{Status: protocol.StatusOK, Props: c.outputs, Cookies: c.cookies}
	}
}
