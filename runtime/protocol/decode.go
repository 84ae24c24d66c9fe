package protocol

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// decodeCompact decodes a message as json.Unmarshal does, without
// reflection, when it is in the form peers write (appendMessage): each key
// of this protocol at most once, as written, no space between tokens, text
// without escapes. ok is false for anything else, which json.Unmarshal
// decodes; FuzzDecodeCompactMatchesJSON holds the two to the same message.
// A page decodes every message it gets, and with reflection encoding/json's
// decoder was the most of what V8 compiled again, optimised, while a fresh
// page showed its first progress stream (docs/BENCHMARKS.md).
func decodeCompact(data []byte) (m Message, ok bool) {
	d := decoder{data: data}
	ok = d.object(func(key []byte) bool {
		switch string(key) {
		case "v":
			return d.int(&m.V)
		case "type":
			return d.text((*string)(&m.Type))
		case "req":
			return d.uint64(&m.Req)
		case "session":
			return d.text(&m.Session)
		case "resumed":
			return d.boolean(&m.Resumed)
		case "max_message":
			return d.int64(&m.MaxMessage)
		case "callback":
			return d.text(&m.Callback)
		case "job":
			return d.text(&m.Job)
		case "key":
			return d.text(&m.Key)
		case "attach":
			return list(&d, &m.Attach, d.jobRef)
		case "inputs":
			return list(&d, &m.Inputs, d.propValue)
		case "states":
			return list(&d, &m.States, d.propValue)
		case "triggered":
			return list(&d, &m.Triggered, d.propID)
		case "outputs":
			return list(&d, &m.Outputs, d.propID)
		case "props":
			return list(&d, &m.Props, d.propValue)
		case "state":
			return d.text((*string)(&m.State))
		case "position":
			return d.int(&m.Position)
		case "eta_ms":
			return d.int64(&m.ETAMillis)
		case "status":
			return d.text((*string)(&m.Status))
		case "error":
			m.Error = new(Error)
			return d.errorValue(m.Error)
		case "ticket":
			return d.text(&m.Ticket)
		}
		return false
	})
	return m, ok && d.pos == len(data)
}

// decoder reads data from pos; a method that returns false has found
// something decodeCompact leaves to json.Unmarshal.
type decoder struct {
	data []byte
	pos  int
}

func (d *decoder) next(c byte) bool {
	if d.pos < len(d.data) && d.data[d.pos] == c {
		d.pos++
		return true
	}
	return false
}

// object reads {"key":value,…}, calling field to read each value; a key
// seen twice is json.Unmarshal's (the last one wins, merged).
func (d *decoder) object(field func(key []byte) bool) bool {
	if !d.next('{') {
		return false
	}
	if d.next('}') {
		return true
	}
	var seenKeys [8][]byte
	seen := seenKeys[:0]
	for {
		key, ok := d.plainText()
		if !ok || !d.next(':') {
			return false
		}
		for _, k := range seen {
			if string(k) == string(key) {
				return false
			}
		}
		seen = append(seen, key)
		if !field(key) {
			return false
		}
		if d.next('}') {
			return true
		}
		if !d.next(',') {
			return false
		}
	}
}

// list reads [item,…] into *dst: an empty list is an empty slice, not nil,
// as json.Unmarshal leaves it.
func list[T any](d *decoder, dst *[]T, item func(*T) bool) bool {
	if !d.next('[') {
		return false
	}
	*dst = []T{}
	if d.next(']') {
		return true
	}
	for {
		var v T
		if !item(&v) {
			return false
		}
		*dst = append(*dst, v)
		if d.next(']') {
			return true
		}
		if !d.next(',') {
			return false
		}
	}
}

func (d *decoder) propValue(p *PropValue) bool {
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "id":
			return d.text(&p.ID)
		case "prop":
			return d.text(&p.Prop)
		case "value":
			return d.raw(&p.Value)
		}
		return false
	})
}

func (d *decoder) propID(p *PropID) bool {
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "id":
			return d.text(&p.ID)
		case "prop":
			return d.text(&p.Prop)
		}
		return false
	})
}

func (d *decoder) jobRef(j *JobRef) bool {
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "req":
			return d.uint64(&j.Req)
		case "callback":
			return d.text(&j.Callback)
		case "job":
			return d.text(&j.Job)
		}
		return false
	})
}

func (d *decoder) errorValue(e *Error) bool {
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "code":
			return d.text(&e.Code)
		case "message":
			return d.text(&e.Message)
		case "id":
			return d.text(&e.ID)
		case "stack":
			return d.text(&e.Stack)
		}
		return false
	})
}

// text reads a string that needs no decoding (plainText).
func (d *decoder) text(dst *string) bool {
	b, ok := d.plainText()
	*dst = string(b)
	return ok
}

// plainText returns the bytes of a string at pos that needs no decoding:
// no escape, no control character, valid UTF-8 (json.Unmarshal replaces
// invalid bytes, which is left to it).
func (d *decoder) plainText() ([]byte, bool) {
	if !d.next('"') {
		return nil, false
	}
	rest := d.data[d.pos:]
	for i, c := range rest {
		switch {
		case c == '"':
			d.pos += i + 1
			return rest[:i], utf8.Valid(rest[:i])
		case c < 0x20 || c == '\\':
			return nil, false
		}
	}
	return nil, false
}

func (d *decoder) boolean(dst *bool) bool {
	switch {
	case d.literal("true"):
		*dst = true
	case d.literal("false"):
		*dst = false
	default:
		return false
	}
	return true
}

func (d *decoder) literal(word string) bool {
	if len(d.data)-d.pos >= len(word) && string(d.data[d.pos:d.pos+len(word)]) == word {
		d.pos += len(word)
		return true
	}
	return false
}

// number returns the number at pos, as JSON writes it.
func (d *decoder) number() ([]byte, bool) {
	start := d.pos
	for d.pos < len(d.data) && isNumberByte(d.data[d.pos]) {
		d.pos++
	}
	b := d.data[start:d.pos]
	return b, isNumber(b)
}

func isNumberByte(c byte) bool {
	return '0' <= c && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}

func (d *decoder) int(dst *int) bool {
	s, ok := d.number()
	n, err := strconv.ParseInt(string(s), 10, strconv.IntSize)
	*dst = int(n)
	return ok && err == nil
}

func (d *decoder) int64(dst *int64) bool {
	s, ok := d.number()
	n, err := strconv.ParseInt(string(s), 10, 64)
	*dst = n
	return ok && err == nil
}

func (d *decoder) uint64(dst *uint64) bool {
	s, ok := d.number()
	n, err := strconv.ParseUint(string(s), 10, 64)
	*dst = n
	return ok && err == nil
}

// raw reads a value of any kind, checked as encoding/json checks it, and
// copies its bytes as json.RawMessage does.
func (d *decoder) raw(dst *json.RawMessage) bool {
	start := d.pos
	if !d.skipValue(0) {
		return false
	}
	*dst = append([]byte(nil), d.data[start:d.pos]...)
	return true
}

// maxRawDepth bounds skipValue's recursion; a value nested deeper is left to
// json.Unmarshal, which has a limit of its own.
const maxRawDepth = 1000

// skipValue reads one JSON value; within arrays and objects, space between
// tokens is allowed as JSON allows it.
func (d *decoder) skipValue(depth int) bool {
	if d.pos >= len(d.data) || depth > maxRawDepth {
		return false
	}
	switch c := d.data[d.pos]; {
	case c == '"':
		return d.skipString()
	case c == '{':
		d.pos++
		if d.skipSpace(); d.next('}') {
			return true
		}
		for {
			if d.skipSpace(); !d.skipString() {
				return false
			}
			if d.skipSpace(); !d.next(':') {
				return false
			}
			if d.skipSpace(); !d.skipValue(depth + 1) {
				return false
			}
			if d.skipSpace(); d.next('}') {
				return true
			}
			if !d.next(',') {
				return false
			}
		}
	case c == '[':
		d.pos++
		if d.skipSpace(); d.next(']') {
			return true
		}
		for {
			if d.skipSpace(); !d.skipValue(depth + 1) {
				return false
			}
			if d.skipSpace(); d.next(']') {
				return true
			}
			if !d.next(',') {
				return false
			}
		}
	case c == 't':
		return d.literal("true")
	case c == 'f':
		return d.literal("false")
	case c == 'n':
		return d.literal("null")
	default:
		_, ok := d.number()
		return ok
	}
}

func (d *decoder) skipSpace() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// skipString reads a string with JSON's escapes; the bytes' UTF-8 is Decode's
// to check.
func (d *decoder) skipString() bool {
	if !d.next('"') {
		return false
	}
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		d.pos++
		switch {
		case c == '"':
			return true
		case c < 0x20:
			return false
		case c == '\\':
			if d.pos >= len(d.data) {
				return false
			}
			e := d.data[d.pos]
			d.pos++
			switch e {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				for range 4 {
					if d.pos >= len(d.data) || !isHex(d.data[d.pos]) {
						return false
					}
					d.pos++
				}
			default:
				return false
			}
		}
	}
	return false
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
