package server_test

import (
	"testing"

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
