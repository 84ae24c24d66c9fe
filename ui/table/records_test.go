package table

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"
)

// SplitRecords must read valid JSON as DecodeRows does, row by row in any
// order, and fail where it fails.
func TestSplitRecordsReadsAsDecodeRows(t *testing.T) {
	for _, data := range decodeCases {
		checkSplit(t, data)
	}
	checkSplit(t, `[{"a": "}{]["}, {"b": "\"}"}, null, {"c": {"d": [1, {"e": "]"}]}}]`)
}

func FuzzSplitRecords(f *testing.F) {
	for _, data := range decodeCases {
		f.Add(data)
	}
	f.Fuzz(checkSplit)
}

func checkSplit(t *testing.T, data string) {
	if !json.Valid([]byte(data)) {
		return // SplitRecords is for what a page's store holds: valid JSON
	}
	want, wantErr := DecodeRows([]byte(data))
	records, err := SplitRecords([]byte(data))
	if wantErr != nil && err == nil {
		// Valid JSON encoding/json cannot read (a number beyond float64's
		// range): only the record that holds it reads as an empty row.
		want, wantErr = eachRecord(records), nil
	}
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("SplitRecords(%q): error %v, DecodeRows's %v", data, err, wantErr)
	}
	if err != nil {
		return
	}
	if records.Len() != len(want) {
		t.Fatalf("SplitRecords(%q): %d rows, DecodeRows reads %d", data, records.Len(), len(want))
	}
	for i := records.Len() - 1; i >= 0; i-- { // last first: each row on its own
		if got := records.Row(i); !reflect.DeepEqual(got, want[i]) {
			t.Fatalf("SplitRecords(%q).Row(%d) = %#v, DecodeRows reads %#v", data, i, got, want[i])
		}
	}
	checkCells(t, data, records, want)
}

// checkCells checks that records show, sort and filter each column as the
// rows want do.
func checkCells(t *testing.T, data string, records *Records, want []Row) {
	t.Helper()
	ids := map[string]bool{"absent": true}
	for _, row := range want {
		for id := range row {
			ids[id] = true
		}
	}
	index, wantIndex := records.Index(), NewIndex(want)
	for id := range ids {
		for i, row := range want {
			if got := records.Text(i, id); got != Text(row[id]) {
				t.Fatalf("SplitRecords(%q).Text(%d, %q) = %q, want %q", data, i, id, got, Text(row[id]))
			}
		}
		for _, filter := range []string{"", "{" + id + "} contains 1", "{" + id + "} > 0", "{" + id + "} = a"} {
			sortBy := []Sort{{ColumnID: id, Direction: "desc"}}
			got, err := index.View(nil, filter, sortBy)
			wantView, wantErr := wantIndex.View(nil, filter, sortBy)
			if (err != nil) != (wantErr != nil) || !slices.Equal(got, wantView) {
				t.Fatalf("SplitRecords(%q): view %q by %q = %v, %v; the rows' is %v, %v", data, filter, id, got, err, wantView, wantErr)
			}
		}
	}
}

// eachRecord decodes each of records' records on its own with encoding/json:
// a record it cannot read is an empty row.
func eachRecord(records *Records) []Row {
	rows := make([]Row, records.Len())
	for i := range rows {
		if json.Unmarshal(records.data[records.starts[i]:records.ends[i]], &rows[i]) != nil {
			rows[i] = nil
		}
	}
	return rows
}

// A table's data is split, not decoded: a row is decoded when it is read,
// and DecodeNext decodes the rest in order, skipping those already read.
func TestRecordsAreDecodedWhenRead(t *testing.T) {
	records, err := SplitRecords(sensorData())
	if err != nil {
		t.Fatal(err)
	}
	decoded := records.Decoded
	if n := decoded(); n != 0 || records.Len() != 10000 {
		t.Fatalf("split: %d of %d rows decoded, want 0 of 10000", n, records.Len())
	}
	if row := records.Row(4); row["reading"] != 5.0 || decoded() != 1 {
		t.Fatalf("row 4 = %v, %d rows decoded; want reading 5, one row", row, decoded())
	}
	if pages := pagesMade(records); pages != 3 {
		t.Fatalf("one row read made %d pages of cells, want 3: one a column", pages)
	}
	if records.DecodeNext(4) || decoded() != 5 {
		t.Fatalf("DecodeNext(4) decoded %d rows in all, want 5 (rows 0-3 and the row read)", decoded())
	}
	if !records.DecodeNext(10000) || decoded() != 10000 {
		t.Fatalf("DecodeNext(10000): %d rows decoded", decoded())
	}
}

// pagesMade is how many pages of cells records has made.
func pagesMade(records *Records) int {
	n := 0
	for _, c := range records.columns {
		for _, page := range c.pages {
			if page != nil {
				n++
			}
		}
	}
	return n
}

func BenchmarkSplitRecords10000(b *testing.B) {
	data := sensorData()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := SplitRecords(data); err != nil {
			b.Fatal(err)
		}
	}
}

// Decoded, 10,000 rows are a few objects, not a map and its entries a row:
// the Go collector marks every object at each collection, and in the
// browser 50,000 of them made a collection inside a frame a long one.
func TestRecordsHoldRowsByColumn(t *testing.T) {
	data := sensorData()
	allocs := testing.AllocsPerRun(5, func() {
		records, err := SplitRecords(data)
		if err != nil || !records.DecodeNext(records.Len()) {
			t.Fatal("not decoded", err)
		}
	})
	if allocs > 1000 {
		t.Fatalf("splitting and decoding 10,000 rows made %v objects, want at most 1,000", allocs)
	}
}

// 10,000 rows split and decoded, as a table whose data has rested has them.
func BenchmarkDecodeRecords10000(b *testing.B) {
	data := sensorData()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		records, err := SplitRecords(data)
		if err != nil || !records.DecodeNext(records.Len()) {
			b.Fatal("not decoded", err)
		}
	}
}
