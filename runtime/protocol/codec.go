package protocol

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// Decode parses one message and checks that it is well formed for its type.
// The error is a *Error with a code the peer can act on.
func Decode(data []byte) (Message, error) {
	if !utf8.Valid(data) {
		// encoding/json would let invalid bytes through inside prop values,
		// and a browser drops the connection of a text frame that has them.
		return Message{}, badMessage("message is not valid UTF-8")
	}
	var m Message
	if err := json.Unmarshal(data, &m); err != nil {
		return Message{}, &Error{Code: CodeBadMessage, Message: "message is not valid JSON for this protocol: " + err.Error()}
	}
	if m.V == 0 && m.Type == "" {
		return m, badMessage(`not a protocol message: "v" and "type" are missing`)
	}
	if m.V != Version {
		return m, &Error{Code: CodeVersion, Message: fmt.Sprintf("protocol version %d is not supported; this peer speaks version %d", m.V, Version)}
	}
	if err := m.validate(); err != nil {
		return m, err
	}
	return m, nil
}

// Encode renders a message, stamping the protocol version.
func Encode(m Message) ([]byte, error) {
	m.V = Version
	return json.Marshal(m)
}

// An Encoder renders messages as Encode does, into a buffer it reuses: for a
// writer that sends many, Encode's two allocations a message (the message
// boxed for encoding/json, and its bytes) become none. Not safe for
// concurrent use.
type Encoder struct {
	buf bytes.Buffer
	enc *json.Encoder
	m   Message // the message being encoded, so that encoding/json gets a pointer to it and it stays put
}

// maxKeptEncodeBuffer is the largest buffer an Encoder keeps between
// messages: one large figure should not pin its buffer.
const maxKeptEncodeBuffer = 256 << 10

// Encode renders m; the bytes are valid until the next call.
func (e *Encoder) Encode(m Message) ([]byte, error) {
	if e.enc == nil || e.buf.Cap() > maxKeptEncodeBuffer {
		e.buf = bytes.Buffer{}
		e.enc = json.NewEncoder(&e.buf)
	}
	e.buf.Reset()
	e.m = m
	e.m.V = Version
	err := e.enc.Encode(&e.m)
	e.m = Message{} // keep no references to m's values
	if err != nil {
		return nil, err
	}
	b := e.buf.Bytes()
	return b[:len(b)-1], nil // json.Encoder ends each value with a newline
}

func (m *Message) validate() error {
	switch m.Type {
	case TypeHello:
		for i, a := range m.Attach {
			if a.Job == "" || a.Callback == "" || a.Req == 0 {
				return badMessage(fmt.Sprintf("attach[%d] needs req, callback and job", i))
			}
		}
		return nil
	case TypeWelcome, TypeError:
		return nil
	case TypeCall:
		if m.Callback == "" {
			return badMessage("a call needs a callback id")
		}
		if m.Req == 0 {
			return badMessage("a call needs a non-zero req number")
		}
		if err := validateProps("inputs", m.Inputs); err != nil {
			return err
		}
		return validateProps("states", m.States)
	case TypeCancel:
		if m.Job == "" {
			return badMessage("a cancel needs a job id")
		}
		return nil
	case TypeJob, TypeProgress, TypeProps:
		if m.Job == "" {
			return badMessage(string(m.Type) + " needs a job id")
		}
		return validateProps("props", m.Props)
	case TypeResult:
		if m.Req == 0 && m.Job == "" {
			return badMessage("a result needs a req number or a job id")
		}
		return validateProps("props", m.Props)
	case "":
		return badMessage(`the "type" field is missing`)
	default:
		return badMessage(fmt.Sprintf("unknown message type %q", m.Type))
	}
}

// validateProps checks that every prop names a component and a property.
func validateProps(field string, props []PropValue) error {
	for i, p := range props {
		if p.ID == "" || p.Prop == "" {
			return badMessage(fmt.Sprintf("%s[%d] needs both an id and a prop", field, i))
		}
	}
	return nil
}

func badMessage(msg string) *Error { return &Error{Code: CodeBadMessage, Message: msg} }
