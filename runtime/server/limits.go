package server

import (
	"errors"
	"fmt"
	"sync"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// limits are the bounds every session is kept within, so that one page, slow
// or hostile, cannot take what the others need.
type limits struct {
	sendQueue int // messages waiting to be written before the socket is dropped
	jobs      int // unfinished background jobs
	calls     int // ordinary callbacks running at once
	callQueue int // ordinary callbacks waiting for one of those slots

	result  int64 // bytes of one result
	results int64 // bytes of results held unwritten
}

// Defaults for the limits.
const (
	defaultReadLimit        = 1 << 20
	defaultSendQueue        = 1024
	defaultSessionJobs      = 16
	defaultSessionCalls     = 8
	defaultSessionCallQueue = 64
	defaultResultLimit      = 8 << 20
	defaultSessionResults   = 32 << 20
	maxAttach               = 256 // jobs one hello may re-attach: a page waits for one per background callback
)

func limitsOf(cfg Config) limits {
	return limits{
		sendQueue: orDefaultInt(cfg.SendQueue, defaultSendQueue),
		jobs:      orDefaultInt(cfg.SessionJobs, defaultSessionJobs),
		calls:     orDefaultInt(cfg.SessionCalls, defaultSessionCalls),
		callQueue: orDefaultInt(cfg.SessionCallQueue, defaultSessionCallQueue),
		result:    int64(orDefaultInt(int(cfg.ResultLimit), defaultResultLimit)),
		results:   int64(orDefaultInt(int(cfg.SessionResultBytes), defaultSessionResults)),
	}
}

func orDefaultInt(n, def int) int {
	if n <= 0 {
		return def
	}
	return n
}

// load is what one session has under way: its unfinished background jobs and
// its ordinary callbacks, running or waiting for a slot.
type load struct {
	lim   limits
	slots chan struct{} // one token per ordinary callback running

	mu    sync.Mutex
	jobs  map[jobs.ID]string // unfinished jobs → supersede key
	calls int                // ordinary callbacks running or waiting
}

func newLoad(lim limits) *load {
	return &load{lim: lim, slots: make(chan struct{}, lim.calls), jobs: map[jobs.ID]string{}}
}

// admitJob reports whether the session may start a job of callback under
// supersede key. Every unfinished job counts, of every callback and MATCH
// instance, but the one of the same key: the new job supersedes it.
func (l *load) admitJob(callback, key string) *protocol.Error {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, k := range l.jobs {
		if k == "" || k != key {
			n++
		}
	}
	if n < l.lim.jobs {
		return nil
	}
	return &protocol.Error{Code: protocol.CodeBusy, Message: fmt.Sprintf(
		"callback %s could not start: this page already has %d background jobs queued or running; wait for one to finish", callback, n)}
}

// jobEvent follows the session's jobs from their events: a job counts from
// its first event until it has finished, whichever sink (a submission, an
// idempotent resubmission, a re-attach) delivers them.
func (l *load) jobEvent(e jobs.Event, key string) {
	if e.Kind == jobs.Progress || e.Kind == jobs.SetProps {
		return // a job's state changes only with the others
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if e.Kind == jobs.Finished {
		delete(l.jobs, e.Job)
		return
	}
	l.jobs[e.Job] = key
}

// jobsOpen returns how many of the session's jobs are unfinished.
func (l *load) jobsOpen() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.jobs)
}

// admitCall reserves a place for an ordinary callback: a slot, or a place in
// line for one. The caller runs acquire and release around the handler.
func (l *load) admitCall(callback string) *protocol.Error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.calls >= l.lim.calls+l.lim.callQueue {
		return &protocol.Error{Code: protocol.CodeBusy, Message: fmt.Sprintf(
			"callback %s could not start: this page already has %d callbacks running or waiting; try again", callback, l.calls)}
	}
	l.calls++
	return nil
}

// acquire waits for a slot; false when done closes first (the session ended),
// in which case the place is given up.
func (l *load) acquire(done <-chan struct{}) bool {
	select {
	case l.slots <- struct{}{}:
		return true
	case <-done:
		l.leave()
		return false
	}
}

// release frees the slot and the place taken by admitCall and acquire.
func (l *load) release() {
	<-l.slots
	l.leave()
}

func (l *load) leave() {
	l.mu.Lock()
	l.calls--
	l.mu.Unlock()
}

// refuse ends a call that was not run, counting why.
func (s *Server) refuse(sess *session, req uint64, callback, reason string, perr *protocol.Error) {
	s.metrics.refusal(reason)
	s.warn("call refused", "session", sess.short(), "callback", callback, "reason", reason)
	s.endUnrun(sess, req, callback, perr)
}

// submitFailed answers a call whose job the manager did not take: busy when
// its queue is full or it is shutting down, so that the page may try again.
func (s *Server) submitFailed(sess *session, req uint64, callback string, err error) {
	perr := &protocol.Error{Code: protocol.CodeInternal, Message: fmt.Sprintf("callback %s could not start: %v", callback, err)}
	switch {
	case errors.Is(err, jobs.ErrClosed):
		perr.Code, perr.Message = protocol.CodeBusy, fmt.Sprintf("callback %s could not start: the server is shutting down; try again in a moment", callback)
		s.metrics.refusal(refusedShutDown)
	case errors.Is(err, jobs.ErrBusy):
		perr.Code, perr.Message = protocol.CodeBusy, fmt.Sprintf("callback %s could not start: %v; try again later", callback, err)
		s.metrics.refusal(refusedQueueFull)
		s.warnWithin(&s.queueFull, "job queue full", "session", sess.short(), "callback", callback)
	default: // logged, with an id, and in production not shown: it may name the infrastructure
		perr = s.reportResult(sess, callback, "", runtime.Result{Status: protocol.StatusError, Err: perr}).Err
	}
	s.endUnrun(sess, req, callback, perr)
}

func (s *Server) endUnrun(sess *session, req uint64, callback string, perr *protocol.Error) {
	res := runtime.Result{Status: protocol.StatusError, Err: perr}
	s.metrics.callEnded(sess, req, callback, res)
	sess.send(resultMessage(protocol.Message{Req: req, Callback: callback}, res))
}
