package ui

import (
	"strconv"
	"testing"

	"github.com/longcall/longcall/ui/table"
)

// A table of 10,000 rows decodes the rows it shows, not the others, until a
// sort reads them all (in the browser, the idle periods decode them first:
// datatable_decode.go).
func TestDataTableDecodesTheRowsItShows(t *testing.T) {
	rows := make([]table.Row, 10000)
	for i := range rows {
		rows[i] = table.Row{"n": float64(i), "name": "row " + strconv.Itoa(i)}
	}
	tbl := DataTable("big").Columns(table.Column{ID: "n", Name: "N"}, table.Column{ID: "name", Name: "Name"}).Data(rows).Native()
	b := &tbl.bound
	renderDataTable(b)
	s := stateOf(b)
	if s.data.Len() != 10000 || s.data.Decoded() > 50 {
		t.Fatalf("rendered: %d of %d rows decoded, want those in view", s.data.Decoded(), s.data.Len())
	}
	b.With("sort_by", []table.Sort{{ColumnID: "n", Direction: "desc"}})
	renderDataTable(b)
	if s.data.Decoded() != 10000 || len(s.view) != 10000 || s.view[0] != 9999 {
		t.Fatalf("sorted: %d rows decoded, view starts %v, want all and 9999 first", s.data.Decoded(), s.view[:1])
	}
}
