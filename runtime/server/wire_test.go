package server_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime/protocol"
	"github.com/longcall/longcall/runtime/server"
)

// testServer is a server of a test's own configuration, with its metrics and
// logs at hand.
type testServer struct {
	*server.Server
	url     string // ws://…/_longcall/ws
	addr    string
	manager *jobs.InProcess
	metrics *prometheus.Registry
	logs    *syncBuffer
}

// serve starts a server on 127.0.0.1 with cfg, filling in an in-process
// manager, a metrics registry and a log buffer unless cfg has them.
func serve(t testing.TB, cfg server.Config) *testServer {
	t.Helper()
	ts := &testServer{metrics: prometheus.NewRegistry(), logs: &syncBuffer{}}
	if cfg.Managers == nil {
		ts.manager = jobs.NewInProcess(jobs.Workers(8))
		cfg.Managers = map[string]jobs.Manager{"": ts.manager}
		t.Cleanup(func() { ts.manager.Shutdown(t.Context()) })
	}
	if cfg.Metrics == nil {
		cfg.Metrics = ts.metrics
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(ts.logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	ts.Server = server.New(cfg)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: withFiles(ts.Server)}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	ts.addr = ln.Addr().String()
	ts.url = "ws://" + ts.addr + protocol.Path
	return ts
}

// metric returns the value of the counter or gauge name with labels, summed
// over the label values not given; a histogram gives its count.
func (ts *testServer) metric(t testing.TB, name string, labels map[string]string) float64 {
	t.Helper()
	families, err := ts.metrics.Gather()
	if err != nil {
		t.Fatal(err)
	}
	total := 0.0
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	next:
		for _, m := range f.GetMetric() {
			for k, v := range labels {
				found := false
				for _, l := range m.GetLabel() {
					if l.GetName() == k && l.GetValue() == v {
						found = true
					}
				}
				if !found {
					continue next
				}
			}
			switch {
			case m.Counter != nil:
				total += m.Counter.GetValue()
			case m.Gauge != nil:
				total += m.Gauge.GetValue()
			case m.Histogram != nil:
				total += float64(m.Histogram.GetSampleCount())
			}
		}
	}
	return total
}

// eventually polls cond until it holds, failing the test after 10 s.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// wire is a client that speaks the protocol by hand over gorilla's
// websocket: for tests that send what no well-behaved client would.
type wire struct {
	t  testing.TB
	ws *websocket.Conn
}

func dial(t testing.TB, url string, header http.Header) (*wire, error) {
	t.Helper()
	ws, resp, err := websocket.DefaultDialer.Dial(url, header)
	if err != nil {
		if resp != nil {
			return nil, &handshakeError{status: resp.StatusCode, err: err}
		}
		return nil, err
	}
	t.Cleanup(func() { ws.Close() })
	return &wire{t: t, ws: ws}, nil
}

type handshakeError struct {
	status int
	err    error
}

func (e *handshakeError) Error() string { return e.err.Error() }

// connect dials and says hello, resuming session when it is not empty, and
// returns the welcome.
func connect(t testing.TB, url, session string, attach ...protocol.JobRef) (*wire, protocol.Message) {
	t.Helper()
	w, err := dial(t, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	w.send(protocol.Message{Type: protocol.TypeHello, Session: session, Attach: attach})
	welcome := w.next()
	if welcome.Type != protocol.TypeWelcome {
		t.Fatalf("got %+v, want a welcome", welcome)
	}
	return w, welcome
}

func (w *wire) send(m protocol.Message) {
	w.t.Helper()
	data, err := protocol.Encode(m)
	if err != nil {
		w.t.Fatal(err)
	}
	w.raw(string(data))
}

func (w *wire) raw(data string) {
	w.t.Helper()
	if err := w.ws.WriteMessage(websocket.TextMessage, []byte(data)); err != nil {
		w.t.Fatal(err)
	}
}

// next reads one message, failing after 10 s.
func (w *wire) next() protocol.Message {
	w.t.Helper()
	w.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, data, err := w.ws.ReadMessage()
	if err != nil {
		w.t.Fatalf("read: %v", err)
	}
	m, err := protocol.Decode(data)
	if err != nil {
		w.t.Fatalf("decode %s: %v", data, err)
	}
	return m
}

// until reads until a message satisfies match, and returns it.
func (w *wire) until(what string, match func(protocol.Message) bool) protocol.Message {
	w.t.Helper()
	for {
		m := w.next()
		if match(m) {
			return m
		}
		if m.Type == protocol.TypeError && m.Req == 0 {
			w.t.Logf("while waiting for %s: %+v", what, m.Error)
		}
	}
}

// answer reads until the result or error for req.
func (w *wire) answer(req uint64) protocol.Message {
	w.t.Helper()
	return w.until("the answer to a call", func(m protocol.Message) bool {
		return m.Req == req && (m.Type == protocol.TypeResult || m.Type == protocol.TypeError)
	})
}

// closeError reads until the connection ends and returns how.
func (w *wire) closeError() error {
	w.t.Helper()
	w.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		if _, _, err := w.ws.ReadMessage(); err != nil {
			return err
		}
	}
}

// wantClose fails unless the connection ends with a close frame of code
// whose reason mentions reason.
func (w *wire) wantClose(code int, reason string) {
	w.t.Helper()
	err := w.closeError()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != code || !strings.Contains(ce.Text, reason) {
		w.t.Fatalf("connection ended with %v; want close %d mentioning %q", err, code, reason)
	}
}

func call(req uint64, callback string, inputs ...protocol.PropValue) protocol.Message {
	return protocol.Message{Type: protocol.TypeCall, Req: req, Callback: callback, Inputs: inputs, Key: fmt.Sprintf("%s#%d", callback, req)}
}

func value(id, prop string, v any) protocol.PropValue {
	raw, _ := json.Marshal(v)
	return protocol.PropValue{ID: id, Prop: prop, Value: raw}
}

// wantError fails unless m is an error (an error message, or a result with
// status error) of code whose message mentions mention.
func wantError(t testing.TB, m protocol.Message, code, mention string) {
	t.Helper()
	if m.Error == nil || m.Error.Code != code || !strings.Contains(m.Error.Message, mention) {
		t.Fatalf("got %s %+v, want error %s mentioning %q", m.Type, m.Error, code, mention)
	}
}

// syncBuffer is a log sink tests may read while the server writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// A message of 16 KB or more goes as a binary frame, the same JSON: a
// browser hands a text frame to the wasm as a string it must encode again
// (PROTOCOL.md). A smaller one stays a text frame.
func TestLargeMessagesAreBinaryFrames(t *testing.T) {
	ts := serve(t, server.Config{})
	w, _ := connect(t, ts.url, "")
	for i, c := range []struct {
		in   string
		kind int
	}{
		{"hi", websocket.TextMessage},
		{strings.Repeat("a", 20<<10), websocket.BinaryMessage},
	} {
		req := uint64(i + 1)
		w.send(call(req, echo.ID(), value("echo_in", "value", c.in)))
		for {
			w.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
			kind, data, err := w.ws.ReadMessage()
			if err != nil {
				t.Fatal(err)
			}
			m, err := protocol.Decode(data)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if m.Type != protocol.TypeResult || m.Req != req {
				continue
			}
			if kind != c.kind || len(m.Props) != 1 || string(m.Props[0].Value) != `"`+strings.ToUpper(c.in)+`"` {
				t.Fatalf("the answer to %d bytes: frame type %d (want %d), props %.60s", len(c.in), kind, c.kind, m.Props)
			}
			break
		}
	}
}
