package protocol

import (
	"encoding/json"
	"errors"
	"strconv"
	"unicode/utf8"
)

var errBadValue = errors.New("a prop value is not valid JSON")

// appendMessage appends m as encoding/json renders it, byte for byte
// (FuzzEncoderMatchesEncode holds it to that), without reflection: a server
// writes a message per progress report, and reflecting over Message's twenty
// fields was most of the cost of writing one.
func appendMessage(dst []byte, m *Message) ([]byte, error) {
	dst = append(dst, `{"v":`...)
	dst = strconv.AppendInt(dst, int64(m.V), 10)
	dst = appendField(dst, "type", string(m.Type), false)
	if m.Req != 0 {
		dst = append(dst, `,"req":`...)
		dst = strconv.AppendUint(dst, m.Req, 10)
	}
	dst = appendField(dst, "session", m.Session, true)
	if m.Resumed {
		dst = append(dst, `,"resumed":true`...)
	}
	if m.MaxMessage != 0 {
		dst = append(dst, `,"max_message":`...)
		dst = strconv.AppendInt(dst, m.MaxMessage, 10)
	}
	dst = appendField(dst, "callback", m.Callback, true)
	dst = appendField(dst, "job", m.Job, true)
	dst = appendField(dst, "key", m.Key, true)
	if len(m.Attach) > 0 {
		dst = append(dst, `,"attach":[`...)
		for i, a := range m.Attach {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, `{"req":`...)
			dst = strconv.AppendUint(dst, a.Req, 10)
			dst = appendField(dst, "callback", a.Callback, false)
			dst = appendField(dst, "job", a.Job, false)
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	var err error
	if dst, err = appendProps(dst, "inputs", m.Inputs); err != nil {
		return dst, err
	}
	if dst, err = appendProps(dst, "states", m.States); err != nil {
		return dst, err
	}
	dst = appendPropIDs(dst, "triggered", m.Triggered)
	dst = appendPropIDs(dst, "outputs", m.Outputs)
	if dst, err = appendProps(dst, "props", m.Props); err != nil {
		return dst, err
	}
	dst = appendField(dst, "state", string(m.State), true)
	if m.Position != 0 {
		dst = append(dst, `,"position":`...)
		dst = strconv.AppendInt(dst, int64(m.Position), 10)
	}
	if m.ETAMillis != 0 {
		dst = append(dst, `,"eta_ms":`...)
		dst = strconv.AppendInt(dst, m.ETAMillis, 10)
	}
	dst = appendField(dst, "status", string(m.Status), true)
	if m.Error != nil {
		dst = append(dst, `,"error":{"code":`...)
		dst = appendString(dst, m.Error.Code)
		dst = append(dst, `,"message":`...)
		dst = appendString(dst, m.Error.Message)
		dst = appendField(dst, "id", m.Error.ID, true)
		dst = appendField(dst, "stack", m.Error.Stack, true)
		dst = append(dst, '}')
	}
	dst = appendField(dst, "ticket", m.Ticket, true)
	return append(dst, '}'), nil
}

// appendField appends ,"name":"value", or nothing for an empty value when
// the field is omitempty.
func appendField(dst []byte, name, value string, omitEmpty bool) []byte {
	if omitEmpty && value == "" {
		return dst
	}
	dst = append(dst, ',', '"')
	dst = append(dst, name...)
	dst = append(dst, '"', ':')
	return appendString(dst, value)
}

func appendPropIDs(dst []byte, name string, ids []PropID) []byte {
	if len(ids) == 0 {
		return dst
	}
	dst = appendListStart(dst, name)
	for i, p := range ids {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(appendPropID(dst, p.ID, p.Prop), '}')
	}
	return append(dst, ']')
}

// appendListStart opens a list field: ,"name":[
func appendListStart(dst []byte, name string) []byte {
	dst = append(dst, ',', '"')
	dst = append(dst, name...)
	return append(dst, `":[`...)
}

// appendPropID opens an object with a prop's id and name: {"id":…,"prop":…
func appendPropID(dst []byte, id, prop string) []byte {
	dst = append(dst, `{"id":`...)
	dst = appendString(dst, id)
	dst = append(dst, `,"prop":`...)
	return appendString(dst, prop)
}

func appendProps(dst []byte, name string, props []PropValue) ([]byte, error) {
	if len(props) == 0 {
		return dst, nil
	}
	dst = appendListStart(dst, name)
	for i, p := range props {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(appendPropID(dst, p.ID, p.Prop), `,"value":`...)
		var err error
		if dst, err = appendValue(dst, p.Value); err != nil {
			return dst, err
		}
		dst = append(dst, '}')
	}
	return append(dst, ']'), nil
}

// appendValue appends a prop's JSON value as encoding/json writes a
// json.RawMessage: null for nil, else checked, compacted, and with <, >, &,
// U+2028 and U+2029 escaped in its strings.
func appendValue(dst []byte, v json.RawMessage) ([]byte, error) {
	if v == nil {
		return append(dst, "null"...), nil
	}
	if !json.Valid(v) {
		return dst, errBadValue
	}
	return appendCompact(dst, v), nil
}

// appendCompact appends valid JSON without the whitespace between its
// tokens, with <, >, & and the line separators U+2028 and U+2029 escaped.
// Values nearly always need neither, and are copied in one go.
func appendCompact(dst []byte, v []byte) []byte {
	const hex = "0123456789abcdef"
	start, inString, escaped := 0, false, false
	for i := 0; i < len(v); i++ {
		b := v[i]
		switch {
		case escaped:
			escaped = false
			continue
		case inString && b == '\\':
			escaped = true
			continue
		case b == '"':
			inString = !inString
			continue
		case !rewritten[b]:
			continue
		}
		switch {
		case !inString: // whitespace between tokens
			dst = append(dst, v[start:i]...)
			start = i + 1
		case b == '<' || b == '>' || b == '&':
			dst = append(dst, v[start:i]...)
			dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			start = i + 1
		case b == 0xE2 && i+2 < len(v) && v[i+1] == 0x80 && v[i+2]&^1 == 0xA8:
			dst = append(dst, v[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[v[i+2]&0xF])
			i += 2
			start = i + 1
		}
	}
	return append(dst, v[start:]...)
}

// rewritten marks the bytes appendCompact may change: whitespace outside
// strings, the HTML characters inside them, and 0xE2, which starts U+2028
// and U+2029.
var rewritten = [256]bool{' ': true, '\t': true, '\n': true, '\r': true, '<': true, '>': true, '&': true, 0xE2: true}

// appendString appends s as a JSON string as encoding/json writes it with
// HTML escaping: control characters, ", \, <, > and & escaped, invalid
// UTF-8 replaced by U+FFFD, U+2028 and U+2029 escaped.
func appendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case c == '\u2028' || c == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[c&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// AppendTrustedProps appends props as a JSON array of PropValue without
// checking or compacting their values, which must be valid JSON: for values
// already checked, as a client's store holds them (decoded from the
// server's messages, or encoded by the page). A page keeps its props in the
// browser's storage this way: a 10,000-row table is copied, not scanned
// again (encoding/json checks every json.RawMessage it writes).
func AppendTrustedProps(dst []byte, props []PropValue) []byte {
	dst = append(dst, '[')
	for i, p := range props {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(appendPropID(dst, p.ID, p.Prop), `,"value":`...)
		if p.Value == nil {
			dst = append(dst, "null"...)
		} else {
			dst = append(dst, p.Value...)
		}
		dst = append(dst, '}')
	}
	return append(dst, ']')
}
