package main

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"
	"time"

	"github.com/longcall/longcall/runtime/client"
	"github.com/longcall/longcall/runtime/protocol"
	"github.com/longcall/longcall/ui/examples/load"
)

// session is one simulated page: a native client of the load dashboard (the
// same dispatcher and store the browser runs) on its own websocket, running
// jobs one after another as a user clicking Run again once a result is in.
//
// It sits between the connection and the client as their Peer, so it sees
// every server message first and can timestamp it on arrival (peer.go).
type session struct {
	rec    *recorder
	client *client.Client
	conn   *client.Conn
	stamp  receiveStamp // when the kernel received the latest bytes read

	mu       sync.Mutex
	current  *jobRun // the job in flight, nil between jobs
	welcomed bool    // a welcome came: a later one must resume the session
	closing  bool    // the load is over: disconnects are expected
}

// jobRun is one job of a session, from its call to its result. Its fields
// after done are touched only by the connection's reader goroutine.
type jobRun struct {
	req       uint64    // the call's number, once sent
	triggered time.Time // when the call was handed to the connection
	done      chan struct{}

	started  bool // the job's "running" message arrived
	received int  // progress reports received
	lastSeq  int  // the latest report's sequence number
	ended    bool // its result (or error) arrived
}

// newSession returns a session whose jobs do the work job says, a
// LoadConfig as JSON. It is not yet connected.
func newSession(rec *recorder, job json.RawMessage) *session {
	s := &session{rec: rec}
	s.client = client.New(load.Dash, client.NewStore(), s.send)
	cfg := load.ConfigProp.PropID()
	s.client.Store().Set(protocol.PropValue{ID: cfg.ID, Prop: cfg.Prop, Value: job})
	return s
}

// dial starts connecting to url; the connection lives, reconnecting if it
// drops, until ctx ends.
func (s *session) dial(ctx context.Context, url string) {
	s.conn = client.NewConn(url, s, "")
	s.conn.SetHTTPClient(stampingClient(&s.stamp))
	s.conn.Start(ctx)
}

// ready is closed once the server has welcomed the session.
func (s *session) ready() <-chan struct{} { return s.conn.Welcomed() }

// close marks the session as over, so that the end of its connection is not
// counted as an error.
func (s *session) close() {
	s.mu.Lock()
	s.closing = true
	s.mu.Unlock()
}

// runJob clicks the trigger for the n-th time and waits for the job's result,
// or for ctx to end, which leaves the job unanswered: an error.
func (s *session) runJob(ctx context.Context, n int) error {
	r := &jobRun{done: make(chan struct{})}
	s.mu.Lock()
	s.current = r
	s.mu.Unlock()

	trigger := load.TriggerProp.PropID()
	s.client.Update(protocol.PropValue{ID: trigger.ID, Prop: trigger.Prop, Value: json.RawMessage(strconv.Itoa(n))})
	select {
	case <-r.done:
		return nil
	case <-ctx.Done():
		s.rec.fail("no result before the deadline")
		return ctx.Err()
	}
}

// send is the client's way out: it notes when the current job's call
// leaves, then hands every message to the connection.
func (s *session) send(m protocol.Message) {
	if m.Type == protocol.TypeCall {
		now := time.Now()
		s.mu.Lock()
		r := s.current
		first := r != nil && r.req == 0 // not a resend after a reconnect
		if first {
			r.req, r.triggered = m.Req, now
		}
		s.mu.Unlock()
		if first {
			s.rec.sent(now)
		}
	}
	s.conn.Send(m)
}
