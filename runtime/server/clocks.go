package server

import (
	"sync"
	"time"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// clocks time one session's calls for the latency metrics and follow their
// jobs' states for the job gauges: when each call arrived, when its handler
// started and when the call ended; the writer reads them when the result
// goes out. Only calls this process received have a clock: a job re-attached
// after a restart is counted by the process that took its call.
type clocks struct {
	mu    sync.Mutex
	calls map[callKey]*clock
}

type callKey struct {
	req      uint64
	callback string
}

type clock struct {
	kind                     string // kindOrdinary or kindBackground
	state                    callState
	received, started, ended time.Time
}

type callState uint8

const (
	callReceived callState = iota
	callQueued
	callRunning
	callEnded
)

// with runs f on the call's clock, if it has one, under the lock.
func (cs *clocks) with(key callKey, f func(*clock)) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if c := cs.calls[key]; c != nil {
		f(c)
	}
}

// callReceived starts a call's clock. A call sent again (after a reconnect,
// with its idempotency key) keeps the clock of its first copy.
func (m *metrics) callReceived(sess *session, req uint64, callback string, background bool) {
	kind := kindOrdinary
	if background {
		kind = kindBackground
	}
	cs := &sess.clocks
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.calls == nil {
		cs.calls = map[callKey]*clock{}
	}
	key := callKey{req, callback}
	if cs.calls[key] == nil {
		cs.calls[key] = &clock{kind: kind, received: time.Now()}
	}
}

// callStarted records an ordinary callback's handler starting.
func (m *metrics) callStarted(sess *session, req uint64, callback string) {
	sess.clocks.with(callKey{req, callback}, func(c *clock) { m.start(c, time.Now()) })
}

// callEnded records an ordinary call's end, or a call refused before it ran.
func (m *metrics) callEnded(sess *session, req uint64, callback string, res runtime.Result) {
	sess.clocks.with(callKey{req, callback}, func(c *clock) { m.end(c, res, time.Now()) })
}

// jobEvent follows a background call's job. Replays (a re-attach, an
// idempotent resubmission) repeat events the clock has passed, and change
// nothing.
func (m *metrics) jobEvent(sess *session, ref jobRef, e jobs.Event) {
	if e.Kind == jobs.Progress || e.Kind == jobs.SetProps {
		return
	}
	sess.clocks.with(callKey{ref.req, ref.callback}, func(c *clock) {
		now := time.Now()
		switch e.Kind {
		case jobs.Queued:
			if c.state == callReceived {
				c.state = callQueued
				m.jobs.WithLabelValues("queued").Inc()
			}
		case jobs.Started:
			if c.state == callQueued {
				m.jobs.WithLabelValues("queued").Dec()
				m.jobs.WithLabelValues("running").Inc()
				m.start(c, now)
			}
		case jobs.Finished:
			switch c.state {
			case callQueued:
				m.jobs.WithLabelValues("queued").Dec()
			case callRunning:
				m.jobs.WithLabelValues("running").Dec()
			}
			m.end(c, *e.Result, now)
		}
	})
}

func (m *metrics) start(c *clock, now time.Time) {
	c.state, c.started = callRunning, now
	m.wait.WithLabelValues(c.kind).Observe(now.Sub(c.received).Seconds())
}

func (m *metrics) end(c *clock, res runtime.Result, now time.Time) {
	if c.state == callEnded {
		return
	}
	if c.state == callRunning {
		m.run.WithLabelValues(c.kind).Observe(now.Sub(c.started).Seconds())
	}
	c.state, c.ended = callEnded, now
	code := ""
	if res.Err != nil {
		code = res.Err.Code
	}
	m.ended.WithLabelValues(c.kind, string(res.Status), code).Inc()
}

// written counts a message written to a socket and, for the result that ends
// a call, stops its clock. (An error message does not: an unknown_job answer
// to a cancel carries the req of a call that goes on.)
func (m *metrics) written(sess *session, msg protocol.Message) {
	m.sent.WithLabelValues(string(msg.Type)).Inc()
	if sess == nil || msg.Type != protocol.TypeResult {
		return
	}
	cs := &sess.clocks
	cs.mu.Lock()
	key := callKey{msg.Req, msg.Callback}
	c := cs.calls[key]
	delete(cs.calls, key)
	cs.mu.Unlock()
	if c == nil {
		return
	}
	now := time.Now()
	if !c.ended.IsZero() {
		m.write.WithLabelValues(c.kind).Observe(now.Sub(c.ended).Seconds())
	}
	m.duration.WithLabelValues(c.kind).Observe(now.Sub(c.received).Seconds())
}
