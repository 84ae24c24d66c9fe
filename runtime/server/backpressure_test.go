package server_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/longcall/longcall/runtime/client"
	"github.com/longcall/longcall/runtime/protocol"
	"github.com/longcall/longcall/runtime/server"
)

// A client that stops reading fills its socket; its writer then waits on it,
// at most WriteTimeout, and drops it. Every other connection has a writer of
// its own, so a second page's progress keeps arriving all along, and the
// stuck page's session keeps the rest of its job for the reconnect.
func TestAClientThatStopsReadingIsDroppedWhileOthersProgress(t *testing.T) {
	const writeTimeout = 1500 * time.Millisecond
	ts := serve(t, server.Config{WriteTimeout: writeTimeout})

	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	steady, conn := client.Open(ctx, ts.url, hardDash)
	<-conn.Welcomed()
	var mu sync.Mutex
	var ticks []time.Time
	steady.Store().Watch(tickBar.PropID().ID, func() {
		mu.Lock()
		ticks = append(ticks, time.Now())
		mu.Unlock()
	})
	steady.Update(value("tick_in", "value", 1000)) // 5 s of progress
	eventually(t, "the steady page's first progress", func() bool { mu.Lock(); defer mu.Unlock(); return len(ticks) > 0 })

	// 25 MB of set_props: more than the socket buffers hold.
	stuck, welcome := connect(t, ts.url, "")
	stuck.send(call(1, flood.ID(), value("flood_in", "value", 400)))
	stuck.until("the job", func(m protocol.Message) bool { return m.Type == protocol.TypeJob })
	stuckAt := time.Now() // from here on, it reads nothing

	eventually(t, "the stuck client to be dropped", func() bool {
		return ts.metric(t, "longcall_connections_dropped_total", nil) >= 1
	})
	droppedAt := time.Now()
	if waited := droppedAt.Sub(stuckAt); waited > writeTimeout+5*time.Second {
		t.Errorf("the stuck client was dropped after %s; the write timeout is %s", waited, writeTimeout)
	}
	eventually(t, "the steady page's progress after the drop", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return ticks[len(ticks)-1].After(droppedAt.Add(100 * time.Millisecond))
	})
	mu.Lock()
	gap := maxGap(ticks, stuckAt, droppedAt)
	mu.Unlock()
	if gap > 500*time.Millisecond {
		t.Errorf("the steady page's progress stalled for %s while the other client was stuck", gap)
	}

	// The stuck page comes back: the rest of its job and the result wait.
	back, resumed := connect(t, ts.url, welcome.Session)
	if !resumed.Resumed {
		t.Fatal("the dropped client's session was not kept")
	}
	if m := back.answer(1); m.Status != protocol.StatusOK || string(m.Props[0].Value) != `"flooded 400"` {
		t.Fatalf("the flood's result: %+v", m)
	}
	stuck.closeError() // the old socket was closed by the server
}

// maxGap returns the longest time between progress updates in [from, to].
func maxGap(ticks []time.Time, from, to time.Time) time.Duration {
	var gap time.Duration
	last := from
	for _, tick := range ticks {
		if tick.Before(from) {
			continue
		}
		if tick.After(to) {
			tick = to
		}
		gap = max(gap, tick.Sub(last))
		last = tick
		if tick.Equal(to) {
			break
		}
	}
	return max(gap, to.Sub(last))
}

// When more than SendQueue messages pile up for a session, its client is
// dropped at once rather than at the write timeout. Nothing the server read
// goes unanswered: each answer was either written to the old socket before
// the drop or is kept for the reconnect, with the flood's result; set_props
// that piled up meanwhile are coalesced to their latest value.
func TestSendQueueOverflowDropsTheClientAndKeepsEveryResult(t *testing.T) {
	ts := serve(t, server.Config{SendQueue: 16, WriteTimeout: time.Minute})
	n := fresh()
	w, welcome := connect(t, ts.url, "")
	// 25 MB of set_props, more than the socket buffers hold: the writer is
	// stuck on them, as for a client that stopped reading.
	w.send(call(1, flood.ID(), value("flood_in", "value", 400)))
	const calls = 21
	for i := uint64(2); i <= calls; i++ {
		w.send(call(i, slow.ID(), value("slow_in", "value", n)))
	}
	eventually(t, "the flood to end", func() bool {
		return ts.metric(t, "longcall_calls_ended_total", map[string]string{"kind": "background"}) == 1
	})
	release(n) // 20 answers pile up behind the stuck writer
	eventually(t, "the client to be dropped as too slow", func() bool {
		return ts.metric(t, "longcall_connections_dropped_total", map[string]string{"reason": "slow"}) == 1
	})
	read := int(ts.metric(t, "longcall_messages_received_total", map[string]string{"type": "call"}))
	if read != calls {
		t.Fatalf("the server read %d calls, want %d", read, calls)
	}

	answered := map[uint64]bool{}
	var lastFlood string
	collect := func(m protocol.Message) {
		switch m.Type {
		case protocol.TypeProps:
			lastFlood = string(m.Props[0].Value)
		case protocol.TypeResult:
			answered[m.Req] = true
			if m.Req > 1 && (m.Status != protocol.StatusOK || string(m.Props[0].Value) != `"slow `+itoa(n)+`"`) {
				t.Fatalf("call %d: %+v", m.Req, m)
			}
		}
	}
	// What was written before the drop is still in the old socket.
	w.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		_, data, err := w.ws.ReadMessage()
		if err != nil {
			break
		}
		m, _ := protocol.Decode(data)
		collect(m)
	}
	beforeDrop := len(answered)

	back, resumed := connect(t, ts.url, welcome.Session)
	if !resumed.Resumed {
		t.Fatal("the dropped client's session was not kept")
	}
	for len(answered) < read {
		collect(back.next())
	}
	if !answered[1] {
		t.Fatal("the flood's result was lost")
	}
	if !strings.HasPrefix(lastFlood, `"399x`) {
		t.Errorf("the last set_props value seen was %.10s…, want the latest (399…)", lastFlood)
	}
	t.Logf("the server read %d calls: %d answered before the drop, %d after the reconnect", read, beforeDrop, read-beforeDrop)
}
