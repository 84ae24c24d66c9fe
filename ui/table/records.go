package table

import "encoding/json"

// Records is a data prop's rows, each decoded the first time it is read. A
// table shows a few dozen of 10,000 rows: decoding them all as they arrive
// (DecodeRows) was most of the browser's task for a message of 10,000 rows,
// 33 ms of it, and made the rows' arrival a long task while a report built
// its previews (docs/BENCHMARKS.md). SplitRecords only finds where each
// record is; the rest are decoded when a sort or filter needs them, or a
// few at a time by DecodeNext when the page is idle.
//
// A Records is for one goroutine at a time.
type Records struct {
	data    []byte  // the data prop's JSON, not copied: a page's props are never changed in place
	text    string  // one copy of data, made to decode many rows: their keys and texts are slices of it
	starts  []int32 // each record's first byte in data, and one past its last
	ends    []int32
	rows    []Row
	done    []bool // rows[i] is decoded
	decoded int    // how many are
	next    int    // DecodeNext's next row: every row before it is decoded
}

// SplitRecords finds the records of data, a JSON array of objects (or null),
// decoding none of them. Data that is not such an array is read as DecodeRows
// reads it, with its error. Data must be valid JSON, as a page's props always
// are (the protocol and the props keeper check them). A record that is not,
// or that encoding/json cannot read (a number beyond float64's range), reads
// as an empty row, where DecodeRows fails the whole data.
//
// data is kept, not copied, and must not change while the Records is used:
// a copy was a megabyte of garbage at each of a report's previews.
func SplitRecords(data []byte) (*Records, error) {
	if starts, ends, ok := split(data); ok {
		n := len(starts)
		return &Records{data: data, starts: starts, ends: ends, rows: make([]Row, n), done: make([]bool, n)}, nil
	}
	rows, err := DecodeRows(data)
	if err != nil {
		return nil, err
	}
	return RecordsOf(rows), nil
}

// RecordsOf returns rows, already decoded, as Records.
func RecordsOf(rows []Row) *Records {
	done := make([]bool, len(rows))
	for i := range done {
		done[i] = true
	}
	return &Records{rows: rows, done: done, decoded: len(rows), next: len(rows)}
}

// Len is how many rows there are.
func (r *Records) Len() int { return len(r.rows) }

// Decoded is how many rows are decoded.
func (r *Records) Decoded() int { return r.decoded }

// Row is row i, decoded now if it was not.
func (r *Records) Row(i int) Row {
	if !r.done[i] {
		r.rows[i], r.done[i] = r.decode(i), true
		r.decoded++
	}
	return r.rows[i]
}

// DecodeNext decodes up to n rows not decoded yet, in order, and reports
// whether every row now is.
func (r *Records) DecodeNext(n int) bool {
	if r.text == "" && r.next < len(r.rows) {
		r.text = string(r.data)
	}
	for ; n > 0 && r.next < len(r.rows); r.next++ {
		if !r.done[r.next] {
			r.Row(r.next)
			n--
		}
	}
	for r.next < len(r.rows) && r.done[r.next] {
		r.next++
	}
	return r.next == len(r.rows)
}

// All is every row, decoded.
func (r *Records) All() []Row {
	r.DecodeNext(len(r.rows))
	return r.rows
}

// decode reads record i as encoding/json would: in one pass when it is
// flat, else by reflection.
func (r *Records) decode(i int) Row {
	var record string
	if r.text != "" {
		record = r.text[r.starts[i]:r.ends[i]]
	} else {
		record = string(r.data[r.starts[i]:r.ends[i]]) // a row shown: its own copy
	}
	flat := flatReader{s: record}
	if row, ok := flat.record(); ok && flat.end() {
		return row
	}
	var row Row
	if err := json.Unmarshal([]byte(record), &row); err != nil {
		return nil // not valid JSON: see SplitRecords
	}
	return row
}

// split finds the start and end of each element of s, a JSON array whose
// elements are objects or null; ok is false for anything else. It checks
// the array's shape, not the records' insides (see SplitRecords): one loop
// over the bytes, with no call a byte, since the browser's wasm is built
// without inlining.
func split(s []byte) (starts, ends []int32, ok bool) {
	i := skipSpace(s, 0)
	if i < len(s) && s[i] == 'n' {
		return nil, nil, isNull(s, i) && skipSpace(s, i+4) == len(s)
	}
	if i >= len(s) || s[i] != '[' {
		return nil, nil, false
	}
	if i = skipSpace(s, i+1); i < len(s) && s[i] == ']' {
		return []int32{}, []int32{}, skipSpace(s, i+1) == len(s)
	}
	for {
		start := i
		switch {
		case i < len(s) && s[i] == '{':
			if i, ok = skipObject(s, i); !ok {
				return nil, nil, false
			}
		case isNull(s, i):
			i += 4
		default:
			return nil, nil, false
		}
		starts, ends = append(starts, int32(start)), append(ends, int32(i))
		i = skipSpace(s, i)
		switch {
		case i < len(s) && s[i] == ',':
			i = skipSpace(s, i+1)
		case i < len(s) && s[i] == ']':
			return starts, ends, skipSpace(s, i+1) == len(s)
		default:
			return nil, nil, false
		}
	}
}

// skipObject returns the offset just past the object that starts at s[i],
// by its brackets and strings.
func skipObject(s []byte, i int) (int, bool) {
	depth := 0
	for ; i < len(s); i++ {
		switch s[i] {
		case '"':
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' {
					i++
				}
			}
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth == 0 {
				return i + 1, true
			}
		}
	}
	return 0, false
}

// skipSpace returns the offset of the first byte at or after i that is not
// JSON's space.
func skipSpace(s []byte, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

// isNull reports whether s holds null at i.
func isNull(s []byte, i int) bool { return len(s)-i >= 4 && string(s[i:i+4]) == "null" }
