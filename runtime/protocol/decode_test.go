package protocol

import (
	"encoding/json"
	"reflect"
	"testing"
)

// FuzzDecodeCompactMatchesJSON holds decodeCompact to json.Unmarshal: what
// it decodes, json.Unmarshal decodes to the same message.
func FuzzDecodeCompactMatchesJSON(f *testing.F) {
	for _, m := range compactSamples() {
		b, err := Encode(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{`{"v":1,"type":"call","v":2}`, `{"v":1,"Type":"call"}`, `{"v":1.0,"type":"call"}`,
		`{"v":1,"type":"props","props":[{"id":"a","prop":"b","value":[1, {"x" : "\u00e9\n"}]}]}`,
		`{"v":1,"type":"props","props":[]}`, `{"v":1,"type":"props","props":null}`, `{"v":1,"type":"x","req":-1}`,
		`{"v":1,"type":"x","error":{}}`, `{"v":1,"type":"x"} `, `{"v":1,"type":"a\"b"}`, `{"v":1,"type":"x","props":[{"value":01}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, ok := decodeCompact(data)
		if !ok {
			return
		}
		var want Message
		if err := json.Unmarshal(data, &want); err != nil {
			t.Fatalf("decodeCompact decoded %q, json.Unmarshal fails: %v", data, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q:\ndecodeCompact %#v\njson.Unmarshal %#v", data, got, want)
		}
	})
}

// TestPeersMessagesDecodeCompact: what Encode writes, with text that needs
// no escape, takes decodeCompact's path, not json.Unmarshal's.
func TestPeersMessagesDecodeCompact(t *testing.T) {
	for _, m := range compactSamples() {
		b, err := Encode(m)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := decodeCompact(b)
		if !ok {
			t.Fatalf("decodeCompact left %s to json.Unmarshal", b)
		}
		if m.V = Version; !reflect.DeepEqual(got, m) {
			t.Fatalf("%s:\ndecoded %#v\nwant    %#v", b, got, m)
		}
	}
}

func compactSamples() []Message {
	values := []PropValue{{ID: "bar", Prop: "value", Value: json.RawMessage(`42`)}, {ID: "fig", Prop: "figure", Value: json.RawMessage(`{"data":[{"x":[1,2.5e3],"y":[-1,null],"name":"caf\u00e9 \"q\""}],"layout":{}}`)}}
	return []Message{
		{Type: TypeHello, Session: "s1", Attach: []JobRef{{Req: 3, Callback: "cb", Job: "j1"}}},
		{Type: TypeWelcome, Session: "s1", Resumed: true, MaxMessage: 1 << 20},
		{Type: TypeCall, Req: 7, Callback: "cb", Key: "k", Inputs: values[:1], States: values, Triggered: []PropID{{ID: "btn", Prop: "n_clicks"}}, Outputs: []PropID{{ID: "out", Prop: "children"}}},
		{Type: TypeJob, Req: 7, Callback: "cb", Job: "j1", State: JobQueued, Position: 2, ETAMillis: 1500},
		{Type: TypeProgress, Req: 7, Callback: "cb", Job: "j1", Props: values},
		{Type: TypeResult, Req: 7, Callback: "cb", Status: StatusError, Error: &Error{Code: CodeInternal, Message: "cb failed", ID: "e1", Stack: "main.go:1"}},
		{Type: TypeResult, Req: 8, Callback: "cb", Status: StatusOK, Props: []PropValue{{ID: "out", Prop: "children", Value: json.RawMessage("null")}}},
		{Type: TypeCookie, Ticket: "t"},
	}
}
