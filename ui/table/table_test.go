package table

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

var columns = []Column{{ID: "city", Name: "City"}, {ID: "pop", Name: "Population", Type: "numeric"}, {ID: "country", Name: "Country"}}

func rows(t *testing.T) []Row {
	t.Helper()
	var rs []Row
	err := json.Unmarshal([]byte(`[
		{"city": "Lyon", "pop": 522250, "country": "France"},
		{"city": "Basel", "pop": 173863, "country": "Switzerland"},
		{"city": "Paris", "pop": 2102650, "country": "France"},
		{"city": "Bern", "pop": 134794, "country": "Switzerland"},
		{"city": "Nowhere", "pop": null, "country": ""}
	]`), &rs)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestViewFiltersAndSorts(t *testing.T) {
	shared := NewIndex(rows(t))
	for _, c := range []struct {
		filter string
		sortBy []Sort
		want   []int
	}{
		{"{city} contains B", []Sort{{"country", "desc"}}, []int{1, 3}},
		{"", nil, []int{0, 1, 2, 3, 4}},
		{"", []Sort{{"pop", "asc"}}, []int{4, 3, 1, 0, 2}},
		{"", []Sort{{"pop", "desc"}}, []int{2, 0, 1, 3, 4}},
		{"", []Sort{{"country", "asc"}, {"city", "desc"}}, []int{4, 2, 0, 3, 1}},
		{"{country} = France", nil, []int{0, 2}},
		{"{country} = 'France' && {pop} > 600000", nil, []int{2}},
		{"{pop}>=173863 and {pop} lt 600000", nil, []int{0, 1}},
		{"{city} contains B", []Sort{{"city", "asc"}}, []int{1, 3}},
		{"{city} contains b", nil, nil},
		{"{city} icontains b", nil, []int{1, 3}},
		{`{country} != "France"`, nil, []int{1, 3, 4}},
		{"{pop} < 200000", nil, []int{1, 3, 4}}, // an empty cell is least, as in sorting
	} {
		got, err := View(rows(t), columns, c.filter, c.sortBy)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("View(%q, %v) = %v, %v; want %v", c.filter, c.sortBy, got, err, c.want)
		}
		// One index for every case, as a table keeps: the keys a filtered
		// view's sort made are every row's.
		got, err = shared.View(columns, c.filter, c.sortBy)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("an index's View(%q, %v) = %v, %v; want %v", c.filter, c.sortBy, got, err, c.want)
		}
	}
}

func TestBadFiltersNameTheirFault(t *testing.T) {
	for q, want := range map[string]string{
		"city = Lyon":        "starts with {column}",
		"{city = Lyon":       "no }",
		"{city} like Lyon":   `unknown operator "like"`,
		"{town} = Lyon":      `no column "town"`,
		"{pop} > 1 && {pop}": `unknown operator ""`,
	} {
		if _, err := View(rows(t), columns, q, nil); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("View(%q) = %v, want an error mentioning %q", q, err, want)
		}
	}
}

func TestPages(t *testing.T) {
	view := []int{9, 8, 7, 6, 5}
	for _, c := range []struct {
		current, size int
		want          []int
	}{
		{0, 2, []int{9, 8}}, {2, 2, []int{5}}, {3, 2, []int{}}, {-1, 2, []int{9, 8}}, {0, 0, view},
	} {
		if got := Page(view, c.current, c.size); !slices.Equal(got, c.want) {
			t.Errorf("Page(%d, %d) = %v, want %v", c.current, c.size, got, c.want)
		}
	}
	if Pages(5, 2) != 3 || Pages(4, 2) != 2 || Pages(0, 2) != 1 || Pages(5, 0) != 1 {
		t.Error("Pages miscounts")
	}
}

func TestColumnFilterWritesWhatParseFilterReads(t *testing.T) {
	for _, c := range []struct {
		col         Column
		typed, want string
	}{
		{columns[1], "> 500000", "{pop} > 500000"},
		{columns[1], "173863", "{pop} = 173863"},
		{columns[0], "ly", "{city} icontains ly"},
		{columns[0], "new york", "{city} icontains 'new york'"},
		{columns[0], "contains L", "{city} contains L"},
		{columns[0], "  ", ""},
	} {
		got := ColumnFilter(c.col, c.typed)
		if got != c.want {
			t.Errorf("ColumnFilter(%s, %q) = %q, want %q", c.col.ID, c.typed, got, c.want)
		}
		if _, err := ParseFilter(got, columns); err != nil {
			t.Errorf("ParseFilter(%q): %v", got, err)
		}
	}
	q := JoinFilters([]string{ColumnFilter(columns[2], "france"), "", ColumnFilter(columns[1], ">1000000")})
	if got, _ := View(rows(t), columns, q, nil); !slices.Equal(got, []int{2}) {
		t.Errorf("View(%q) = %v", q, got)
	}
}

func TestCompareReadsGoNumbersAsJSONOnes(t *testing.T) {
	if Compare(3, 2.5) <= 0 || Compare(int64(2), 2.0) != 0 || Compare("b", 1.0) <= 0 || Compare(nil, false) >= 0 {
		t.Error("Compare mixes Go and JSON numbers up")
	}
	if Text(2102650.0) != "2102650" || Text(nil) != "" || Text(0.5) != "0.5" {
		t.Error("Text writes numbers oddly")
	}
}

func BenchmarkViewSort10000(b *testing.B) {
	rs := make([]Row, 10000)
	for i := range rs {
		rs[i] = Row{"n": float64((i * 7919) % 10000), "s": strings.Repeat("x", i%17)}
	}
	for b.Loop() {
		View(rs, nil, "{n} > 100", []Sort{{"n", "desc"}})
	}
}

// A table's sort after the first: the keys are the index's.
func BenchmarkIndexViewSort10000(b *testing.B) {
	rs := make([]Row, 10000)
	for i := range rs {
		rs[i] = Row{"n": float64((i * 7919) % 10000), "s": strings.Repeat("x", i%17)}
	}
	index := NewIndex(rs)
	for b.Loop() {
		index.View(nil, "", []Sort{{"n", "desc"}})
	}
}

func TestWindowRendersTheRowsInViewAndTheOverscan(t *testing.T) {
	for _, c := range []struct {
		top, height float64
		n           int
		first, last int
	}{
		{0, 320, 10000, 0, 16},            // 10 in view, 1 partial, 5 after
		{3200, 320, 10000, 95, 116},       // row 100 at the top
		{319680, 320, 10000, 9985, 10000}, // the end
		{0, 320, 3, 0, 3},
		{0, 320, 0, 0, 0},
		{999999, 320, 10, 10, 10}, // scrolled past a table that shrank
	} {
		first, last := Window(c.top, c.height, 32, c.n, 5)
		if first != c.first || last != c.last {
			t.Errorf("Window(%v, %v, n=%d) = [%d, %d), want [%d, %d)", c.top, c.height, c.n, first, last, c.first, c.last)
		}
	}
}

func TestSortKeepsTheOrderOfEqualRowsBothWays(t *testing.T) {
	rs := []Row{{"k": 2.0}, {"k": "b"}, {"k": 1.0}, {"k": 2.0}, {"k": nil}, {"k": true}, {"k": 1.0}, {"k": "a"}}
	for dir, want := range map[string][]int{
		"asc":  {4, 5, 2, 6, 0, 3, 7, 1},
		"desc": {1, 7, 0, 3, 2, 6, 5, 4},
	} {
		if got, _ := View(rs, nil, "", []Sort{{"k", dir}}); !slices.Equal(got, want) {
			t.Errorf("sorted %s: %v, want %v", dir, got, want)
		}
	}
}

func TestSortOfManyEqualRowsKeepsTheirOrder(t *testing.T) {
	rs := make([]Row, 300)
	for i := range rs {
		rs[i] = Row{"k": float64(i * 7 % 3)}
	}
	got, _ := View(rs, nil, "", []Sort{{"k", "desc"}})
	for p := 1; p < len(got); p++ {
		a, b := rs[got[p-1]]["k"].(float64), rs[got[p]]["k"].(float64)
		if a < b || a == b && got[p-1] > got[p] {
			t.Fatalf("rows %d then %d: not sorted by k descending, ties in data order", got[p-1], got[p])
		}
	}
}
