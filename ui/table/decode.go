package table

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// DecodeRows decodes a data prop, a JSON array of records, as
// json.Unmarshal into a []Row would: the same rows, cells and errors. Flat
// records (every cell a string, number, boolean or null), which is what a
// table's data nearly always is, are read in one pass without reflection;
// anything else is left to encoding/json. In the browser, encoding/json's
// reflection made 10,000 rows' arrival one task of 150–220 ms
// (docs/BENCHMARKS.md); and a row's keys and strings here are slices of
// one copy of data, not an allocation each.
func DecodeRows(data []byte) ([]Row, error) {
	if rows, ok := decodeFlat(string(data)); ok {
		return rows, nil
	}
	var rows []Row
	if err := json.Unmarshal(data, &rows); err != nil {
		return nil, err
	}
	return rows, nil
}

// flatReader reads flat records from s; at is the next byte to read. Each
// read method reports false at anything it does not take: encoding/json
// then reads the data again, and says what is wrong with it, if anything.
type flatReader struct {
	s  string
	at int
}

func decodeFlat(s string) ([]Row, bool) {
	r := &flatReader{s: s}
	r.space()
	if r.literal("null") {
		return nil, r.end()
	}
	if !r.byte('[') {
		return nil, false
	}
	var rows []Row
	if r.space(); r.byte(']') {
		return []Row{}, r.end()
	}
	for {
		row, ok := r.record()
		if !ok {
			return nil, false
		}
		rows = append(rows, row)
		r.space()
		if r.byte(']') {
			return rows, r.end()
		}
		if !r.byte(',') {
			return nil, false
		}
	}
}

// record reads an object, or null, as a Row.
func (r *flatReader) record() (Row, bool) {
	row := Row{}
	null, ok := r.object(func(key string, c cell) { row[key] = c.value(r.s, nil) })
	if null {
		return nil, ok
	}
	return row, ok
}

// object reads an object, giving set each of its fields in order, or null.
func (r *flatReader) object(set func(key string, c cell)) (null, ok bool) {
	r.space()
	if r.literal("null") {
		return true, true
	}
	if !r.byte('{') {
		return false, false
	}
	if r.space(); r.byte('}') {
		return false, true
	}
	for {
		r.space()
		key, ok := r.str()
		if r.space(); !ok || !r.byte(':') {
			return false, false
		}
		r.space()
		c, ok := r.cell()
		if !ok {
			return false, false
		}
		set(key, c)
		r.space()
		if r.byte('}') {
			return false, true
		}
		if !r.byte(',') {
			return false, false
		}
	}
}

// cell reads a string, a number, a boolean or null. A string is its bytes
// in s, not a copy.
func (r *flatReader) cell() (cell, bool) {
	if r.at >= len(r.s) {
		return cell{}, false
	}
	switch c := r.s[r.at]; {
	case c == '"':
		from, to, ok := r.span()
		return cell{kind: textCell, from: int32(from), to: int32(to)}, ok
	case c == '-' || '0' <= c && c <= '9':
		n, ok := r.number()
		return cell{kind: numberCell, num: n}, ok
	case r.literal("true"):
		return cell{kind: trueCell}, true
	case r.literal("false"):
		return cell{kind: falseCell}, true
	case r.literal("null"):
		return cell{kind: nullCell}, true
	}
	return cell{}, false
}

// str reads a string without escapes, control characters or invalid
// UTF-8: those encoding/json rewrites, and is left to.
func (r *flatReader) str() (string, bool) {
	from, to, ok := r.span()
	return r.s[from:to], ok
}

// span reads a string as str does, and returns where its text is in s.
func (r *flatReader) span() (from, to int, ok bool) {
	if !r.byte('"') {
		return 0, 0, false
	}
	start, ascii := r.at, true
	for ; r.at < len(r.s); r.at++ {
		switch c := r.s[r.at]; {
		case c == '"':
			r.at++
			return start, r.at - 1, ascii || utf8.ValidString(r.s[start:r.at-1])
		case c == '\\' || c < 0x20:
			return 0, 0, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return 0, 0, false
}

// number reads a number as JSON writes it: -?int frac? exp?.
func (r *flatReader) number() (float64, bool) {
	start := r.at
	r.byte('-')
	if !r.byte('0') && !r.digits() {
		return 0, false
	}
	if r.byte('.') && !r.digits() {
		return 0, false
	}
	if r.byte('e') || r.byte('E') {
		if !r.byte('+') {
			r.byte('-')
		}
		if !r.digits() {
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(r.s[start:r.at], 64)
	return f, err == nil
}

// digits reads one digit or more.
func (r *flatReader) digits() bool {
	start := r.at
	for r.at < len(r.s) && '0' <= r.s[r.at] && r.s[r.at] <= '9' {
		r.at++
	}
	return r.at > start
}

func (r *flatReader) byte(c byte) bool {
	if r.at < len(r.s) && r.s[r.at] == c {
		r.at++
		return true
	}
	return false
}

func (r *flatReader) literal(word string) bool {
	if len(r.s)-r.at >= len(word) && r.s[r.at:r.at+len(word)] == word {
		r.at += len(word)
		return true
	}
	return false
}

func (r *flatReader) space() {
	for r.at < len(r.s) {
		switch r.s[r.at] {
		case ' ', '\t', '\n', '\r':
			r.at++
		default:
			return
		}
	}
}

// end reports whether nothing but space is left.
func (r *flatReader) end() bool {
	r.space()
	return r.at == len(r.s)
}
