package protocol_test

import (
	"bytes"
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/longcall/longcall/runtime/protocol"
)

// FuzzDecode feeds Decode what a hostile client might send. Decode never
// panics; what it refuses it refuses with a *protocol.Error of a known code
// and a message for people; what it accepts is a message of this version
// that encodes again, as valid UTF-8 (a browser drops a text frame that is
// not), and whose encoding is stable across another round trip.
func FuzzDecode(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := protocol.Decode(data)
		if err != nil {
			var perr *protocol.Error
			if !errors.As(err, &perr) || perr.Message == "" || !decodeCodes[perr.Code] {
				t.Fatalf("Decode(%q) failed with %v (%T), want a *protocol.Error of a decoding code", data, err, err)
			}
			return
		}
		if m.V != protocol.Version || m.Type == "" {
			t.Fatalf("Decode(%q) accepted %+v", data, m)
		}
		out, err := protocol.Encode(m)
		if err != nil {
			t.Fatalf("a decoded message does not encode: %v\n%q", err, data)
		}
		if !utf8.Valid(out) {
			t.Fatalf("a decoded message encodes to invalid UTF-8: %q", out)
		}
		again, err := protocol.Decode(out)
		if err != nil {
			t.Fatalf("the encoding of a decoded message does not decode: %v\n%s", err, out)
		}
		if out2, _ := protocol.Encode(again); !bytes.Equal(out, out2) {
			t.Fatalf("encoding is not stable:\n%s\n%s", out, out2)
		}
	})
}

// decodeCodes are the codes Decode may refuse a message with.
var decodeCodes = map[string]bool{protocol.CodeBadMessage: true, protocol.CodeVersion: true}
