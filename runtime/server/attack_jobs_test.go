package server_test

import (
	"testing"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
	"github.com/longcall/longcall/runtime/server"
)

// Issue 14, break 1: a call naming outputs of its own choosing used to get a
// supersede key of its own, so that every call ran beside the others and
// the session's job limit never counted them. Outputs that are not the
// callback's are refused, and the calls that remain supersede each other.
func TestForgedOutputsNeitherEscapeSupersedeNorTheJobLimit(t *testing.T) {
	ts := serve(t, server.Config{SessionJobs: 2})
	w, _ := connect(t, ts.url, "")
	held := fresh()
	t.Cleanup(func() { release(held) })
	for i := uint64(1); i <= 8; i++ {
		m := call(i, holdA.ID(), value("hold_a", "value", held))
		m.Outputs = []runtime.PropID{{ID: "forged" + itoa(int(i)), Prop: "children"}}
		w.send(m)
		wantError(t, w.answer(i), protocol.CodeBadInput, "not an output of")
	}
	if n := ts.manager.Stats().Pending; n != 0 {
		t.Fatalf("%d forged calls became jobs", n)
	}
}

// A callback with MATCH outputs runs one job per instance, but a session's
// instances together stay within SessionJobs: the job of a new instance
// past the limit is answered busy, and a new call of a running instance
// supersedes it.
func TestMatchInstancesCountAgainstTheJobLimit(t *testing.T) {
	ts := serve(t, server.Config{SessionJobs: 2})
	w, _ := connect(t, ts.url, "")
	held := fresh()
	t.Cleanup(func() { release(held) })
	instCall := func(req uint64, index int) protocol.Message {
		m := call(req, instJob.ID(), value(instID("inst", index), "value", held))
		m.Outputs = []runtime.PropID{{ID: instID("inst_out", index), Prop: "children"}}
		return m
	}
	w.send(instCall(1, 1))
	w.send(instCall(2, 2))
	w.send(instCall(3, 3))
	wantError(t, w.answer(3), protocol.CodeBusy, "already has 2 background jobs")
	w.send(instCall(4, 2)) // instance 2 again: supersedes 2
	if m := w.answer(2); m.Status != protocol.StatusCancelled {
		t.Fatalf("the superseded instance ended with %+v", m)
	}
	if n := ts.manager.Stats().Pending; n != 2 {
		t.Fatalf("%d jobs pending, want 2", n)
	}

	m := instCall(5, 4)
	m.Outputs = append(m.Outputs, runtime.PropID{ID: instID("inst_out", 5), Prop: "children"})
	w.send(m)
	wantError(t, w.answer(5), protocol.CodeBadInput, "two MATCH instances")
}

// Issue 14, break 2: a handler that ignores its context keeps its worker
// after its job ended (superseded here). One session clicking such a
// callback used to take every worker, and other sessions' jobs waited for
// its handlers to return. Now a session's handlers, ended or not, hold at
// most its share of the workers, and another session's job starts while
// every deaf handler still runs.
func TestDeafHandlersHoldOnlyTheirSessionsShare(t *testing.T) {
	manager := jobs.NewInProcess(jobs.Workers(4), jobs.SessionWorkers(2))
	t.Cleanup(func() { manager.Shutdown(t.Context()) })
	ts := serve(t, server.Config{Managers: map[string]jobs.Manager{"": manager}})
	clicker, _ := connect(t, ts.url, "")
	const clicks = 12
	var held []int
	for i := uint64(1); i <= clicks; i++ {
		n := fresh()
		held = append(held, n)
		clicker.send(call(i, numb.ID(), value("numb_in", "value", n)))
		clicker.until("the click's job", func(m protocol.Message) bool { return m.Req == i && m.Type == protocol.TypeJob })
		eventually(t, "a worker to take the click or pass it over", func() bool {
			st := manager.Stats()
			return st.Queued == st.Deferred
		})
	}
	t.Cleanup(func() {
		for _, n := range held {
			release(n)
		}
	})

	other, _ := connect(t, ts.url, "")
	quick := fresh()
	release(quick)
	other.send(call(1, holdA.ID(), value("hold_a", "value", quick)))
	if m := other.answer(1); m.Status != protocol.StatusOK {
		t.Fatalf("the other session's job ended with %+v", m)
	}
	st := manager.Stats()
	if st.Started > 3 || st.Lingering > 2 {
		t.Fatalf("while the deaf handlers ran: %+v; want at most the clicker's 2 handlers and the other's", st)
	}
	if got := ts.metric(t, "longcall_manager_handlers_lingering", nil); got != float64(st.Lingering) {
		t.Errorf("lingering metric %v, want %d", got, st.Lingering)
	}
}

// Issue 14, break 8: a session that joined another's CacheBy job could end
// it for everyone with a cancel. Its cancel now ends its own watch; the job
// goes on for the session that started it, and ends once nobody watches.
func TestCancelOfAJoinedSharedJobDetachesOnlyThatSession(t *testing.T) {
	ts := serve(t, server.Config{})
	n := fresh()
	owner, _ := connect(t, ts.url, "")
	owner.send(call(1, shared.ID(), value("shared_in", "value", n)))
	job := owner.until("running", func(m protocol.Message) bool { return m.Type == protocol.TypeJob && m.State == protocol.JobRunning }).Job

	stranger, _ := connect(t, ts.url, "")
	stranger.send(call(1, shared.ID(), value("shared_in", "value", n)))
	if got := stranger.until("the joined job", func(m protocol.Message) bool { return m.Type == protocol.TypeJob }).Job; got != job {
		t.Fatalf("the stranger got job %s, want the shared %s", got, job)
	}
	stranger.send(protocol.Message{Type: protocol.TypeCancel, Req: 2, Callback: shared.ID(), Job: job})
	if m := stranger.answer(1); m.Status != protocol.StatusCancelled {
		t.Fatalf("the stranger's call ended with %+v", m)
	}
	release(n)
	if m := owner.answer(1); m.Status != protocol.StatusOK || string(m.Props[0].Value) != `"shared `+itoa(n)+`"` {
		t.Fatalf("the owner's call ended with %+v", m)
	}

	// Nobody else watching: the owner's cancel ends the job.
	m := fresh()
	owner.send(call(3, shared.ID(), value("shared_in", "value", m)))
	job = owner.until("running", func(msg protocol.Message) bool { return msg.Req == 3 && msg.State == protocol.JobRunning }).Job
	owner.send(protocol.Message{Type: protocol.TypeCancel, Req: 4, Callback: shared.ID(), Job: job})
	if a := owner.answer(3); a.Status != protocol.StatusCancelled {
		t.Fatalf("the lone owner's cancel: %+v", a)
	}
	eventually(t, "the job to end", func() bool { return ts.manager.Stats().Pending == 0 })
	release(m)
}

// And the one who started it may leave it too: the stranger who joined
// keeps it.
func TestOwnerCancelOfASharedJobLeavesItToTheOthers(t *testing.T) {
	ts := serve(t, server.Config{})
	n := fresh()
	owner, _ := connect(t, ts.url, "")
	owner.send(call(1, shared.ID(), value("shared_in", "value", n)))
	job := owner.until("running", func(m protocol.Message) bool { return m.Type == protocol.TypeJob && m.State == protocol.JobRunning }).Job
	joiner, _ := connect(t, ts.url, "")
	joiner.send(call(1, shared.ID(), value("shared_in", "value", n)))
	joiner.until("the joined job", func(m protocol.Message) bool { return m.Type == protocol.TypeJob })
	owner.send(protocol.Message{Type: protocol.TypeCancel, Req: 2, Callback: shared.ID(), Job: job})
	if m := owner.answer(1); m.Status != protocol.StatusCancelled {
		t.Fatalf("the owner's call ended with %+v", m)
	}
	release(n)
	if m := joiner.answer(1); m.Status != protocol.StatusOK {
		t.Fatalf("the joiner's call ended with %+v", m)
	}
}
