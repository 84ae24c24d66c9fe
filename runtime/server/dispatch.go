package server

import (
	"context"
	"fmt"
	"log/slog"

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
	s.metrics.callReceived(sess, m.Req, cb.ID(), cb.Spec().Background)
	req := runtime.Request{Inputs: m.Inputs, States: m.States, Triggered: m.Triggered, Outputs: m.Outputs, Session: sess.name}
	if !cb.Spec().Background {
		if perr := sess.load.admitCall(cb.ID()); perr != nil {
			s.refuse(sess, m.Req, cb.ID(), refusedSessionCalls, perr)
			return
		}
		s.ordinary.Add(1)
		go s.runNow(sess, cb, m.Req, req)
		return
	}
	if perr := sess.load.admitJob(cb.ID()); perr != nil {
		s.refuse(sess, m.Req, cb.ID(), refusedSessionJobs, perr)
		return
	}
	s.submit(sess, cb, m.Req, m.Key, req)
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
	res := cb.Invoke(ctx, req, nil)
	s.logResult(sess, cb.ID(), res)
	s.metrics.callEnded(sess, reqNo, cb.ID(), res)
	sess.send(resultMessage(protocol.Message{Req: reqNo, Callback: cb.ID()}, res))
}

func (s *Server) submit(sess *session, cb *runtime.Callback, reqNo uint64, key string, req runtime.Request) {
	manager, err := s.managerOf(cb)
	if err != nil {
		sess.send(resultMessage(protocol.Message{Req: reqNo, Callback: cb.ID()}, runtime.Result{Status: protocol.StatusError, Err: err}))
		return
	}
	job := jobs.Job{
		ID:       jobs.NewID(),
		Callback: cb.ID(),
		Session:  sess.token,
		// MATCH instances are told apart by their resolved outputs, so that
		// they run side by side instead of superseding each other.
		Key:         sess.token + "\x00" + cb.ID() + "\x00" + protocol.JoinIDs(req.Outputs),
		Idempotency: key,
		CacheKey:    cb.CacheKey(req),
		// Only a callback that shows its place hears it change.
		Queued:  cb.Spec().Queued != nil,
		Request: req,
	}
	if c := cb.Spec().Cache; c != nil {
		job.CacheTTL = c.Expire
	}
	ref := jobRef{req: reqNo, callback: cb.ID(), manager: manager}
	if _, err := manager.Submit(context.Background(), job, s.sink(sess, ref)); err != nil {
		s.submitFailed(sess, reqNo, cb.ID(), err)
	}
}

// sink delivers a job's events to the session. It tracks the job from its
// events' ids, not from the submitted job's: an idempotent resubmission or a
// re-attach replays events of a job submitted earlier.
func (s *Server) sink(sess *session, ref jobRef) jobs.Sink {
	return jobs.SinkFunc(func(e jobs.Event) {
		sess.track(e.Job, ref, e.Kind == jobs.Finished)
		sess.load.jobEvent(e, ref.callback)
		s.metrics.jobEvent(sess, ref, e)
		if e.Kind == jobs.Finished {
			s.logResult(sess, ref.callback, *e.Result)
		}
		sess.outbox.Deliver(e)
		sess.checkBacklog()
	})
}

// reattach resumes the jobs a page lists in its hello: the manager replays
// where each is, then streams the rest. A job the manager does not know for
// this session (another session's, expired, lost in a restart) ends that
// call with unknown_job.
func (s *Server) reattach(sess *session, refs []protocol.JobRef) {
	for _, r := range refs {
		cb, ok := runtime.Lookup(r.Callback)
		if !ok {
			sess.send(errorMessage(r.Req, r.Callback, &protocol.Error{Code: protocol.CodeUnknownCallback, Message: fmt.Sprintf("no callback %q on this server", r.Callback)}))
			continue
		}
		manager, perr := s.managerOf(cb)
		if perr != nil {
			sess.send(resultMessage(protocol.Message{Req: r.Req, Callback: r.Callback, Job: r.Job}, runtime.Result{Status: protocol.StatusError, Err: perr}))
			continue
		}
		ref := jobRef{req: r.Req, callback: r.Callback, manager: manager}
		if sess.holdsResult(jobs.ID(r.Job)) {
			// Its result waits here, to be written: asking the manager
			// again could only bring it twice, or, were it no longer kept
			// there, an unknown_job ahead of it.
			continue
		}
		if err := manager.Attach(context.Background(), jobs.ID(r.Job), sess.token, s.sink(sess, ref)); err != nil {
			s.log.Warn("re-attach refused", "session", sess.short(), "job", r.Job, "err", err)
			sess.send(resultMessage(protocol.Message{Req: r.Req, Callback: r.Callback, Job: r.Job}, runtime.Result{
				Status: protocol.StatusError,
				Err:    &protocol.Error{Code: protocol.CodeUnknownJob, Message: "the job this page was waiting for is gone (the server restarted, or its result expired); run it again"},
			}))
		}
	}
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
	ref, ok := sess.job(id)
	if !ok {
		s.warn("cancel of a job not in this session", "session", sess.short(), "job", clip(m.Job))
		sess.send(errorMessage(m.Req, clip(m.Callback), &protocol.Error{Code: protocol.CodeUnknownJob, Message: "no running job with that id in this session"}))
		return
	}
	ref.manager.Cancel(id)
}

func (s *Server) logResult(sess *session, callback string, res runtime.Result) {
	switch res.Status {
	case protocol.StatusError:
		attrs := []any{"session", sess.short(), "callback", callback, "code", res.Err.Code, "err", res.Err.Message}
		if res.Stack != nil {
			attrs = append(attrs, "stack", string(res.Stack))
		}
		s.log.Error("callback failed", attrs...)
	default:
		// Checked first: every result passes here, and the arguments would
		// be boxed even for a level that drops the line.
		if s.log.Enabled(context.Background(), slog.LevelDebug) {
			s.log.Debug("callback ended", "session", sess.short(), "callback", callback, "status", res.Status)
		}
	}
}
