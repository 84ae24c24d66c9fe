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
// The rows are held by column, not as maps (see cell): reading a row as a
// Row makes its map then.
//
// A Records is for one goroutine at a time.
type Records struct {
	data    []byte  // the data prop's JSON, not copied: a page's props are never changed in place
	text    string  // one copy of data, made to decode many rows: the texts of their cells are slices of it
	starts  []int32 // each record's first byte in data, and one past its last
	ends    []int32
	rows    []rowState
	columns []column       // in the order their keys were first read
	byID    map[string]int // columns' indices
	values  []any          // the valueCells' values
	decoded int            // how many rows are
	next    int            // DecodeNext's next row: every row before it is decoded
}

// column is one key's cells, a row each, in pages of pageRows rows made
// when a row of theirs is decoded: a stream of previews, each decoding only
// the rows it shows, would otherwise make every column whole at each.
type column struct {
	id    string
	pages [][]cell
}

const pageRows = 256

// at is row i's cell.
func (c *column) at(i int) cell {
	if page := c.pages[i/pageRows]; page != nil {
		return page[i%pageRows]
	}
	return cell{}
}

// set makes row i's cell v.
func (c *column) set(i int, v cell) {
	page := &c.pages[i/pageRows]
	if *page == nil {
		*page = make([]cell, pageRows)
	}
	(*page)[i%pageRows] = v
}

type rowState uint8

const (
	notDecoded rowState = iota
	objectRow
	nullRow // null, or a record encoding/json cannot read
)

// SplitRecords finds the records of data, a JSON array of objects (or null),
// decoding none of them. Data that is not such an array is read as DecodeRows
// reads it, with its error. Data must be valid JSON, as a page's props always
// are (the protocol and the props keeper check them). A record that is not,
// or that encoding/json cannot read (a number beyond float64's range), reads
// as a nil row, where DecodeRows fails the whole data.
//
// data is kept, not copied, and must not change while the Records is used:
// a copy was a megabyte of garbage at each of a report's previews.
func SplitRecords(data []byte) (*Records, error) {
	if starts, ends, ok := split(data); ok {
		return &Records{data: data, starts: starts, ends: ends, rows: make([]rowState, len(starts)), byID: map[string]int{}}, nil
	}
	rows, err := DecodeRows(data)
	if err != nil {
		return nil, err
	}
	return RecordsOf(rows), nil
}

// RecordsOf returns rows, already decoded, as Records.
func RecordsOf(rows []Row) *Records {
	r := &Records{rows: make([]rowState, len(rows)), byID: map[string]int{}, decoded: len(rows), next: len(rows)}
	for i, row := range rows {
		r.rows[i] = nullRow
		if row != nil {
			r.rows[i] = objectRow
		}
		for k, v := range row {
			r.column(k, -1).set(i, cellOf(v, &r.values))
		}
	}
	return r
}

// Len is how many rows there are.
func (r *Records) Len() int { return len(r.rows) }

// Decoded is how many rows are decoded.
func (r *Records) Decoded() int { return r.decoded }

// Row is row i, decoded now if it was not.
func (r *Records) Row(i int) Row {
	if r.read(i) == nullRow {
		return nil
	}
	row := Row{}
	for _, c := range r.columns {
		if cl := c.at(i); cl.kind != noCell {
			cl, s := r.inText(cl)
			row[c.id] = cl.value(s, r.values)
		}
	}
	return row
}

// Text is row i's cell in column id as the table shows it (see Text).
func (r *Records) Text(i int, id string) string {
	r.read(i)
	k, ok := r.byID[id]
	if !ok {
		return ""
	}
	c, s := r.inText(r.columns[k].at(i))
	return c.key(s, r.values).str()
}

// DecodeNext decodes up to n rows not decoded yet, in order, and reports
// whether every row now is.
func (r *Records) DecodeNext(n int) bool {
	if r.text == "" && r.next < len(r.rows) {
		r.text = string(r.data)
	}
	for ; n > 0 && r.next < len(r.rows); r.next++ {
		if r.rows[r.next] == notDecoded {
			r.read(r.next)
			n--
		}
	}
	for r.next < len(r.rows) && r.rows[r.next] != notDecoded {
		r.next++
	}
	return r.next == len(r.rows)
}

// Index returns an index of every row, decoded now, for views.
func (r *Records) Index() *Index {
	r.DecodeNext(len(r.rows))
	return &Index{cells: r, keys: map[string][]sortKey{}}
}

// keys is every row's key in column id: a text's key is a slice of the
// records' text (every row is decoded, so it is made).
func (r *Records) keys(id string) []sortKey {
	keys := make([]sortKey, len(r.rows))
	if k, ok := r.byID[id]; ok {
		c := &r.columns[k]
		for i := range keys {
			keys[i] = c.at(i).key(r.text, r.values)
		}
	}
	return keys
}

// read decodes row i if it is not, and returns its state.
func (r *Records) read(i int) rowState {
	if r.rows[i] == notDecoded {
		r.rows[i] = r.decode(i)
		r.decoded++
	}
	return r.rows[i]
}

// inText returns c with its text, if it has one, in the string returned:
// the records' copy of data once DecodeNext made it, else a copy of the
// text alone (a row shown before then).
func (r *Records) inText(c cell) (cell, string) {
	if c.kind != textCell || r.text != "" {
		return c, r.text
	}
	return cell{kind: textCell, to: c.to - c.from}, string(r.data[c.from:c.to])
}

// decode reads record i into the columns as encoding/json would: in one
// pass when it is flat, else by reflection.
func (r *Records) decode(i int) rowState {
	from, to := int(r.starts[i]), int(r.ends[i])
	flat := flatReader{s: r.text, at: from}
	base := int32(0) // where flat.s starts in data
	if r.text == "" {
		flat = flatReader{s: string(r.data[from:to])} // a row shown: a copy of its own
		base = int32(from)
	}
	field := 0
	null, ok := flat.object(func(key string, c cell) {
		if c.kind == textCell {
			c.from, c.to = c.from+base, c.to+base
		}
		r.column(key, field).set(i, c)
		field++
	})
	switch {
	case !ok || int(base)+flat.at != to:
		return r.decodeByReflection(i)
	case null:
		return nullRow
	}
	return objectRow
}

// decodeByReflection reads record i with encoding/json, in place of what
// the flat reading left in the columns.
func (r *Records) decodeByReflection(i int) rowState {
	for k := range r.columns {
		if r.columns[k].at(i).kind != noCell {
			r.columns[k].set(i, cell{})
		}
	}
	var row Row
	if err := json.Unmarshal(r.data[r.starts[i]:r.ends[i]], &row); err != nil || row == nil {
		return nullRow // null, or not valid JSON: see SplitRecords
	}
	for k, v := range row {
		r.column(k, -1).set(i, cellOf(v, &r.values))
	}
	return objectRow
}

// column is the column of key, made if the records have none. guess, the
// key's place in its record, is the column's index when the records list
// their keys in one order, as they nearly always do; -1 is no guess.
func (r *Records) column(key string, guess int) *column {
	if guess >= 0 && guess < len(r.columns) && r.columns[guess].id == key {
		return &r.columns[guess]
	}
	k, ok := r.byID[key]
	if !ok {
		k = len(r.columns)
		r.columns = append(r.columns, column{id: key, pages: make([][]cell, (len(r.rows)+pageRows-1)/pageRows)})
		r.byID[key] = k
	}
	return &r.columns[k]
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
