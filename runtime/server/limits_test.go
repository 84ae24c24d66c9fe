package server_test

import (
	"testing"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime/protocol"
	"github.com/longcall/longcall/runtime/server"
)

// A session may have SessionJobs background jobs unfinished; one more is
// answered busy, while calling a running callback again (which supersedes its
// job) is allowed, and other sessions are not limited by it.
func TestSessionJobLimitAnswersBusy(t *testing.T) {
	ts := serve(t, server.Config{SessionJobs: 2})
	a, b, c, b2, elsewhere, c2 := fresh(), fresh(), fresh(), fresh(), fresh(), fresh()
	w, _ := connect(t, ts.url, "")
	w.send(call(1, holdA.ID(), value("hold_a", "value", a)))
	w.send(call(2, holdB.ID(), value("hold_b", "value", b)))
	w.send(call(3, holdC.ID(), value("hold_c", "value", c)))
	wantError(t, w.answer(3), protocol.CodeBusy, "already has 2 background jobs")

	w.send(call(4, holdB.ID(), value("hold_b", "value", b2))) // supersedes 2
	if m := w.answer(2); m.Status != protocol.StatusCancelled {
		t.Fatalf("the superseded job ended with %+v", m)
	}
	other, _ := connect(t, ts.url, "")
	other.send(call(1, holdC.ID(), value("hold_c", "value", elsewhere)))
	other.until("the other session's job", func(m protocol.Message) bool { return m.Type == protocol.TypeJob && m.State == protocol.JobRunning })

	release(a)
	if m := w.answer(1); m.Status != protocol.StatusOK {
		t.Fatalf("got %+v", m)
	}
	w.send(call(5, holdC.ID(), value("hold_c", "value", c2))) // a place is free again
	w.until("the job", func(m protocol.Message) bool { return m.Req == 5 && m.Type == protocol.TypeJob })
	for _, n := range []int{b2, elsewhere, c2} {
		release(n)
	}
	if got := ts.metric(t, "longcall_refused_total", map[string]string{"reason": "session_jobs"}); got != 1 {
		t.Errorf("session_jobs refusals %v, want 1", got)
	}
}

// Ordinary callbacks run SessionCalls at a time per session; SessionCallQueue
// more wait for a slot, and past that a call is answered busy.
func TestSessionCallLimitQueuesThenAnswersBusy(t *testing.T) {
	ts := serve(t, server.Config{SessionCalls: 1, SessionCallQueue: 1})
	first, second, third := fresh(), fresh(), fresh()
	w, _ := connect(t, ts.url, "")
	w.send(call(1, slow.ID(), value("slow_in", "value", first)))
	eventually(t, "the first call to run", func() bool {
		return ts.metric(t, "longcall_ordinary_calls_running", nil) == 1
	})
	w.send(call(2, slow.ID(), value("slow_in", "value", second))) // waits for the slot
	w.send(call(3, slow.ID(), value("slow_in", "value", third)))
	wantError(t, w.answer(3), protocol.CodeBusy, "already has 2 callbacks running or waiting")

	release(second) // opened before it runs: it will end as soon as it starts
	release(first)
	if m := w.answer(1); m.Status != protocol.StatusOK {
		t.Fatalf("got %+v", m)
	}
	if m := w.answer(2); m.Status != protocol.StatusOK || string(m.Props[0].Value) != `"slow `+itoa(second)+`"` {
		t.Fatalf("the waiting call got %+v", m)
	}
}

// The manager's queue is bounded for everyone: when it is full a call is
// answered busy instead of the queue growing.
func TestFullQueueAnswersBusy(t *testing.T) {
	manager := jobs.NewInProcess(jobs.Workers(1), jobs.QueueSize(1))
	t.Cleanup(func() { manager.Shutdown(t.Context()) })
	ts := serve(t, server.Config{Managers: map[string]jobs.Manager{"": manager}})
	running, queued, refused := fresh(), fresh(), fresh()
	a, _ := connect(t, ts.url, "")
	a.send(call(1, holdA.ID(), value("hold_a", "value", running)))
	a.until("running", func(m protocol.Message) bool { return m.Type == protocol.TypeJob && m.State == protocol.JobRunning })
	a.send(call(2, holdB.ID(), value("hold_b", "value", queued)))
	a.until("queued", func(m protocol.Message) bool { return m.Req == 2 && m.Type == protocol.TypeJob })

	b, _ := connect(t, ts.url, "")
	b.send(call(1, holdC.ID(), value("hold_c", "value", refused)))
	wantError(t, b.answer(1), protocol.CodeBusy, "queue is full")
	if got := ts.metric(t, "longcall_manager_queue_depth", nil); got != 1 {
		t.Errorf("queue depth %v, want 1", got)
	}
	release(running)
	release(queued)
	if m := a.answer(2); m.Status != protocol.StatusOK {
		t.Fatalf("got %+v", m)
	}
}
