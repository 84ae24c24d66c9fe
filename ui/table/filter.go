package table

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
)

// Filter is a parsed filter_query: terms that must all hold.
type Filter struct{ terms []term }

type term struct {
	column string
	op     string // one of ops' values
	value  string
	num    float64
	isNum  bool
}

// ops maps the operators of Dash's filter_query this subset reads to their
// canonical names.
var ops = map[string]string{
	"=": "eq", "eq": "eq", "!=": "ne", "ne": "ne",
	"<": "lt", "lt": "lt", "<=": "le", "le": "le",
	">": "gt", "gt": "gt", ">=": "ge", "ge": "ge",
	"contains": "contains", "icontains": "icontains",
}

// ParseFilter reads a filter_query in the subset of Dash's syntax that the
// table's filter row writes: terms "{column} op value" joined by "&&" (or
// "and"), op one of = != < <= > >= (or eq ne lt le gt ge), contains and
// icontains; a value is a number, a 'quoted' or "quoted" string, or a bare
// word. "" matches every row. Columns, when not nil, are the ids a term
// may name. An error names what it could not read.
func ParseFilter(query string, columns []Column) (Filter, error) {
	var f Filter
	query = strings.TrimSpace(query)
	if query == "" {
		return f, nil
	}
	for _, part := range splitAnd(query) {
		t, err := parseTerm(strings.TrimSpace(part))
		if err == nil && columns != nil && !hasColumn(columns, t.column) {
			err = fmt.Errorf("no column %q", t.column)
		}
		if err != nil {
			return Filter{}, fmt.Errorf("filter_query %q: %w", query, err)
		}
		f.terms = append(f.terms, t)
	}
	return f, nil
}

func hasColumn(columns []Column, id string) bool {
	for _, c := range columns {
		if c.ID == id {
			return true
		}
	}
	return false
}

func splitAnd(q string) []string {
	q = strings.ReplaceAll(q, " and ", " && ")
	return strings.Split(q, "&&")
}

func parseTerm(s string) (term, error) {
	if !strings.HasPrefix(s, "{") {
		return term{}, fmt.Errorf("%q: a term starts with {column}", s)
	}
	end := strings.IndexByte(s, '}')
	if end < 0 {
		return term{}, fmt.Errorf("%q: no } after the column", s)
	}
	t := term{column: s[1:end]}
	rest := strings.TrimSpace(s[end+1:])
	op, value, _ := strings.Cut(rest, " ")
	// Symbols may touch their value: "{pop}>5".
	for _, sym := range []string{"<=", ">=", "!=", "=", "<", ">"} {
		if strings.HasPrefix(rest, sym) {
			op, value = sym, rest[len(sym):]
			break
		}
	}
	canon, ok := ops[op]
	if !ok {
		return term{}, fmt.Errorf("%q: unknown operator %q", s, op)
	}
	t.op = canon
	t.value = unquote(strings.TrimSpace(value))
	t.num, t.isNum = parseNumber(t.value)
	return t, nil
}

func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '\'' || v[0] == '"') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	return v
}

func parseNumber(v string) (float64, bool) {
	f, err := strconv.ParseFloat(v, 64)
	return f, err == nil
}

// Match reports whether r passes every term.
func (f Filter) Match(r Row) bool {
	for _, t := range f.terms {
		if !t.match(keyOf(r[t.column])) {
			return false
		}
	}
	return true
}

// match reports whether a cell, by its key, passes the term.
func (t term) match(cell sortKey) bool {
	switch t.op {
	case "contains":
		return strings.Contains(cell.str(), t.value)
	case "icontains":
		return strings.Contains(strings.ToLower(cell.str()), strings.ToLower(t.value))
	}
	c := t.compare(cell)
	switch t.op {
	case "eq":
		return c == 0
	case "ne":
		return c != 0
	case "lt":
		return c < 0
	case "le":
		return c <= 0
	case "gt":
		return c > 0
	default: // ge
		return c >= 0
	}
}

// compare orders the cell against the term's value: as numbers when both
// are, else as text.
func (t term) compare(cell sortKey) int {
	if cell.rank == rankNumber && t.isNum {
		return cmp.Compare(cell.num, t.num)
	}
	return textKey(cell.str()).compare(textKey(t.value))
}

// ColumnFilter turns what a user typed in a column's filter box into a
// term, as dash_table's filter row does: "> 5" or "contains x" keep their
// operator; a bare value is = in a numeric column and contains in a text
// one. "" is no term.
func ColumnFilter(c Column, typed string) string {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return ""
	}
	head := "{" + c.ID + "} "
	for _, sym := range []string{"<=", ">=", "!=", "=", "<", ">"} {
		if strings.HasPrefix(typed, sym) {
			return head + sym + " " + quote(strings.TrimSpace(typed[len(sym):]))
		}
	}
	if op, v, ok := strings.Cut(typed, " "); ok && ops[op] != "" {
		return head + op + " " + quote(strings.TrimSpace(v))
	}
	if _, isNum := parseNumber(typed); isNum && c.Type == "numeric" {
		return head + "= " + typed
	}
	return head + "icontains " + quote(typed)
}

func quote(v string) string {
	if _, isNum := parseNumber(v); isNum || !strings.ContainsAny(v, " &\"'") {
		return v
	}
	if strings.Contains(v, "'") {
		return `"` + v + `"`
	}
	return "'" + v + "'"
}

// JoinFilters joins column terms into one filter_query.
func JoinFilters(terms []string) string {
	var kept []string
	for _, t := range terms {
		if t != "" {
			kept = append(kept, t)
		}
	}
	return strings.Join(kept, " && ")
}
