package server_test

import (
	"context"
	"errors"
	"testing"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime/protocol"
	"github.com/longcall/longcall/runtime/server"
)

// The manager keeps finished results within a bound, and may drop one
// before its page has it. A page that was away while its job finished still
// gets the result when it comes back: its session holds it until it is
// written, and the server does not let the manager's "unknown job" overtake
// it.
func TestAResultWaitingForItsPageOutlivesTheManagersBound(t *testing.T) {
	manager := jobs.NewInProcess(jobs.Workers(2), jobs.ResultBytes(1<<10)) // room for a few results
	t.Cleanup(func() { manager.Shutdown(context.Background()) })
	ts := serve(t, server.Config{Managers: map[string]jobs.Manager{"": manager}})

	n := fresh()
	a, welcome := connect(t, ts.url, "")
	a.send(call(1, holdA.ID(), value("hold_a", "value", n)))
	queued := a.until("queued", func(m protocol.Message) bool { return m.Req == 1 && m.Type == protocol.TypeJob })
	a.ws.Close() // the page goes away
	eventually(t, "the session to lose its connection", func() bool {
		return ts.metric(t, "longcall_connections", nil) == 0
	})
	release(n) // the job ends while the page is away: its result waits in the session

	// Other jobs' results push it out of the manager's results.
	b, _ := connect(t, ts.url, "")
	lost := func() bool {
		err := manager.Attach(context.Background(), jobs.ID(queued.Job), welcome.Session, jobs.SinkFunc(func(jobs.Event) {}))
		return errors.Is(err, jobs.ErrUnknownJob)
	}
	for req := uint64(1); !lost(); req++ {
		if req > 2000 {
			t.Fatal("the manager still keeps the result after 2,000 other jobs")
		}
		m := fresh()
		release(m)
		b.send(call(req, holdB.ID(), value("hold_b", "value", m)))
		if got := b.answer(req); got.Status != protocol.StatusOK {
			t.Fatalf("another job: %+v", got)
		}
	}

	back, _ := connect(t, ts.url, welcome.Session, protocol.JobRef{Req: 1, Callback: holdA.ID(), Job: queued.Job})
	got := back.answer(1)
	if got.Status != protocol.StatusOK || len(got.Props) != 1 || string(got.Props[0].Value) != `"held `+itoa(n)+`"` {
		t.Fatalf("the page came back to %s %+v %+v, want its result", got.Type, got.Error, got.Props)
	}
}
