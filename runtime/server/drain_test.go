package server_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime/protocol"
	"github.com/longcall/longcall/runtime/server"
)

// Draining, as cmd/server does on SIGTERM: readiness off and new websockets
// refused; open connections go on; the manager lets the running job finish
// and refuses new ones; Shutdown then writes the job's result and closes the
// page's connection with 1012, so that it reconnects elsewhere.
func TestDrainLetsTheRunningJobFinishThenClosesWith1012(t *testing.T) {
	ts := serve(t, server.Config{})
	running, late := fresh(), fresh()
	w, _ := connect(t, ts.url, "")
	w.send(call(1, holdA.ID(), value("hold_a", "value", running)))
	w.until("running", func(m protocol.Message) bool { return m.Type == protocol.TypeJob && m.State == protocol.JobRunning })

	ts.Drain()
	if ts.Ready() {
		t.Fatal("a draining server says it is ready")
	}
	_, err := dial(t, ts.url, nil)
	if he := (*handshakeError)(nil); !errors.As(err, &he) || he.status != http.StatusServiceUnavailable {
		t.Fatalf("a websocket during the drain: %v, want 503", err)
	}
	w.send(call(2, typed.ID(), value("typed_in", "value", 2))) // open connections keep working
	if m := w.answer(2); m.Status != protocol.StatusOK {
		t.Fatalf("got %+v", m)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	stopped := make(chan error, 1)
	go func() { stopped <- errors.Join(ts.manager.Shutdown(ctx), ts.Shutdown(ctx)) }()
	eventually(t, "the manager to stop taking jobs", func() bool {
		// A probe of no callback: if it is taken, it fails at once.
		_, err := ts.manager.Submit(ctx, jobs.Job{ID: jobs.NewID(), Callback: "probe:none"}, jobs.SinkFunc(func(jobs.Event) {}))
		return errors.Is(err, jobs.ErrClosed)
	})
	w.send(call(3, holdB.ID(), value("hold_b", "value", late)))
	wantError(t, w.answer(3), protocol.CodeBusy, "shutting down")
	release(running)
	if m := w.answer(1); m.Status != protocol.StatusOK || string(m.Props[0].Value) != `"held `+itoa(running)+`"` {
		t.Fatalf("the running job ended with %+v", m)
	}
	w.wantClose(websocket.CloseServiceRestart, "reconnect")
	if err := <-stopped; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
}
