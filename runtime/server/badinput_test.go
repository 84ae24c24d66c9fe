package server_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/longcall/longcall/runtime/client"
	"github.com/longcall/longcall/runtime/protocol"
	"github.com/longcall/longcall/runtime/server"
)

// Each kind of bad input gets an answer that names the problem, on a
// connection that stays open: the well-formed call at the end is served.
func TestBadInputIsAnsweredAndTheConnectionKept(t *testing.T) {
	ts := serve(t, server.Config{})
	w, _ := connect(t, ts.url, "")
	cases := []struct {
		name, send, code, mention string
		req                       uint64
	}{
		{"not JSON", `{"v":1,"type":"call",`, protocol.CodeBadMessage, "not valid JSON", 0},
		{"not an object", `[1,2,3]`, protocol.CodeBadMessage, "not valid JSON", 0},
		{"wrong field type", `{"v":1,"type":"call","req":"seven"}`, protocol.CodeBadMessage, "not valid JSON", 0},
		{"no type", `{"v":1,"req":3}`, protocol.CodeBadMessage, `"type"`, 3},
		{"unknown type", `{"v":1,"type":"launch","req":4}`, protocol.CodeBadMessage, "launch", 4},
		{"a server's message", `{"v":1,"type":"result","req":5,"status":"ok"}`, protocol.CodeBadMessage, "not a message a client sends", 5},
		{"required field missing", `{"v":1,"type":"call","req":6}`, protocol.CodeBadMessage, "callback id", 6},
		{"prop without id", `{"v":1,"type":"call","req":7,"callback":"hard:typed_out.children","inputs":[{"prop":"value","value":1}]}`, protocol.CodeBadMessage, "inputs[0]", 7},
		{"hello again", `{"v":1,"type":"hello"}`, protocol.CodeBadMessage, "first message", 0},
		{"unknown callback", `{"v":1,"type":"call","req":8,"callback":"hard:nope.children"}`, protocol.CodeUnknownCallback, "hard:nope.children", 8},
		{"wrong prop type", `{"v":1,"type":"call","req":9,"callback":"hard:typed_out.children","inputs":[{"id":"typed_in","prop":"value","value":"nine"}]}`, protocol.CodeBadInput, "typed_in.value", 9},
		{"number too big for the prop", `{"v":1,"type":"call","req":10,"callback":"hard:typed_out.children","inputs":[{"id":"typed_in","prop":"value","value":1e400}]}`, protocol.CodeBadInput, "typed_in.value", 10},
		{"deep nesting", `{"v":1,"type":"call","req":11,"callback":"hard:typed_out.children","inputs":[{"id":"typed_in","prop":"value","value":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}]}`, protocol.CodeBadMessage, "depth", 0},
		{"deep nesting the decoder takes", `{"v":1,"type":"call","req":12,"callback":"hard:typed_out.children","inputs":[{"id":"typed_in","prop":"value","value":` + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + `}]}`, protocol.CodeBadInput, "typed_in.value", 12},
		{"cancel of no job", `{"v":1,"type":"cancel","req":13,"job":"hJPEps9OLrD7t_jojwtMMg"}`, protocol.CodeUnknownJob, "no running job", 13},
		{"a megabyte callback id", `{"v":1,"type":"call","req":14,"callback":"` + strings.Repeat("z", 900<<10) + `"}`, protocol.CodeUnknownCallback, "bytes)", 14},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w.raw(tc.send)
			m := w.until("an error", func(m protocol.Message) bool { return m.Type == protocol.TypeError || m.Type == protocol.TypeResult })
			wantError(t, m, tc.code, tc.mention)
			if m.Req != tc.req {
				t.Errorf("answer has req %d, want %d", m.Req, tc.req)
			}
			if len(m.Callback) > 1024 || len(m.Error.Message) > 1024 {
				t.Errorf("the answer echoes a huge field: callback %d bytes, message %d bytes", len(m.Callback), len(m.Error.Message))
			}
		})
	}
	w.send(call(100, typed.ID(), value("typed_in", "value", 100)))
	if m := w.answer(100); m.Status != protocol.StatusOK || string(m.Props[0].Value) != `"got 100"` {
		t.Fatalf("after the bad input, a good call got %+v", m)
	}
	if got := ts.metric(t, "longcall_bad_messages_total", nil); got != 8 {
		t.Errorf("longcall_bad_messages_total = %v, want 8", got)
	}
}

// A message over the read limit cannot be skipped cheaply: the connection is
// closed with 1009 and a reason naming the limit. The session survives it.
func TestOversizedMessageClosesTheConnectionWithTheLimit(t *testing.T) {
	ts := serve(t, server.Config{ReadLimit: 4 << 10})
	w, welcome := connect(t, ts.url, "")
	w.raw(`{"v":1,"type":"call","req":1,"callback":"` + strings.Repeat("z", 5<<10) + `"}`)
	w.wantClose(websocket.CloseMessageTooBig, "at most 4096 bytes")

	again, resumed := connect(t, ts.url, welcome.Session)
	if !resumed.Resumed {
		t.Fatal("the session did not survive its connection's oversized message")
	}
	again.send(call(2, typed.ID(), value("typed_in", "value", 2)))
	if m := again.answer(2); m.Status != protocol.StatusOK {
		t.Fatalf("got %+v", m)
	}
	if got := ts.metric(t, "longcall_bad_messages_total", map[string]string{"code": "too_big"}); got != 1 {
		t.Errorf("too_big count %v, want 1", got)
	}
}

// The first message must be a hello the server can serve; anything else is
// answered and the connection closed with 1008.
func TestABadFirstMessageClosesTheConnection(t *testing.T) {
	ts := serve(t, server.Config{})
	refs := make([]string, 300)
	for i := range refs {
		refs[i] = fmt.Sprintf(`{"req":%d,"callback":"hard:hold_a_out.children","job":"j%d"}`, i+1, i)
	}
	for _, tc := range []struct{ name, first, mention string }{
		{"a call", `{"v":1,"type":"call","req":1,"callback":"hard:typed_out.children"}`, "must be hello"},
		{"garbage", `hello?`, "not valid JSON"},
		{"too many jobs to re-attach", `{"v":1,"type":"hello","attach":[` + strings.Join(refs, ",") + `]}`, "at most 256"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, err := dial(t, ts.url, nil)
			if err != nil {
				t.Fatal(err)
			}
			w.raw(tc.first)
			wantError(t, w.next(), protocol.CodeBadMessage, tc.mention)
			w.wantClose(websocket.ClosePolicyViolation, "expected hello")
		})
	}
}

// Bad input on one connection is no concern of another's: a page running a
// job while another client sends garbage, oversized and hostile messages
// keeps its connection and gets its progress and result.
func TestBadInputDoesNotDisturbOtherSessions(t *testing.T) {
	ts := serve(t, server.Config{ReadLimit: 64 << 10})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	bystander, conn := client.Open(ctx, ts.url, hardDash)
	<-conn.Welcomed()
	var mu sync.Mutex
	var statuses []string
	bystander.Store().Watch(client.StatusProp.ID, func() {
		mu.Lock()
		defer mu.Unlock()
		statuses = append(statuses, conn.Status())
	})
	bystander.Update(value("tick_in", "value", 200))

	for i := range 20 {
		w, _ := connect(t, ts.url, "")
		w.raw(`{"v":1,"type":"call",` + strings.Repeat("{", i))
		w.raw(`{"v":1,"type":"cancel","job":"` + strings.Repeat("q", 22) + `"}`)
		// Over the limit: the server closes the socket, maybe before all of
		// it is written.
		w.ws.WriteMessage(websocket.TextMessage, []byte(strings.Repeat("[", 100<<10)))
		w.closeError()
	}

	eventually(t, "the bystander's result", func() bool {
		v, _ := bystander.Store().Get(tickOut.PropID())
		return string(v) == `"ticked 200"`
	})
	mu.Lock()
	defer mu.Unlock()
	for _, s := range statuses {
		if s != client.StatusOnline {
			t.Fatalf("the bystander's connection went %s while another client misbehaved (statuses %v)", s, statuses)
		}
	}
	if conn.Session() == "" {
		t.Fatal("the bystander lost its session")
	}
}
