package protocol_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/longcall/longcall/runtime/protocol"
)

func TestDecodeRejects(t *testing.T) {
	cases := []struct {
		name, msg, code, mentions string
	}{
		{"not JSON", `{"v":1,"type":`, protocol.CodeBadMessage, "JSON"},
		{"garbage", `hello`, protocol.CodeBadMessage, "JSON"},
		{"wrong field type", `{"v":"1","type":"hello"}`, protocol.CodeBadMessage, "JSON"},
		{"array", `[1,2]`, protocol.CodeBadMessage, "JSON"},
		{"version 2", `{"v":2,"type":"hello"}`, protocol.CodeVersion, "2"},
		{"version missing", `{"type":"hello"}`, protocol.CodeVersion, "0"},
		{"type missing", `{"v":1}`, protocol.CodeBadMessage, "type"},
		{"type empty", `{"v":1,"type":""}`, protocol.CodeBadMessage, "type"},
		{"type unknown", `{"v":1,"type":"launch"}`, protocol.CodeBadMessage, "launch"},
		{"call without callback", `{"v":1,"type":"call","req":1}`, protocol.CodeBadMessage, "callback"},
		{"call without req", `{"v":1,"type":"call","callback":"d:a.b"}`, protocol.CodeBadMessage, "req"},
		{"call with req 0", `{"v":1,"type":"call","callback":"d:a.b","req":0}`, protocol.CodeBadMessage, "req"},
		{"call input without id", `{"v":1,"type":"call","callback":"d:a.b","req":1,"inputs":[{"id":"x","prop":"y","value":1},{"id":"","prop":"p","value":1}]}`, protocol.CodeBadMessage, "inputs[1]"},
		{"call input without prop", `{"v":1,"type":"call","callback":"d:a.b","req":1,"inputs":[{"id":"x","value":1}]}`, protocol.CodeBadMessage, "inputs[0]"},
		{"call state without prop", `{"v":1,"type":"call","callback":"d:a.b","req":1,"states":[{"id":"x","prop":"","value":1}]}`, protocol.CodeBadMessage, "states[0]"},
		{"cancel without job", `{"v":1,"type":"cancel"}`, protocol.CodeBadMessage, "job"},
		{"job without job", `{"v":1,"type":"job","state":"queued"}`, protocol.CodeBadMessage, "job"},
		{"progress without job", `{"v":1,"type":"progress","props":[{"id":"a","prop":"b","value":1}]}`, protocol.CodeBadMessage, "job"},
		{"progress prop without id", `{"v":1,"type":"progress","job":"j","props":[{"prop":"b","value":1}]}`, protocol.CodeBadMessage, "props[0]"},
		{"props without job", `{"v":1,"type":"props"}`, protocol.CodeBadMessage, "job"},
		{"props prop without prop", `{"v":1,"type":"props","job":"j","props":[{"id":"a","value":1}]}`, protocol.CodeBadMessage, "props[0]"},
		{"result without req or job", `{"v":1,"type":"result","status":"ok"}`, protocol.CodeBadMessage, "req"},
		{"result prop without id", `{"v":1,"type":"result","req":3,"status":"ok","props":[{"id":"","prop":"b"}]}`, protocol.CodeBadMessage, "props[0]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := protocol.Decode([]byte(tc.msg))
			if err == nil {
				t.Fatalf("Decode(%s) succeeded", tc.msg)
			}
			var perr *protocol.Error
			if !errors.As(err, &perr) {
				t.Fatalf("error %v (%T) is not a *protocol.Error", err, err)
			}
			if perr.Code != tc.code {
				t.Errorf("code = %q (%s), want %q", perr.Code, perr.Message, tc.code)
			}
			if perr.Message == "" || !strings.Contains(perr.Message, tc.mentions) {
				t.Errorf("message %q does not mention %q", perr.Message, tc.mentions)
			}
		})
	}
}

func TestDecodeAccepts(t *testing.T) {
	cases := map[string]string{
		"hello":            `{"v":1,"type":"hello"}`,
		"hello resume":     `{"v":1,"type":"hello","session":"tok"}`,
		"welcome":          `{"v":1,"type":"welcome","session":"tok"}`,
		"error":            `{"v":1,"type":"error","error":{"code":"busy","message":"later"}}`,
		"call":             `{"v":1,"type":"call","req":7,"callback":"d:a.b","inputs":[{"id":"a","prop":"n","value":1}],"states":[{"id":"s","prop":"v","value":null}],"triggered":[{"id":"a","prop":"n"}]}`,
		"call no inputs":   `{"v":1,"type":"call","req":7,"callback":"d:a.b"}`,
		"cancel":           `{"v":1,"type":"cancel","job":"j"}`,
		"job":              `{"v":1,"type":"job","req":7,"job":"j","state":"running"}`,
		"progress":         `{"v":1,"type":"progress","job":"j","props":[{"id":"bar","prop":"value","value":50}]}`,
		"props":            `{"v":1,"type":"props","job":"j","props":[{"id":"x","prop":"y","value":"z"}]}`,
		"result by req":    `{"v":1,"type":"result","req":7,"status":"ok"}`,
		"result by job":    `{"v":1,"type":"result","job":"j","status":"cancelled"}`,
		"unknown field ok": `{"v":1,"type":"hello","extra":true}`,
	}
	for name, msg := range cases {
		t.Run(name, func(t *testing.T) {
			m, err := protocol.Decode([]byte(msg))
			if err != nil {
				t.Fatalf("Decode(%s): %v", msg, err)
			}
			if m.V != protocol.Version || m.Type == "" {
				t.Errorf("decoded %+v", m)
			}
		})
	}
}

func TestEncodeStampsVersion(t *testing.T) {
	for _, v := range []int{0, 2, -1} {
		data, err := protocol.Encode(protocol.Message{V: v, Type: protocol.TypeHello})
		if err != nil {
			t.Fatal(err)
		}
		var raw map[string]any
		if err := json.Unmarshal(data, &raw); err != nil {
			t.Fatalf("Encode gave invalid JSON %s: %v", data, err)
		}
		if raw["v"] != float64(protocol.Version) {
			t.Errorf("Encode with V=%d wrote v=%v, want %d", v, raw["v"], protocol.Version)
		}
		if raw["type"] != "hello" {
			t.Errorf("type = %v", raw["type"])
		}
		// Empty fields are left out.
		for _, k := range []string{"req", "job", "props", "error", "status"} {
			if _, ok := raw[k]; ok {
				t.Errorf("empty field %q was encoded: %s", k, data)
			}
		}
	}
}

func TestRoundTrip(t *testing.T) {
	msgs := []protocol.Message{
		{Type: protocol.TypeHello, Session: "tok"},
		{Type: protocol.TypeWelcome, Session: "tok", Resumed: true},
		{
			Type: protocol.TypeCall, Req: 42, Callback: "dash:..a.b...c.d..",
			Inputs:    []protocol.PropValue{{ID: "a", Prop: "n_clicks", Value: json.RawMessage(`3`)}},
			States:    []protocol.PropValue{{ID: "s", Prop: "value", Value: json.RawMessage(`{"k":[1,"x"]}`)}},
			Triggered: []protocol.PropID{{ID: "a", Prop: "n_clicks"}},
		},
		{Type: protocol.TypeCancel, Job: "job-1"},
		{Type: protocol.TypeJob, Req: 42, Callback: "dash:a.b", Job: "job-1", State: protocol.JobQueued},
		{Type: protocol.TypeProgress, Job: "job-1", Props: []protocol.PropValue{{ID: "bar", Prop: "value", Value: json.RawMessage(`0.5`)}}},
		{Type: protocol.TypeProps, Job: "job-1", Props: []protocol.PropValue{{ID: "x", Prop: "y", Value: json.RawMessage(`"z"`)}}},
		{Type: protocol.TypeResult, Req: 42, Job: "job-1", Status: protocol.StatusOK, Props: []protocol.PropValue{{ID: "a", Prop: "b", Value: json.RawMessage(`true`)}}},
		{Type: protocol.TypeResult, Job: "job-1", Status: protocol.StatusError, Error: &protocol.Error{Code: protocol.CodePanic, Message: "boom"}},
		{Type: protocol.TypeError, Error: &protocol.Error{Code: protocol.CodeBusy, Message: "try later"}},
	}
	for _, m := range msgs {
		data, err := protocol.Encode(m)
		if err != nil {
			t.Fatalf("Encode(%+v): %v", m, err)
		}
		got, err := protocol.Decode(data)
		if err != nil {
			t.Fatalf("Decode(%s): %v", data, err)
		}
		want := m
		want.V = protocol.Version
		if !reflect.DeepEqual(got, want) {
			t.Errorf("round trip of %s:\n got  %+v\n want %+v", m.Type, got, want)
		}
	}
}

func TestNilValueIsNull(t *testing.T) {
	data, err := protocol.Encode(protocol.Message{Type: protocol.TypeProps, Job: "j", Props: []protocol.PropValue{{ID: "a", Prop: "b"}}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"value":null`) {
		t.Errorf("a nil Value encoded as %s, want null", data)
	}
}

func TestJoinIDs(t *testing.T) {
	one := []protocol.PropID{{ID: "a", Prop: "b"}}
	if got := protocol.JoinIDs(one); got != "a.b" {
		t.Errorf("JoinIDs(one) = %q", got)
	}
	two := []protocol.PropID{{ID: "a", Prop: "b"}, {ID: "c", Prop: "d"}}
	if got := protocol.JoinIDs(two); got != "..a.b...c.d.." {
		t.Errorf("JoinIDs(two) = %q", got)
	}
	three := append(two, protocol.PropID{ID: "e", Prop: "f"})
	if got := protocol.JoinIDs(three); got != "..a.b...c.d...e.f.." {
		t.Errorf("JoinIDs(three) = %q", got)
	}
	pv := protocol.PropValue{ID: "x", Prop: "y"}
	if pv.PropID() != (protocol.PropID{ID: "x", Prop: "y"}) || pv.PropID().String() != "x.y" {
		t.Errorf("PropValue.PropID = %+v", pv.PropID())
	}
	if e := (&protocol.Error{Code: "c", Message: "m"}); e.Error() != "c: m" {
		t.Errorf("Error() = %q", e.Error())
	}
}

// An Encoder writes exactly what encoding/json writes, message after message.
func TestEncoderMatchesEncode(t *testing.T) {
	var enc protocol.Encoder
	msgs := []protocol.Message{
		{Type: protocol.TypeWelcome, Session: "s", Resumed: true},
		{Type: protocol.TypeJob, Req: 7, Callback: "d:out.children", Job: "j", State: protocol.JobQueued, Position: 3, ETAMillis: 1500},
		{Type: protocol.TypeProgress, Req: 7, Callback: "d:out.children", Job: "j",
			Props: []protocol.PropValue{{ID: "bar", Prop: "value", Value: json.RawMessage(`{ "a" : [1, 2] , "h":"<b>&</b>" }`)}, {ID: "x", Prop: "y"}}},
		{Type: protocol.TypeResult, Req: 8, Callback: "d:<a>&\u2028", Status: protocol.StatusError,
			Error: &protocol.Error{Code: protocol.CodeHandler, Message: "bad \xff byte"}},
		{Type: protocol.TypeResult, Req: 9, Status: protocol.StatusOK, Props: []protocol.PropValue{{ID: "big", Prop: "figure", Value: json.RawMessage(`"` + strings.Repeat("x", 300<<10) + `"`)}}},
		{Type: protocol.TypeError, Error: &protocol.Error{Code: protocol.CodeBadMessage, Message: "m"}},
	}
	for _, m := range msgs {
		m.V = protocol.Version
		want, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		got, err := enc.Encode(m)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("Encoder wrote\n%.200s\nEncode wrote\n%.200s", got, want)
		}
	}
	if _, err := enc.Encode(protocol.Message{Type: protocol.TypeProps, Props: []protocol.PropValue{{ID: "a", Prop: "b", Value: json.RawMessage(`{`)}}}); err == nil {
		t.Error("a value that is not JSON was encoded")
	}
}
