package server_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
	"github.com/longcall/longcall/runtime/server"
)

// secretText is what the handlers below panic with and fail with: text no
// end user may read from a production server.
const secretText = "postgres://admin:hunter2@db.internal"

var (
	errorsDash = runtime.NewDashboard("errorstest")
	errorsIn   = runtime.NewProp[string]("errors_in", "value")
	errorsOut  = runtime.NewProp[string]("errors_out", "children")
	errorsJob  = runtime.NewProp[int]("errors_job", "n_clicks")
	errorsBg   = runtime.NewProp[string]("errors_bg", "children")

	panicky = errorsDash.Callback(runtime.Outputs(errorsOut), runtime.Inputs(errorsIn)).
		Handle(func(call *runtime.Call) error {
			if errorsIn.Get(call) == "fail" {
				return errorString("query failed on " + secretText)
			}
			var m map[string]int
			m[secretText]++ // assignment to entry in nil map
			return nil
		})
	panickyJob = errorsDash.Callback(runtime.Outputs(errorsBg), runtime.Inputs(errorsJob), runtime.Background()).
			Handle(func(call *runtime.Call) error { panic(secretText) })
)

type errorString string

func (e errorString) Error() string { return string(e) }

var errorIDPattern = regexp.MustCompile(`^e-[0-9a-f]{12}$`)

// In production a handler's panic, or its error, reaches the page as a
// short message and an id; every byte the server writes is free of its
// text, and the server's log line of the error carries the same id with
// the details: the panic's value and its stack.
func TestPanicTextStaysOnTheServerInProduction(t *testing.T) {
	ts := serve(t, server.Config{})
	w, _ := connect(t, ts.url, "")
	cases := []struct {
		name string
		call protocol.Message
		code string
		logs []string // what the log line has besides the id
	}{
		{"ordinary panic", call(1, panicky.ID(), value("errors_in", "value", "x")), protocol.CodePanic, []string{"assignment to entry in nil map", "stack="}},
		{"ordinary error", call(2, panicky.ID(), value("errors_in", "value", "fail")), protocol.CodeHandler, []string{"query failed on " + secretText}},
		{"background panic", call(3, panickyJob.ID(), value("errors_job", "n_clicks", 1)), protocol.CodePanic, []string{secretText, "stack=", "job="}},
	}
	seen := map[string]bool{}
	for _, c := range cases {
		w.send(c.call)
		res := readResult(t, w, c.call.Req, func(frame string) {
			if strings.Contains(frame, "hunter2") || strings.Contains(frame, "nil map") || strings.Contains(frame, "goroutine ") {
				t.Fatalf("%s: the server wrote the handler's text to the page: %s", c.name, frame)
			}
		})
		e := res.Error
		if e == nil || e.Code != c.code || !errorIDPattern.MatchString(e.ID) || e.Stack != "" || !strings.Contains(e.Message, "error's id") {
			t.Fatalf("%s: the page got %+v; want code %s, a short message and an error id", c.name, e, c.code)
		}
		if seen[e.ID] {
			t.Fatalf("%s: error id %s given twice", c.name, e.ID)
		}
		seen[e.ID] = true
		line := logLine(t, ts, "error_id="+e.ID)
		for _, want := range c.logs {
			if !strings.Contains(line, want) {
				t.Fatalf("%s: the log line of %s lacks %q:\n%s", c.name, e.ID, want, line)
			}
		}
	}
}

// In dev mode the page reads what the log reads: the handler's text, and a
// panic's stack down to the handler's own line.
func TestDevErrorsShowTextAndStack(t *testing.T) {
	ts := serve(t, server.Config{DevErrors: true})
	w, _ := connect(t, ts.url, "")
	w.send(call(1, panicky.ID(), value("errors_in", "value", "x")))
	e := readResult(t, w, 1, func(string) {}).Error
	if e == nil || e.Code != protocol.CodePanic || !errorIDPattern.MatchString(e.ID) ||
		!strings.Contains(e.Message, "assignment to entry in nil map") || !strings.Contains(e.Stack, "errorid_test.go") {
		t.Fatalf("the page got %+v; want the panic's text and a stack through errorid_test.go", e)
	}
	logLine(t, ts, "error_id="+e.ID)
}

// readResult reads frames until the result of req, handing each frame's
// text to look first.
func readResult(t *testing.T, w *wire, req uint64, look func(frame string)) protocol.Message {
	t.Helper()
	for {
		w.ws.SetReadDeadline(time.Now().Add(30 * time.Second))
		kind, data, err := w.ws.ReadMessage()
		if err != nil {
			t.Fatalf("waiting for the result of call %d: %v", req, err)
		}
		if kind != websocket.TextMessage {
			continue
		}
		look(string(data))
		m, err := protocol.Decode(data)
		if err != nil {
			t.Fatalf("decode %s: %v", data, err)
		}
		if m.Type == protocol.TypeResult && m.Req == req {
			return m
		}
	}
}

// logLine waits for the server's log line holding mark, and returns it.
func logLine(t *testing.T, ts *testServer, mark string) string {
	t.Helper()
	var line string
	eventually(t, "a log line with "+mark, func() bool {
		for _, l := range strings.Split(ts.logs.String(), "\n") {
			if strings.Contains(l, mark) {
				line = l
				return true
			}
		}
		return false
	})
	return line
}
