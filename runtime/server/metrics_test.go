package server_test

import (
	"fmt"
	"testing"

	"github.com/longcall/longcall/runtime/protocol"
	"github.com/longcall/longcall/runtime/server"
)

func TestMetricsFollowConnectionsCallsAndJobs(t *testing.T) {
	ts := serve(t, server.Config{})
	w, _ := connect(t, ts.url, "")
	want := func(name string, labels map[string]string, v float64) {
		t.Helper()
		if got := ts.metric(t, name, labels); got != v {
			t.Errorf("%s%v = %v, want %v", name, labels, got, v)
		}
	}
	// What is counted as written is counted once the write returns, which
	// may be after the client has read it.
	wantWritten := func(name string, labels map[string]string, v float64) {
		t.Helper()
		eventually(t, fmt.Sprintf("%s%v to reach %v", name, labels, v), func() bool { return ts.metric(t, name, labels) >= v })
		want(name, labels, v)
	}
	want("longcall_connections", nil, 1)
	want("longcall_sessions", nil, 1)

	n := fresh()
	w.send(call(1, holdA.ID(), value("hold_a", "value", n)))
	w.until("running", func(m protocol.Message) bool { return m.Type == protocol.TypeJob && m.State == protocol.JobRunning })
	want("longcall_jobs", map[string]string{"state": "running"}, 1)
	want("longcall_call_wait_seconds", map[string]string{"kind": "background"}, 1)
	release(n)
	w.answer(1)
	w.send(call(2, typed.ID(), value("typed_in", "value", 2)))
	w.answer(2)
	w.send(call(3, typed.ID(), value("typed_in", "value", "two")))
	w.answer(3)

	want("longcall_jobs", map[string]string{"state": "running"}, 0)
	want("longcall_jobs", map[string]string{"state": "queued"}, 0)
	want("longcall_messages_received_total", map[string]string{"type": "hello"}, 1)
	want("longcall_messages_received_total", map[string]string{"type": "call"}, 3)
	wantWritten("longcall_messages_sent_total", map[string]string{"type": "result"}, 3)
	want("longcall_calls_ended_total", map[string]string{"kind": "background", "status": "ok"}, 1)
	want("longcall_calls_ended_total", map[string]string{"kind": "ordinary", "status": "ok"}, 1)
	want("longcall_calls_ended_total", map[string]string{"kind": "ordinary", "status": "error", "code": "bad_input"}, 1)
	for _, h := range []string{"longcall_call_wait_seconds", "longcall_call_run_seconds", "longcall_result_write_seconds", "longcall_call_seconds"} {
		wantWritten(h, nil, 3)
	}
	want("longcall_manager_handlers_started_total", map[string]string{"manager": "default"}, 1)
	want("longcall_manager_queue_depth", nil, 0)

	w.ws.Close()
	eventually(t, "the connection gauge to drop", func() bool { return ts.metric(t, "longcall_connections", nil) == 0 })
	want("longcall_sessions", nil, 1) // in its grace period
}
