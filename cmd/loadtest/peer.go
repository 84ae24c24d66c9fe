package main

import (
	"encoding/json"
	"time"

	"github.com/longcall/longcall/runtime/client"
	"github.com/longcall/longcall/runtime/protocol"
	"github.com/longcall/longcall/ui/examples/load"
)

// session is the connection's client.Peer: it records what each message
// tells, then hands it on to the client, as the page would get it.
var _ client.Peer = (*session)(nil)

// Handle implements client.Peer. The arrival time is taken first, before the
// client's work on the message, which a page would do after receiving it too.
func (s *session) Handle(m protocol.Message) {
	now := arrival{read: time.Now()}
	now.inSocket, now.stamped = s.stamp.get()
	s.rec.message(m)
	finished := s.observe(m, now)
	s.client.Handle(m)
	if finished != nil {
		// After the client has applied the result, so that the next click
		// finds the page settled, as a user's would.
		close(finished.done)
	}
}

// Status implements client.Peer; a connection lost during the load is an
// error (the client reconnects and resumes, and the run goes on).
func (s *session) Status(status string) {
	s.client.Status(status)
	if status != client.StatusOffline {
		return
	}
	s.mu.Lock()
	unexpected := s.welcomed && !s.closing
	s.mu.Unlock()
	if unexpected {
		s.rec.fail("connection lost")
	}
}

// Waiting implements client.Peer.
func (s *session) Waiting() []protocol.JobRef { return s.client.Waiting() }

// Welcome implements client.Peer; a reconnect that does not resume the
// session has lost its jobs.
func (s *session) Welcome(session string, resumed bool, unsent map[uint64]bool) {
	s.mu.Lock()
	again := s.welcomed
	s.welcomed = true
	s.mu.Unlock()
	if again && !resumed {
		s.rec.fail("session lost on reconnect")
	}
	s.client.Welcome(session, resumed, unsent)
}

// arrival is when a message was read, and when the kernel received its
// bytes (no later than that: see stampedConn), where it says.
type arrival struct {
	read     time.Time
	inSocket time.Time
	stamped  bool
}

// observe records what m says about the current job, and returns that job
// when m ends it.
func (s *session) observe(m protocol.Message, now arrival) *jobRun {
	s.mu.Lock()
	r := s.current
	var req uint64
	if r != nil {
		req = r.req
	}
	s.mu.Unlock()
	if m.Req == 0 || r == nil || m.Req != req {
		if m.Type == protocol.TypeError {
			s.rec.fail("error " + errorCode(m.Error))
		} else {
			s.rec.fail("message for no job in flight: " + string(m.Type))
		}
		return nil
	}
	if r.ended {
		s.rec.fail("message after the job's result: " + string(m.Type)) // the protocol says result is last
		return nil
	}
	switch m.Type {
	case protocol.TypeJob:
		if m.State == protocol.JobRunning && !r.started {
			r.started = true
			s.rec.triggerToStart.record(now.read.Sub(r.triggered))
		}
	case protocol.TypeProgress:
		s.observeProgress(r, m, now)
	case protocol.TypeResult:
		r.ended = true
		s.observeResult(r, m, now)
		return r
	case protocol.TypeError:
		r.ended = true
		s.rec.fail("error " + errorCode(m.Error))
		s.rec.received(now.read, false)
		return r
	}
	return nil
}

func (s *session) observeProgress(r *jobRun, m protocol.Message, now arrival) {
	var p load.Progress
	if !decodeProp(m.Props, load.ProgressProp.PropID(), &p) {
		s.rec.fail("progress without a load_progress value")
		return
	}
	switch {
	case p.Seq == r.lastSeq:
		// A resumed session replays the job's latest progress: not news.
		s.rec.progressReplayed.Add(1)
		return
	case p.Seq < r.lastSeq:
		s.rec.fail("progress out of order")
		return
	}
	sent := time.Unix(0, p.SentNS)
	s.rec.progress.record(p.Seq, now.read.Sub(sent))
	if now.stamped {
		s.rec.progressInSocket.record(p.Seq, now.inSocket.Sub(sent))
	}
	r.lastSeq = p.Seq
	r.received++
}

func (s *session) observeResult(r *jobRun, m protocol.Message, now arrival) {
	s.rec.triggerToResult.record(now.read.Sub(r.triggered))
	if m.Status != protocol.StatusOK {
		kind := "result " + string(m.Status)
		if m.Error != nil {
			kind += " " + m.Error.Code
		}
		s.rec.fail(kind)
		s.rec.received(now.read, false)
		return
	}
	if !r.started {
		// The job ended before its running message was written, and the
		// server sent its result alone: the page heard it had started now.
		r.started = true
		s.rec.triggerToStart.record(now.read.Sub(r.triggered))
	}
	var res load.Result
	if !decodeProp(m.Props, load.ResultProp.PropID(), &res) {
		s.rec.fail("result without a load_result value")
		s.rec.received(now.read, false)
		return
	}
	end := time.Unix(0, res.EndNS)
	s.rec.endToResult.record(now.read.Sub(end))
	if now.stamped {
		s.rec.endToResultInSocket.record(now.inSocket.Sub(end))
	}
	s.rec.jobProgress(res.Sent, r.received, r.lastSeq == res.Sent)
	s.rec.received(now.read, true)
}

// decodeProp finds prop among values and decodes it into v.
func decodeProp(values []protocol.PropValue, prop protocol.PropID, v any) bool {
	for _, pv := range values {
		if pv.PropID() == prop {
			return json.Unmarshal(pv.Value, v) == nil
		}
	}
	return false
}

func errorCode(e *protocol.Error) string {
	if e == nil {
		return "without a code"
	}
	return e.Code
}
