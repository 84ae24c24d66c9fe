package server

import (
	"fmt"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// supersedeKey groups the jobs that supersede each other: a session's jobs
// of one callback, MATCH instances told apart by their resolved outputs so
// that they run side by side. A NoSupersede callback has none: each of its
// jobs runs on.
func supersedeKey(sess *session, cb *runtime.Callback, req runtime.Request) string {
	if cb.Spec().Concurrent > 0 {
		return ""
	}
	return sess.token + "\x00" + cb.ID() + "\x00" + protocol.JoinIDs(req.Outputs)
}

// admitConcurrent refuses a job of a NoSupersede callback beyond its bound of
// unfinished jobs in the session, counted from the jobs' own events.
func (l *load) admitConcurrent(cb *runtime.Callback) *protocol.Error {
	bound := cb.Spec().Concurrent
	if bound == 0 {
		return nil
	}
	l.mu.Lock()
	open := 0
	for _, id := range l.jobs {
		if id == cb.ID() {
			open++
		}
	}
	l.mu.Unlock()
	if open < bound {
		return nil
	}
	return &protocol.Error{Code: protocol.CodeBusy, Message: fmt.Sprintf(
		"callback %s could not start: this page already runs %d of its jobs, as many as it allows at once; wait for one to finish", cb.ID(), open)}
}
