package protocol_test

import (
	"encoding/json"
	"testing"

	"github.com/longcall/longcall/runtime/protocol"
)

// FuzzEncoderMatchesEncode holds Encode and the Encoder, which write
// messages by hand, to encoding/json's output, byte for byte, for any strings
// and prop value: both refuse the same values, and write the same bytes for
// the rest.
func FuzzEncoderMatchesEncode(f *testing.F) {
	f.Add("d:out.children", "bar", "value", []byte(`{"a": [1, 2], "h": "<b>&</b>"}`), "m", uint64(7), 3)
	f.Add("d:<a>&\u2028\u2029", "\x00\x1f\"\\", "\b\f\n\r\t", []byte(`"\u2028 \"<\" \\"`), "bad \xff byte \xe2\x80", uint64(0), 0)
	f.Add("", "", "", []byte(nil), "", uint64(1<<63), -1)
	f.Add("x", "y", "z", []byte(`{`), "", uint64(1), 1)
	f.Add("x", "y", "z", []byte(" [ \"\xe2\x80\xa8\" , true ,null ] "), "", uint64(1), 1)
	var enc protocol.Encoder
	f.Fuzz(func(t *testing.T, callback, id, prop string, value []byte, msg string, req uint64, n int) {
		var raw json.RawMessage
		if value != nil {
			raw = json.RawMessage(value)
		}
		m := protocol.Message{
			Type: protocol.Type(prop), Req: req, Callback: callback, Job: id + prop, Key: msg,
			Session: msg, Resumed: n%2 == 0, Position: n, ETAMillis: int64(n) * 1000,
			Attach:    []protocol.JobRef{{Req: req, Callback: callback, Job: id}},
			Inputs:    []protocol.PropValue{{ID: id, Prop: prop, Value: raw}},
			States:    []protocol.PropValue{{ID: msg, Prop: callback, Value: json.RawMessage(`1`)}},
			Triggered: []protocol.PropID{{ID: id, Prop: prop}},
			Outputs:   []protocol.PropID{{ID: prop, Prop: id}, {ID: msg}},
			Props:     []protocol.PropValue{{ID: prop, Prop: id, Value: raw}, {ID: "n", Prop: "null"}},
			State:     protocol.JobState(prop), Status: protocol.Status(id),
			Error: &protocol.Error{Code: callback, Message: msg},
		}
		m.V = protocol.Version
		want, werr := json.Marshal(m)
		got, gerr := enc.Encode(m)
		if one, err := protocol.Encode(m); string(one) != string(got) || (err == nil) != (gerr == nil) {
			t.Fatalf("Encode and an Encoder differ: %q, %v; %q, %v", one, err, got, gerr)
		}
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("encoding/json: %v; Encoder: %v", werr, gerr)
		}
		if werr == nil && string(got) != string(want) {
			t.Fatalf("Encoder wrote\n%q\nencoding/json wrote\n%q", got, want)
		}
	})
}
