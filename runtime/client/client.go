package client

import (
	"cmp"
	"encoding/json"
	"slices"
	"strconv"
	"sync"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// Props the client itself keeps in the store, for the page to render.
var (
	// ErrorProp holds the last callback error as {"callback","code","message"}.
	ErrorProp = runtime.PropID{ID: "_longcall", Prop: "error"}
	// StatusProp holds the connection's state: "connecting", "online" or "offline".
	StatusProp = runtime.PropID{ID: "_longcall", Prop: "status"}
	// QueuedProp holds how many calls wait for the connection to return.
	QueuedProp = runtime.PropID{ID: "_longcall", Prop: "queued"}
)

// Flight is a call the page waits for, as kept across a reload: the call as
// sent, and its job once the server accepted it.
type Flight struct {
	Call  protocol.Message  `json:"call"`
	Job   string            `json:"job,omitempty"`
	Sent  bool              `json:"sent,omitempty"`  // handed to a connection; else queued offline
	Match map[string]string `json:"match,omitempty"` // the MATCH instance, for pattern callbacks
}

// CallbackError is the value of ErrorProp.
type CallbackError struct {
	Callback string `json:"callback"`
	Code     string `json:"code"`
	Message  string `json:"message"`
	ID       string `json:"id,omitempty"`    // the server's log has the details under it
	Stack    string `json:"stack,omitempty"` // a panic's, from a server in dev mode
}

// Client is the dispatcher of one dashboard's page: a change of an input prop
// sends a call, a change of a cancel prop cancels the running job, and what
// the server sends back lands in the store, with running and progress props
// set and reset as the callback's Spec says.
type Client struct {
	store     *Store
	callbacks []*runtime.Spec
	send      func(protocol.Message)

	graph *graph

	mu      sync.Mutex
	seq     uint64
	flights map[string]*flight  // flight key (callback, MATCH instance) → its latest call
	waiting map[string]*pending // calls scheduled behind an ancestor, by flight key
	status  string
	started bool // Start ran: components that appear now are added layout

	journal func([]Flight) // hears every change of the flights, to keep them
}

// flight is a callback's latest call (a MATCH instance's, for a pattern
// callback); answers about older calls are stale.
type flight struct {
	spec          *runtime.Spec
	match         map[string]string
	call          protocol.Message // as sent, to send again if it was lost
	job           string
	sent          bool          // handed to a live connection; false while queued offline
	cancelPending bool          // cancel asked for before the job id arrived
	place         runtime.Place // where its job waits; zero unless it waits
}

func (f *flight) req() uint64 { return f.call.Req }

// key is the flight's place in Client.flights: one a callback instance, so
// that a new call supersedes the last; one a call for a NoSupersede callback,
// whose calls all run.
func (f *flight) key() string {
	if f.spec.Concurrent > 0 {
		return flightKey(f.spec, f.match) + "#" + strconv.FormatUint(f.req(), 10)
	}
	return flightKey(f.spec, f.match)
}

// flightKey tells calls apart that may run side by side: callbacks, and the
// MATCH instances of one callback.
func flightKey(spec *runtime.Spec, match map[string]string) string {
	return spec.ID + "|" + runtime.InstanceKey(match)
}

// pending is a call scheduled to run once its ancestors are done.
type pending struct {
	spec  *runtime.Spec
	match map[string]string
	fired []runtime.PropID
}

// New returns a client for dash's callbacks over store. send delivers
// messages to the server; Conn.Send is the usual one.
func New(dash *runtime.Dashboard, store *Store, send func(protocol.Message)) *Client {
	c := &Client{store: store, send: send, flights: map[string]*flight{}, waiting: map[string]*pending{}}
	for _, cb := range dash.Callbacks() {
		c.callbacks = append(c.callbacks, cb.Spec())
	}
	c.graph = newGraph(c.callbacks)
	return c
}

// Journal makes save hear the page's flights after every change, so that a
// reloaded page can Restore them: ui keeps them in the browser's storage.
func (c *Client) Journal(save func([]Flight)) { c.journal = save }

// Flights returns the calls the page waits for.
func (c *Client) Flights() []Flight {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]Flight, 0, len(c.flights))
	for _, f := range c.flights {
		out = append(out, Flight{Call: f.call, Job: f.job, Sent: f.sent, Match: f.match})
	}
	return out
}

// Restore takes back the flights of the page before a reload, before Start
// and before the connection's first hello: running props are set again, jobs
// are re-attached, and calls never acknowledged are sent again with their
// idempotency keys. Flights of callbacks this page does not have are dropped.
func (c *Client) Restore(flights []Flight) {
	byID := map[string]*runtime.Spec{}
	for _, s := range c.callbacks {
		byID[s.ID] = s
	}
	var restored []*flight
	c.mu.Lock()
	for _, fl := range flights {
		spec := byID[fl.Call.Callback]
		if spec == nil || fl.Call.Req == 0 {
			continue
		}
		f := &flight{spec: spec, match: fl.Match, call: fl.Call, job: fl.Job, sent: fl.Sent}
		c.flights[f.key()] = f
		c.seq = max(c.seq, fl.Call.Req)
		if spec.Background {
			restored = append(restored, f)
		}
	}
	c.mu.Unlock()
	for _, f := range restored {
		c.store.Set(c.expand(runningValues(f.spec), f.match)...)
	}
	c.flightsChanged()
}

// flightsChanged journals the flights and counts the calls still waiting
// for the connection.
func (c *Client) flightsChanged() {
	c.mu.Lock()
	queued := 0
	for _, f := range c.flights {
		if !f.sent {
			queued++
		}
	}
	c.mu.Unlock()
	raw, _ := json.Marshal(queued)
	c.store.Set(protocol.PropValue{ID: QueuedProp.ID, Prop: QueuedProp.Prop, Value: raw})
	c.publishLoading()
	if c.journal != nil {
		c.journal(c.Flights())
	}
}

// Settled returns the page's props as they stand when no call runs: running
// props at their after values and progress props at their defaults, since
// those describe calls in flight, not the page; and without the client's own
// props. It is what a page keeps across a reload: a restored flight sets its
// running and progress props again.
func (c *Client) Settled() []protocol.PropValue {
	plain := map[runtime.PropID]json.RawMessage{}
	var patterns []protocol.PropValue // each stands for every prop it matches
	for _, spec := range c.callbacks {
		for _, v := range settledValues(spec) {
			if runtime.IsPattern(v.PropID()) {
				patterns = append(patterns, v)
			} else {
				plain[v.PropID()] = v.Value
			}
		}
	}
	all := c.store.Snapshot()
	out := all[:0]
	for _, v := range all {
		if v.ID == StatusProp.ID {
			continue
		}
		if settled, ok := plain[v.PropID()]; ok {
			v.Value = settled
		} else if i := slices.IndexFunc(patterns, func(p protocol.PropValue) bool { return runtime.Matches(p.PropID(), v.PropID(), nil) }); i >= 0 {
			v.Value = patterns[i].Value
		}
		out = append(out, v)
	}
	return out
}

// Store returns the client's store.
func (c *Client) Store() *Store { return c.store }

// Start makes the initial calls, as Dash does when a page loads: every
// callback without PreventInitialCall, with nothing in Triggered.
func (c *Client) Start() {
	c.mu.Lock()
	c.started = true
	for _, spec := range c.callbacks {
		if spec.PreventInitialCall {
			continue
		}
		for _, match := range c.instances(spec) {
			if key := flightKey(spec, match); c.waiting[key] == nil {
				c.waiting[key] = &pending{spec: spec, match: match} // fired by nothing
			}
		}
	}
	c.mu.Unlock()
	c.release()
}

// Update sets props from the page (a click's n_clicks, an input's value) and
// runs what depends on them.
func (c *Client) Update(values ...protocol.PropValue) {
	c.react(c.store.Set(values...))
}

// Status implements Peer: it keeps the connection's state in StatusProp.
func (c *Client) Status(status string) {
	c.mu.Lock()
	c.status = status
	c.mu.Unlock()
	raw, _ := json.Marshal(status)
	c.store.Set(protocol.PropValue{ID: StatusProp.ID, Prop: StatusProp.Prop, Value: raw})
	c.flightsChanged()
}

// Waiting implements Peer: the background jobs this page waits for.
func (c *Client) Waiting() []protocol.JobRef {
	c.mu.Lock()
	defer c.mu.Unlock()
	var refs []protocol.JobRef
	for _, f := range c.flights {
		if f.job != "" {
			refs = append(refs, protocol.JobRef{Req: f.req(), Callback: f.spec.ID, Job: f.job})
		}
	}
	return refs
}

// Welcome implements Peer. On a resumed session, calls sent but never
// acknowledged with a job id are sent again: background ones carry their
// idempotency key, so the server joins the job if the first copy arrived. On
// a new session, calls sent before can never be answered.
//
// Calls queued while offline go out now, on either kind of session: they
// were never sent.
func (c *Client) Welcome(session string, resumed bool, unsent map[uint64]bool) {
	var lost []*flight
	var send []protocol.Message
	c.mu.Lock()
	c.status = StatusOnline // from here on, calls go straight to the connection
	for _, f := range c.flights {
		switch {
		case !f.sent:
			f.sent = true
			send = append(send, f.call)
		case unsent[f.req()]:
			// still in the connection's queue: it goes out after this
		case !resumed:
			lost = append(lost, f)
		case f.job == "":
			send = append(send, f.call) // may have been lost in the drop
		}
	}
	c.mu.Unlock()
	// In the order they were made: the flights are a map, and a server
	// runs calls in the order it reads them (a second click queues behind
	// the first).
	slices.SortFunc(send, func(a, b protocol.Message) int { return cmp.Compare(a.Req, b.Req) })
	c.sessionLost(lost)
	for _, m := range send {
		c.send(m)
	}
	c.flightsChanged()
}

// sessionLost ends calls the server can no longer answer with an error, so
// their running props are reset and the user can retry.
func (c *Client) sessionLost(lost []*flight) {
	for _, f := range lost {
		c.finish(protocol.Message{Req: f.req(), Callback: f.spec.ID}, protocol.StatusError, nil, &protocol.Error{
			Code:    CodeSessionLost,
			Message: "the server restarted or forgot this page's session while the call ran; run it again",
		})
	}
}

// CodeSessionLost is the error code of calls ended by SessionLost.
const CodeSessionLost = "session_lost"

// InFlight is how many calls the page waits for.
func (c *Client) InFlight() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.flights)
}

// Busy reports whether the callback has a call in flight.
func (c *Client) Busy(callback string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, f := range c.flights {
		if f.spec.ID == callback {
			return true
		}
	}
	return false
}

// react cancels the jobs whose cancel props changed, then triggers the
// callbacks whose inputs changed, each once.
func (c *Client) react(changed []runtime.PropID) {
	if len(changed) == 0 {
		return
	}
	for _, spec := range c.callbacks {
		for _, p := range changed {
			for _, dep := range spec.Cancel {
				if runtime.Matches(dep, p, nil) {
					c.cancel(spec, runtime.MatchValues(dep, p))
				}
			}
		}
	}
	c.mu.Lock()
	for _, spec := range c.callbacks {
		for _, p := range changed {
			for _, in := range spec.Inputs {
				if runtime.Matches(in, p, nil) {
					c.scheduleLocked(spec, runtime.MatchValues(in, p), p)
				}
			}
		}
	}
	c.mu.Unlock()
	c.release()
}

// scheduleLocked schedules a call of spec (of one MATCH instance), fired by
// p, or adds p to a call already scheduled.
func (c *Client) scheduleLocked(spec *runtime.Spec, match map[string]string, p runtime.PropID) {
	key := flightKey(spec, match)
	w := c.waiting[key]
	if w == nil {
		w = &pending{spec: spec, match: match}
		c.waiting[key] = w
	}
	if !containsProp(w.fired, p) {
		w.fired = append(w.fired, p)
	}
}

// Added schedules the initial calls that a component appearing after Start
// (layout a callback added) brings: those of the callbacks without
// PreventInitialCall that take one of its props as an input. It reports
// whether any was scheduled; Release runs them, once the whole added layout
// is in.
func (c *Client) Added(component string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.started {
		return false // the layout of the page: Start makes its initial calls
	}
	scheduled := false
	for _, spec := range c.callbacks {
		if spec.PreventInitialCall {
			continue
		}
		for _, in := range spec.Inputs {
			p := runtime.PropID{ID: component, Prop: in.Prop}
			if runtime.Matches(in, p, nil) {
				key := flightKey(spec, runtime.MatchValues(in, p))
				if c.waiting[key] == nil {
					c.waiting[key] = &pending{spec: spec, match: runtime.MatchValues(in, p)}
				}
				scheduled = true
			}
		}
	}
	return scheduled
}

// Release runs the calls scheduled by Added.
func (c *Client) Release() { c.release() }

// release triggers, parents first, every scheduled callback none of whose
// ancestors is scheduled or running. A chain thus runs in dependency order,
// each callback once for all the changes that reach it.
func (c *Client) release() {
	for {
		next := c.nextReady()
		if next == nil {
			return
		}
		c.trigger(next.spec, next.match, next.fired)
	}
}

func (c *Client) nextReady() *pending {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, i := range c.graph.order {
		if c.blockedLocked(i) {
			continue
		}
		for key, w := range c.waiting {
			if w.spec == c.graph.specs[i] {
				delete(c.waiting, key)
				return w
			}
		}
	}
	return nil
}

// blockedLocked reports whether an ancestor of callback i is scheduled or
// running, in any instance.
func (c *Client) blockedLocked(i int) bool {
	ancestors := c.graph.ancestors[i]
	if len(ancestors) == 0 {
		return false
	}
	for _, w := range c.waiting {
		if ancestors[c.graph.index[w.spec.ID]] {
			return true
		}
	}
	for _, f := range c.flights {
		if ancestors[c.graph.index[f.spec.ID]] {
			return true
		}
	}
	return false
}

func containsProp(props []runtime.PropID, p runtime.PropID) bool {
	for _, q := range props {
		if q == p {
			return true
		}
	}
	return false
}

func (c *Client) trigger(spec *runtime.Spec, match map[string]string, fired []runtime.PropID) {
	call := protocol.Message{
		Type:      protocol.TypeCall,
		Callback:  spec.ID,
		Inputs:    c.values(c.resolve(spec.Inputs, match)),
		States:    c.values(c.resolve(spec.States, match)),
		Outputs:   c.resolvedPatterns(spec.Outputs, match),
		Triggered: fired,
	}
	if spec.Clientside {
		c.runHere(spec, match, call)
		return
	}
	if spec.Background {
		call.Key = newKey() // so that sending it again never starts a second job
	}
	c.mu.Lock()
	c.seq++
	call.Req = c.seq
	// Offline, the call waits in the flight, kept across a reload, until a
	// welcome sends it.
	online := c.status == StatusOnline
	f := &flight{spec: spec, match: match, call: call, sent: online}
	c.flights[f.key()] = f // a running call is superseded; the server cancels its job
	c.mu.Unlock()

	c.clearError(spec.ID)
	if spec.Background {
		c.store.Set(c.expand(runningValues(spec), match)...)
	}
	if spec.Log != nil { // a new run, a new log
		c.store.Set(c.expand([]protocol.PropValue{{ID: spec.Log.ID, Prop: spec.Log.Prop, Value: json.RawMessage("[]")}}, match)...)
	}
	if online {
		c.send(call)
	}
	c.flightsChanged() // after the send: the server starts while the page journals
}

// cancel cancels the flights of spec in the instance match names: all of
// them when match is empty.
func (c *Client) cancel(spec *runtime.Spec, match map[string]string) {
	if !spec.Background {
		return
	}
	c.mu.Lock()
	var targets []*flight
	for _, f := range c.flights {
		if f.spec == spec && sameInstance(f.match, match) {
			targets = append(targets, f)
		}
	}
	c.mu.Unlock()
	for _, f := range targets {
		c.cancelFlight(f)
	}
}

// sameInstance reports whether an instance has the MATCH values of match.
func sameInstance(instance, match map[string]string) bool {
	for k, v := range match {
		if instance[k] != v {
			return false
		}
	}
	return true
}

func (c *Client) cancelFlight(f *flight) {
	c.mu.Lock()
	job, sent := f.job, f.sent
	if job == "" && sent {
		f.cancelPending = true
	}
	c.mu.Unlock()
	if !sent { // never left the page: cancel it here
		c.finish(protocol.Message{Req: f.req(), Callback: f.spec.ID}, protocol.StatusCancelled, nil, nil)
		return
	}
	if job != "" {
		c.send(protocol.Message{Type: protocol.TypeCancel, Req: f.req(), Callback: f.spec.ID, Job: job})
	}
}

// Handle applies one server message.
func (c *Client) Handle(m protocol.Message) {
	switch m.Type {
	case protocol.TypeJob:
		c.jobAccepted(m)
	case protocol.TypeProgress, protocol.TypeProps:
		if f := c.current(m); f != nil {
			c.react(c.store.Set(c.expand(m.Props, f.match)...))
		}
	case protocol.TypeResult:
		c.finish(m, m.Status, m.Props, m.Error)
	case protocol.TypeError:
		if m.Req != 0 {
			c.finish(m, protocol.StatusError, nil, m.Error)
		} else if m.Error != nil {
			c.showError(CallbackError{Code: m.Error.Code, Message: m.Error.Message, ID: m.Error.ID})
		}
	}
}

func (c *Client) jobAccepted(m protocol.Message) {
	c.mu.Lock()
	f := c.flightOfLocked(m)
	if f == nil {
		c.mu.Unlock()
		return
	}
	changed := f.job != m.Job
	f.job = m.Job
	cancel := f.cancelPending
	f.cancelPending = false
	f.place = placeOf(m)
	place := c.nearestPlaceLocked(f.spec, f.match)
	c.mu.Unlock()
	if shown := queueValues(f.spec, place); len(shown) > 0 { // values for the page: what depends on them runs
		c.react(c.store.Set(c.expand(shown, f.match)...))
	}
	if changed {
		c.flightsChanged()
	}
	if cancel {
		c.send(protocol.Message{Type: protocol.TypeCancel, Req: m.Req, Callback: m.Callback, Job: m.Job})
	}
}

// current returns the flight m is about, or nil when m is stale.
func (c *Client) current(m protocol.Message) *flight {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.flightOfLocked(m)
}

// flightOfLocked returns the flight of m's call, or nil when m is about a
// call superseded since.
func (c *Client) flightOfLocked(m protocol.Message) *flight {
	for _, f := range c.flights {
		if f.req() == m.Req && f.spec.ID == m.Callback {
			return f
		}
	}
	return nil
}

// finish ends the current flight: outputs on success, the error shown on
// failure, and for background callbacks the running props' after values and
// the progress props' defaults whatever the ending.
func (c *Client) finish(m protocol.Message, status protocol.Status, props []protocol.PropValue, perr *protocol.Error) {
	c.mu.Lock()
	f := c.flightOfLocked(m)
	if f == nil {
		c.mu.Unlock()
		return
	}
	delete(c.flights, f.key())
	last := !c.runsLocked(f.spec, f.match)
	place := c.nearestPlaceLocked(f.spec, f.match)
	c.mu.Unlock()
	c.flightsChanged()

	var changed []runtime.PropID
	switch {
	case f.spec.Background && last:
		changed = append(changed, c.store.Set(c.expand(settledValues(f.spec), f.match)...)...)
	case f.place.Waiting(): // it ended waiting: the others' place shows
		changed = append(changed, c.store.Set(c.expand(queueValues(f.spec, place), f.match)...)...)
	}
	switch status {
	case protocol.StatusOK:
		changed = append(changed, c.store.Set(c.expand(props, f.match)...)...)
	case protocol.StatusError:
		e := CallbackError{Callback: f.spec.ID}
		if perr != nil {
			e.Code, e.Message, e.ID, e.Stack = perr.Code, perr.Message, perr.ID, perr.Stack
		}
		c.showError(e)
	}
	c.react(changed)
	c.release() // descendants waiting on this call run even when it changed nothing
}

// runsLocked reports whether a call of spec's instance match is in flight:
// another call of a NoSupersede callback.
func (c *Client) runsLocked(spec *runtime.Spec, match map[string]string) bool {
	for _, f := range c.flights {
		if f.spec == spec && runtime.InstanceKey(f.match) == runtime.InstanceKey(match) {
			return true
		}
	}
	return false
}

// ShowError shows an error of the page's own, not a callback's (a chart
// its library could not draw), where the page shows callbacks' errors.
func (c *Client) ShowError(code, message string) {
	c.showError(CallbackError{Code: code, Message: message})
}

func (c *Client) showError(e CallbackError) {
	raw, _ := json.Marshal(e)
	c.store.Set(protocol.PropValue{ID: ErrorProp.ID, Prop: ErrorProp.Prop, Value: raw})
}

func (c *Client) clearError(callback string) {
	var e CallbackError
	if c.store.Decode(ErrorProp, &e) && e.Callback == callback {
		c.store.Set(protocol.PropValue{ID: ErrorProp.ID, Prop: ErrorProp.Prop})
	}
}

func (c *Client) values(props []runtime.PropID) []protocol.PropValue {
	out := make([]protocol.PropValue, len(props))
	for i, p := range props {
		v, _ := c.store.Get(p)
		out[i] = protocol.PropValue{ID: p.ID, Prop: p.Prop, Value: v}
	}
	return out
}

// runningValues are the values spec's Running props take while it runs.
// Patterns are left for expand.
func runningValues(spec *runtime.Spec) []protocol.PropValue {
	out := make([]protocol.PropValue, len(spec.Running))
	for i, r := range spec.Running {
		out[i] = protocol.PropValue{ID: r.Prop.ID, Prop: r.Prop.Prop, Value: r.During}
	}
	return out
}

// settledValues are the values spec's bindings take when it does not run:
// Running props' after values, Progress props' defaults and an empty Queued
// prop. A progress prop without a default keeps its last value, as in Dash
// (its test lcbc014): setting it to null would remove the last progress
// from the screen and call its dependents once more. Patterns are left for
// expand.
func settledValues(spec *runtime.Spec) []protocol.PropValue {
	out := make([]protocol.PropValue, 0, len(spec.Running)+len(spec.Progress)+1)
	for _, r := range spec.Running {
		out = append(out, protocol.PropValue{ID: r.Prop.ID, Prop: r.Prop.Prop, Value: r.After})
	}
	for i, p := range spec.Progress {
		if v := spec.ProgressDefault[i]; v != nil {
			out = append(out, protocol.PropValue{ID: p.ID, Prop: p.Prop, Value: v})
		}
	}
	return append(out, queueValues(spec, runtime.Place{})...)
}
