package server_test

import (
	"testing"

	"github.com/longcall/longcall/runtime/protocol"
	"github.com/longcall/longcall/runtime/server"
)

// Issue 14, break 10: a result had no size bound, and went out as one
// frame. One past ResultLimit ends its call with too_large, ordinary or
// background, and the server keeps serving.
func TestResultOverTheLimitIsATooLargeError(t *testing.T) {
	ts := serve(t, server.Config{ResultLimit: 4096})
	w, _ := connect(t, ts.url, "")
	w.send(call(1, bigCall.ID(), value("big_in", "value", 10_000)))
	wantError(t, w.answer(1), protocol.CodeTooLarge, "sends at most 4096")
	w.send(call(2, bigJob.ID(), value("big_job_in", "value", 10_000)))
	wantError(t, w.answer(2), protocol.CodeTooLarge, "sends at most 4096")
	w.send(call(3, bigCall.ID(), value("big_in", "value", 1000)))
	if m := w.answer(3); m.Status != protocol.StatusOK {
		t.Fatalf("a result within the limit: %+v", m)
	}
	if got := ts.metric(t, "longcall_refused_total", map[string]string{"reason": "result_size"}); got != 2 {
		t.Errorf("result_size refusals %v, want 2", got)
	}
}

// A session whose page is away holds its results for the page's return,
// up to SessionResultBytes: results past it end with too_large (the page
// hears which, and why), and what is held is let go once written.
func TestResultsHeldForAnAbsentPageAreBounded(t *testing.T) {
	ts := serve(t, server.Config{SessionResultBytes: 3000})
	w, welcome := connect(t, ts.url, "")
	const calls = 5
	var gates []int
	for i := uint64(1); i <= calls; i++ {
		n := fresh()
		gates = append(gates, n)
		w.send(call(i, bigLater.ID(), value("later_in", "value", n)))
	}
	eventually(t, "the calls to run", func() bool { return ts.metric(t, "longcall_ordinary_calls_running", nil) == calls })
	w.ws.Close() // the page goes away
	eventually(t, "the connection to close", func() bool { return ts.metric(t, "longcall_connections", nil) == 0 })
	for _, n := range gates {
		release(n)
	}
	eventually(t, "every call to end", func() bool {
		return ts.metric(t, "longcall_calls_ended_total", nil) == calls
	})
	if held := ts.metric(t, "longcall_result_bytes_held", nil); held > 3000 || held < 2500 {
		t.Fatalf("the session holds %v bytes of results, want 3 results' worth", held)
	}

	back, _ := connect(t, ts.url, welcome.Session)
	ok, tooLarge := 0, 0
	for range calls { // in the order the calls ended
		switch m := back.until("an answer", func(m protocol.Message) bool { return m.Type == protocol.TypeResult }); {
		case m.Status == protocol.StatusOK:
			ok++
		case m.Error != nil && m.Error.Code == protocol.CodeTooLarge:
			wantError(t, m, protocol.CodeTooLarge, "has not read yet")
			tooLarge++
		default:
			t.Fatalf("call %d: %+v", m.Req, m)
		}
	}
	if ok != 3 || tooLarge != 2 {
		t.Fatalf("%d results and %d too_large errors, want 3 and 2", ok, tooLarge)
	}
	eventually(t, "the held results to be let go", func() bool {
		return ts.metric(t, "longcall_result_bytes_held", nil) == 0
	})
}
