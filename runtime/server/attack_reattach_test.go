package server_test

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime/protocol"
	"github.com/longcall/longcall/runtime/server"
)

// roundTrip is the in-process manager with an Attach that takes a round
// trip, as the Redis manager's does: each waits until its latch opens or
// its context ends.
type roundTrip struct {
	*jobs.InProcess
	latch int
}

func (m roundTrip) Attach(ctx context.Context, id jobs.ID, session string, sink jobs.Sink) error {
	select {
	case <-latch(m.latch):
	case <-ctx.Done():
		return ctx.Err()
	}
	return m.InProcess.Attach(ctx, id, session, sink)
}

func unknownJobs(n int) []protocol.JobRef {
	refs := make([]protocol.JobRef, n)
	for i := range refs {
		refs[i] = protocol.JobRef{Req: uint64(1000 + i), Callback: holdA.ID(), Job: "gone-" + itoa(i)}
	}
	return refs
}

// Issue 14, break 7: the re-attach of a hello's jobs ran before the
// connection's writer started, so a slow manager held up everything the
// page was sent, the results of its running jobs too. Now the writer runs
// meanwhile.
func TestReattachDoesNotHoldUpTheWriter(t *testing.T) {
	manager := jobs.NewInProcess(jobs.Workers(4))
	t.Cleanup(func() { manager.Shutdown(t.Context()) })
	slow := roundTrip{InProcess: manager, latch: fresh()}
	t.Cleanup(func() { release(slow.latch) })
	ts := serve(t, server.Config{Managers: map[string]jobs.Manager{"": slow}})

	first, welcome := connect(t, ts.url, "")
	job := fresh()
	first.send(call(1, holdA.ID(), value("hold_a", "value", job)))
	first.until("running", func(m protocol.Message) bool { return m.Type == protocol.TypeJob && m.State == protocol.JobRunning })

	again, _ := connect(t, ts.url, welcome.Session, unknownJobs(8)...)
	release(job)
	if m := again.answer(1); m.Status != protocol.StatusOK {
		t.Fatalf("the running job's result: %+v", m)
	}
}

// And its work went on for sockets already gone: a flood of hellos, each
// re-attaching jobs at a manager that takes its time, left a goroutine for
// each behind. Now what a connection started ends with it.
func TestReattachStopsWhenItsConnectionCloses(t *testing.T) {
	manager := jobs.NewInProcess(jobs.Workers(4))
	t.Cleanup(func() { manager.Shutdown(t.Context()) })
	slow := roundTrip{InProcess: manager, latch: fresh()}
	t.Cleanup(func() { release(slow.latch) })
	ts := serve(t, server.Config{Managers: map[string]jobs.Manager{"": slow}})
	_, welcome := connect(t, ts.url, "")
	eventually(t, "the first connection to settle", func() bool { return ts.metric(t, "longcall_connections", nil) == 1 })
	before := runtime.NumGoroutine()

	const hellos = 50
	for range hellos {
		w, _ := connect(t, ts.url, welcome.Session, unknownJobs(256)...)
		w.ws.Close()
	}
	eventually(t, "the connections to close", func() bool { return ts.metric(t, "longcall_connections", nil) == 0 })
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines, %d before the flood:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Issue 14, break 6: each refused re-attach was logged, unpaced, with the
// job id the client chose, whole: hellos of 256 long ids wrote megabytes a
// second. The warnings are paced as every complaint is, the ids clipped,
// and the metrics count every refusal.
func TestReattachFloodDoesNotFloodTheLog(t *testing.T) {
	ts := serve(t, server.Config{})
	_, welcome := connect(t, ts.url, "")
	long := make([]protocol.JobRef, 256)
	for i := range long {
		long[i] = protocol.JobRef{Req: uint64(i + 1), Callback: holdA.ID(), Job: strings.Repeat("j", 2048) + itoa(i)}
	}
	const hellos = 10
	for range hellos {
		w, _ := connect(t, ts.url, welcome.Session, long...)
		w.until("the last answer", func(m protocol.Message) bool { return m.Req == 256 })
	}
	if got := ts.metric(t, "longcall_refused_total", map[string]string{"reason": "reattach"}); got != hellos*256 {
		t.Errorf("re-attach refusals counted %v, want %d", got, hellos*256)
	}
	if n := len(ts.logs.String()); n > 64<<10 {
		t.Fatalf("%d hellos wrote %d bytes of log", hellos, n)
	}
}
