package main

import (
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/longcall/longcall/runtime/protocol"
)

// Issue 14, break 3: the load generator's dashboard, whose caller chooses
// how long each job runs and how often it reports, was served by every
// build. A normal build answers a call of it as of any unknown callback.
func TestNormalBuildDoesNotServeTheLoadDashboard(t *testing.T) {
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(baseURL, "http")+protocol.Path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	send := func(m protocol.Message) {
		data, _ := protocol.Encode(m)
		if err := ws.WriteMessage(websocket.TextMessage, data); err != nil {
			t.Fatal(err)
		}
	}
	send(protocol.Message{Type: protocol.TypeHello})
	send(protocol.Message{Type: protocol.TypeCall, Req: 1, Callback: "load:load_result.data", Inputs: []protocol.PropValue{
		{ID: "load_trigger", Prop: "n_clicks", Value: []byte("1")},
	}, States: []protocol.PropValue{
		{ID: "load_config", Prop: "data", Value: []byte(`{"duration_ms":3600000,"progress_hz":100000}`)},
	}})
	for {
		ws.SetReadDeadline(time.Now().Add(10 * time.Second))
		_, data, err := ws.ReadMessage()
		if err != nil {
			t.Fatal(err)
		}
		m, err := protocol.Decode(data)
		if err != nil {
			t.Fatal(err)
		}
		if m.Req != 1 {
			continue
		}
		if m.Error == nil || m.Error.Code != protocol.CodeUnknownCallback {
			t.Fatalf("the load callback answered %s %+v, want unknown_callback", m.Type, m.Error)
		}
		return
	}
}
