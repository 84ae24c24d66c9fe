package server

import (
	"fmt"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// concurrentKey is what the session's load files a NoSupersede callback's
// jobs under: no supersede key (each of its jobs runs on; the manager gets
// none), but one the load can count them by. It starts with a byte no
// supersede key does, so it never equals one.
func concurrentKey(sess *session, cb *runtime.Callback) string {
	return "\x01" + baseKey(sess, cb)
}

// managerKey is the supersede key the manager gets: none for a NoSupersede
// callback's jobs.
func managerKey(cb *runtime.Callback, key string) string {
	if cb.Spec().Concurrent > 0 {
		return ""
	}
	return key
}

// admitConcurrent refuses a job of a NoSupersede callback beyond its bound of
// unfinished jobs in the session, counted from the jobs' own events.
func (l *load) admitConcurrent(cb *runtime.Callback, key string) *protocol.Error {
	bound := cb.Spec().Concurrent
	if bound == 0 {
		return nil
	}
	l.mu.Lock()
	open := 0
	for _, k := range l.jobs {
		if k == key {
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
