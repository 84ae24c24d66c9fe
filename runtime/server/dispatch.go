package server

import (
	"context"
	"fmt"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// dispatch serves one decoded client message.
func (s *Server) dispatch(sess *session, m protocol.Message) {
	switch m.Type {
	case protocol.TypeCall:
		s.call(sess, m)
	case protocol.TypeCancel:
		s.cancel(sess, m)
	case protocol.TypeHello:
		sess.send(errorMessage(0, "", &protocol.Error{Code: protocol.CodeBadMessage, Message: "hello is only valid as the first message"}))
	default:
		sess.send(errorMessage(m.Req, m.Callback, &protocol.Error{Code: protocol.CodeBadMessage, Message: fmt.Sprintf("%s is not a message a client sends", m.Type)}))
	}
}

func (s *Server) call(sess *session, m protocol.Message) {
	cb, ok := runtime.Lookup(m.Callback)
	if !ok {
		s.warn("call of unknown callback", "session", sess.short(), "callback", clip(m.Callback))
		sess.send(errorMessage(m.Req, clip(m.Callback), &protocol.Error{Code: protocol.CodeUnknownCallback, Message: fmt.Sprintf("no callback %q on this server; is the page older than the server?", clip(m.Callback))}))
		return
	}
	resent := sess.clocks.has(callKey{m.Req, cb.ID()})
	s.metrics.callReceived(sess, m.Req, cb.ID(), cb.Spec().Background)
	if !resent && s.refuseAddrCall(sess, m.Req, cb.ID()) {
		return
	}
	caller := sess.callerOf()
	if !cb.Allows(caller.Principal) {
		s.refuse(sess, m.Req, cb.ID(), refusedForbidden, forbidden(cb, caller.Principal))
		return
	}
	req := runtime.Request{Inputs: m.Inputs, States: m.States, Triggered: m.Triggered, Outputs: m.Outputs, Session: sess.name, Caller: caller}
	if !cb.Spec().Background {
		if perr := sess.load.admitCall(cb.ID()); perr != nil {
			s.refuse(sess, m.Req, cb.ID(), refusedSessionCalls, perr)
			return
		}
		s.ordinary.Add(1)
		go s.runNow(sess, cb, m.Req, req)
		return
	}
	key, perr := supersedeKey(sess, cb, req.Outputs)
	if perr != nil {
		s.warn("call with outputs not its callback's", "session", sess.short(), "callback", cb.ID())
		s.endUnrun(sess, m.Req, cb.ID(), perr)
		return
	}
	if cb.Spec().Concurrent > 0 {
		key = concurrentKey(sess, cb)
	}
	// A NoSupersede callback's jobs all count: none supersedes another.
	if perr := sess.load.admitJob(cb.ID(), managerKey(cb, key)); perr != nil {
		s.refuse(sess, m.Req, cb.ID(), refusedSessionJobs, perr)
		return
	}
	if perr := sess.load.admitConcurrent(cb, key); perr != nil {
		s.refuse(sess, m.Req, cb.ID(), refusedSessionJobs, perr)
		return
	}
	s.submit(sess, cb, m.Req, m.Key, key, req)
}

// runNow runs an ordinary callback off the reader goroutine, so that a slow
// handler does not hold up the session's other messages, as soon as one of
// the session's SessionCalls slots is free.
func (s *Server) runNow(sess *session, cb *runtime.Callback, reqNo uint64, req runtime.Request) {
	defer s.ordinary.Add(-1)
	if !sess.load.acquire(sess.closedCh) {
		return // the session ended while the call waited: nobody to answer
	}
	defer sess.load.release()
	s.metrics.callStarted(sess, reqNo, cb.ID())
	s.metrics.ordinaryRunning(1)
	defer s.metrics.ordinaryRunning(-1)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-sess.closedCh:
			cancel()
		case <-ctx.Done():
		}
	}()
	res := s.reportResult(sess, cb.ID(), "", s.bound(sess, cb.ID(), s.passCookies(sess, cb.ID(), cb.Invoke(ctx, req, nil))))
	s.metrics.callEnded(sess, reqNo, cb.ID(), res)
	sess.send(resultMessage(protocol.Message{Req: reqNo, Callback: cb.ID()}, res))
}

func (s *Server) submit(sess *session, cb *runtime.Callback, reqNo uint64, idem, key string, req runtime.Request) {
	manager, perr := s.managerOf(cb)
	if perr != nil {
		sess.send(resultMessage(protocol.Message{Req: reqNo, Callback: cb.ID()}, runtime.Result{Status: protocol.StatusError, Err: perr}))
		return
	}
	job := jobs.Job{
		ID:       jobs.NewID(),
		Callback: cb.ID(),
		Session:  sess.token,
		// MATCH instances run side by side instead of superseding each
		// other: see supersedeKey.
		Key:         managerKey(cb, key),
		Idempotency: idem,
		CacheKey:    cb.CacheKey(req),
		// Only a callback that shows its place hears it change.
		Queued:  cb.Spec().ShowsQueue(),
		Request: req,
	}
	if c := cb.Spec().Cache; c != nil {
		job.CacheTTL = c.Expire
	}
	ref := jobRef{req: reqNo, callback: cb.ID(), key: key, manager: manager}
	// Tracked before any event of it (a manager may deliver them later): a
	// cancel that names the call may follow at once.
	sess.track(job.ID, ref, false)
	id, err := manager.Submit(context.Background(), job, s.sink(sess, ref))
	if err != nil || id != job.ID { // refused, or joined a job of another id
		sess.untrack(job.ID)
	}
	if err != nil {
		s.submitFailed(sess, reqNo, cb.ID(), err)
	}
}

// sink delivers a job's events to the session. It tracks the job from its
// events' ids, not from the submitted job's: an idempotent resubmission or a
// re-attach replays events of a job submitted earlier.
func (s *Server) sink(sess *session, ref jobRef) jobs.Sink {
	return jobs.SinkFunc(func(e jobs.Event) {
		if e.Kind == jobs.Finished {
			// A copy: a shared job's result is every session's.
			res := s.bound(sess, ref.callback, s.passCookies(sess, ref.callback, *e.Result))
			res = s.reportResult(sess, ref.callback, string(e.Job), res)
			e.Result = &res
		}
		sess.track(e.Job, ref, e.Kind == jobs.Finished)
		sess.load.jobEvent(e, ref.key)
		s.metrics.jobEvent(sess, ref, e)
		sess.outbox.Deliver(e)
		sess.checkBacklog()
	})
}

// reattach resumes the jobs a page lists in its hello: the manager replays
// where each is, then streams the rest. A job the manager does not know for
// this session (another session's, expired, lost in a restart) ends that
// call with unknown_job. The answers are the connection's: once it closes or
// is replaced, the rest of the list is left (the page's next hello lists
// its jobs again), and so is what a manager's Attach was doing for it.
func (s *Server) reattach(c *conn, refs []protocol.JobRef) {
	sess := c.sess
	for _, r := range refs {
		if c.ctx.Err() != nil {
			return
		}
		cb, ok := runtime.Lookup(r.Callback)
		if !ok {
			sess.sendTo(c, errorMessage(r.Req, clip(r.Callback), &protocol.Error{Code: protocol.CodeUnknownCallback, Message: fmt.Sprintf("no callback %q on this server", clip(r.Callback))}))
			continue
		}
		manager, perr := s.managerOf(cb)
		if perr != nil {
			sess.sendTo(c, resultMessage(protocol.Message{Req: r.Req, Callback: cb.ID(), Job: clip(r.Job)}, runtime.Result{Status: protocol.StatusError, Err: perr}))
			continue
		}
		ref := jobRef{req: r.Req, callback: cb.ID(), key: reattachKey(sess, cb), manager: manager}
		if sess.holdsResult(jobs.ID(r.Job)) {
			// Its result waits here, to be written: asking the manager
			// again could only bring it twice, or, were it no longer kept
			// there, an unknown_job ahead of it.
			continue
		}
		err := manager.Attach(c.ctx, jobs.ID(r.Job), sess.token, s.sink(sess, ref))
		if err == nil || c.ctx.Err() != nil {
			continue
		}
		s.metrics.refusal(refusedReattach)
		s.warn("re-attach refused", "session", sess.short(), "job", clip(r.Job), "err", err)
		sess.sendTo(c, resultMessage(protocol.Message{Req: r.Req, Callback: cb.ID(), Job: clip(r.Job)}, runtime.Result{
			Status: protocol.StatusError,
			Err:    &protocol.Error{Code: protocol.CodeUnknownJob, Message: "the job this page was waiting for is gone (the server restarted, or its result expired); run it again"},
		}))
	}
}

// forbidden is the answer to a call the session's principal may not make.
func forbidden(cb *runtime.Callback, p runtime.Principal) *protocol.Error {
	if p.Anonymous() {
		return &protocol.Error{Code: protocol.CodeForbidden, Message: fmt.Sprintf("callback %s needs a login: log in and reload the page", cb.ID())}
	}
	return &protocol.Error{Code: protocol.CodeForbidden, Message: fmt.Sprintf("%s may not call callback %s", p.ID, cb.ID())}
}

func (s *Server) managerOf(cb *runtime.Callback) (jobs.Manager, *protocol.Error) {
	if m := s.cfg.Managers[cb.Spec().Manager]; m != nil {
		return m, nil
	}
	return nil, &protocol.Error{Code: protocol.CodeInternal, Message: fmt.Sprintf("callback %s names manager %q, which this server does not have", cb.ID(), cb.Spec().Manager)}
}

// cancel cancels a job of this session. A job id of another session is
// refused exactly as an unknown one, so that the answer tells nothing.
func (s *Server) cancel(sess *session, m protocol.Message) {
	id := jobs.ID(m.Job)
	if id == "" { // named by its call: the page left before it heard the id
		id = sess.jobOfCall(m.Req, m.Callback)
	}
	ref, ok := sess.job(id)
	if !ok {
		s.warn("cancel of a job not in this session", "session", sess.short(), "job", clip(m.Job))
		sess.send(errorMessage(m.Req, clip(m.Callback), &protocol.Error{Code: protocol.CodeUnknownJob, Message: "no running job with that id in this session"}))
		return
	}
	cancelFor(ref.manager, id, sess.token)
}

// cancelFor ends session's part in job id: the job itself, unless other
// sessions watch it too (a shared CacheBy job) and the manager can tell.
func cancelFor(m jobs.Manager, id jobs.ID, session string) {
	if l, ok := m.(jobs.Leaver); ok {
		l.CancelFor(id, session)
		return
	}
	m.Cancel(id)
}
