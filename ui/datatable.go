package ui

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/ui/table"
)

var dataTableKind = Register(Kind{
	Name:    "DataTable",
	Outputs: []string{"columns", "data", "page_size", "sort_action", "filter_action", "row_selectable", "style_table"},
	Inputs:  []string{"sort_by", "filter_query", "page_current", "selected_rows", "active_cell"},
	Render:  renderDataTable,
	Mount: func(ctx app.Context, b *Bound) {
		s := stateOf(b)
		scrolled := func() {
			s.top, s.height = s.pool.viewport()
			paintRows(b)
		}
		s.pool.attach(ctx.JSSrc(), scrolled)
		s.decoder.stopped = false
		scrolled()
	},
	Changed: func(_ app.Context, b *Bound) { paintRows(b) },
	Dismount: func(b *Bound) {
		s := stateOf(b)
		s.pool.detach()
		s.decoder.stop()
	},
})

// DataTableElem is a bound table, as Dash's dash_table.DataTable. Props:
// columns ([]table.Column), data ([]table.Row), sort_action and
// filter_action ("native": the browser sorts and filters; "custom": only
// sort_by and filter_query are written, for a callback to act on; "none",
// the default), sort_by, filter_query (table.ParseFilter's subset),
// page_size and page_current (0: one page, scrolled virtually: only the
// rows in view are in the DOM, so 10,000 rows scroll as 40 do),
// row_selectable ("single" or "multi") and selected_rows (indices into
// data), active_cell (the cell last clicked), style_table (the scrolling
// box's style; its height defaults to 400px), and the common ones.
type DataTableElem struct{ elem[DataTableElem] }

// DataTable returns a bound table.
func DataTable(id string) *DataTableElem {
	t := new(DataTableElem)
	return t.init(t, dataTableKind, id, nil)
}

// Columns declares the columns.
func (t *DataTableElem) Columns(cs ...table.Column) *DataTableElem { return t.With("columns", cs) }

// Data declares the rows.
func (t *DataTableElem) Data(rows []table.Row) *DataTableElem { return t.With("data", rows) }

// Native lets the browser sort and filter, as sort_action and
// filter_action "native".
func (t *DataTableElem) Native() *DataTableElem {
	return t.With("sort_action", "native").With("filter_action", "native")
}

// PageSize shows pages of n rows instead of one scrolled page.
func (t *DataTableElem) PageSize(n int) *DataTableElem { return t.With("page_size", n) }

// RowSelectable declares "single" or "multi" row selection.
func (t *DataTableElem) RowSelectable(kind string) *DataTableElem {
	return t.With("row_selectable", kind)
}

// rowHeight is every row's height in pixels (web/app.css sets it): fixed,
// so that the scroll position alone says which rows are in view.
const rowHeight = 33

// overscan is how many rows beyond the view are rendered either side.
const overscan = 10

// tableState is what a table keeps outside the store: its data and view,
// cached while the props they come from stay the same (decoding and sorting
// 10,000 rows at every scroll would be the whole cost), its scroll
// position, and what was typed in the filter boxes.
type tableState struct {
	dataKey *byte          // the data prop's JSON, by identity: the store keeps a value until it changes
	data    *table.Records // decoded as they are read (datatable_decode.go)
	decoder rowDecoder
	index   *table.Index // every row, decoded, for filtering and sorting: made by the first view that does
	texts   [][]string   // each row's cells as shown, by column, made the first time the row is
	textsOf string       // the columns texts was made for
	viewKey string       // the props' viewKey the view was made for
	view    []int
	viewErr error
	top     float64
	height  float64
	typed   map[string]string
	// The props, decoded (see props).
	propsOf   tableProps
	propsKey  tablePropsKey
	propsRead bool
	// The rows in the browser's DOM (datatable_rows.go).
	pool rowPool
	// The rows' handlers, on the table's body rather than on each cell: a
	// handler on a cell is a map and an entry made at every render of every
	// row in view, a quarter of what a scrolled frame allocated. They find
	// the row and column from the event's target (see cellOf).
	onCell, onSelect app.EventHandler
}

func stateOf(b *Bound) *tableState {
	s, _ := b.Local("table").(*tableState)
	if s == nil {
		s = &tableState{height: 400, typed: map[string]string{}, data: table.RecordsOf(nil)}
		s.onCell = func(ctx app.Context, e app.Event) {
			p := s.props(b)
			if row, col, ok := cellOf(e, p); ok {
				b.Set("active_cell", table.Cell{Row: row, Column: col, ColumnID: p.columns[col].ID})
			}
		}
		s.onSelect = func(ctx app.Context, e app.Event) {
			if box := e.Get("target").Call("closest", "td.lc-table-select"); box.Truthy() {
				s.pool.forgetBoxes()
				b.Set("selected_rows", toggle(s.props(b), rowOf(box)))
			}
		}
		b.SetLocal("table", s)
	}
	return s
}

// keepTexts readies the cells' texts for columns: made again when the
// columns or the data change.
func (s *tableState) keepTexts(columns []table.Column) {
	key := ""
	for _, c := range columns {
		key += c.ID + "\x00"
	}
	if key != s.textsOf || len(s.texts) != s.data.Len() {
		s.texts, s.textsOf = make([][]string, s.data.Len()), key
	}
}

// cellTexts is row i's cells as shown, by column: formatted the first time
// the row is rendered, so that scrolling back and forth formats nothing.
func (s *tableState) cellTexts(columns []table.Column, i int) []string {
	if s.texts[i] == nil {
		texts := make([]string, len(columns))
		for ci, c := range columns {
			texts[ci] = s.data.Text(i, c.ID)
		}
		s.texts[i] = texts
	}
	return s.texts[i]
}

// tableProps are a table's props, decoded once a render.
type tableProps struct {
	columns    []table.Column
	sortBy     []table.Sort
	filter     string
	selectable string
	selected   []int
	active     *table.Cell
	native     struct{ sort, filter bool }
	sortable   bool
	filterable bool
	styleTable Style
	// The filter and sort the table applies itself (native), and their key:
	// the view is made again when it changes.
	viewFilter string
	viewSort   []table.Sort
	viewKey    string
}

// tablePropNames are the props readTableProps reads.
var tablePropNames = [...]string{"columns", "sort_by", "filter_query", "row_selectable", "selected_rows",
	"active_cell", "sort_action", "filter_action", "style_table"}

// tablePropsKey tells one set of the props from another by their JSON's
// identity, as dataKey does the data's.
type tablePropsKey [len(tablePropNames)]*byte

// props are the table's props, decoded again only when one changed: a
// scroll decodes nothing. Decoding them (by reflection) at every scrolled
// frame kept encoding/json's decoder hot, and V8 compiling it again,
// optimised, in the frames of a fresh page's first scroll.
func (s *tableState) props(b *Bound) tableProps {
	var key tablePropsKey
	for i, name := range tablePropNames {
		if raw := b.Raw(name); len(raw) > 0 {
			key[i] = &raw[0]
		}
	}
	if !s.propsRead || key != s.propsKey {
		s.propsOf, s.propsKey, s.propsRead = readTableProps(b), key, true
	}
	return s.propsOf
}

func readTableProps(b *Bound) tableProps {
	var p tableProps
	b.Decode("columns", &p.columns)
	b.Decode("sort_by", &p.sortBy)
	p.filter = b.String("filter_query")
	p.selectable = b.String("row_selectable")
	b.Decode("selected_rows", &p.selected)
	var c table.Cell
	if b.Decode("active_cell", &c) {
		p.active = &c
	}
	p.native.sort = b.String("sort_action") == "native"
	p.native.filter = b.String("filter_action") == "native"
	p.sortable = p.native.sort || b.String("sort_action") == "custom"
	p.filterable = p.native.filter || b.String("filter_action") == "custom"
	b.Decode("style_table", &p.styleTable)
	if p.native.filter {
		p.viewFilter = p.filter
	}
	if p.native.sort {
		p.viewSort = p.sortBy
	}
	sortKey, _ := json.Marshal(p.viewSort)
	p.viewKey = p.viewFilter + "\x00" + string(sortKey)
	return p
}

// viewOf returns the indices of the rows to show, in order, from the cache
// while data, filter and sort are unchanged.
func viewOf(b *Bound, s *tableState, p tableProps) ([]int, error) {
	raw := b.Raw("data")
	var key *byte
	if len(raw) > 0 {
		key = &raw[0]
	}
	if key != s.dataKey {
		s.data, s.texts, s.index = table.RecordsOf(nil), nil, nil
		if len(raw) > 0 {
			if data, err := table.SplitRecords(raw); err == nil { // data that is not rows shows none
				s.data = data
			}
		}
		s.dataKey, s.viewKey = key, "\xff" // no props' view key
		s.decodeWhenRested()
	}
	if p.viewKey != s.viewKey {
		s.view, s.viewErr = s.viewNow(p)
		s.viewKey = p.viewKey
	}
	return s.view, s.viewErr
}

// viewNow makes the view: every row in order, unless the table filters or
// sorts, which reads every row.
func (s *tableState) viewNow(p tableProps) ([]int, error) {
	if p.viewFilter == "" && len(p.viewSort) == 0 {
		view := make([]int, s.data.Len())
		for i := range view {
			view[i] = i
		}
		return view, nil
	}
	if s.index == nil {
		s.index = s.data.Index()
	}
	return s.index.View(p.columns, p.viewFilter, p.viewSort)
}

func renderDataTable(b *Bound) app.UI {
	s := stateOf(b)
	p := s.props(b)
	view, err := viewOf(b, s, p)
	pageSize := b.Int("page_size")
	body := app.TBody().OnClick(s.onCell).OnChange(s.onSelect)
	if !app.IsClient {
		body = body.Body(serverRows(b, s, p, view)...)
	}

	// contain: what changes in the table as it scrolls is laid out and
	// painted within its box, not with the page's (a chart beside it).
	scroll := app.Div().Class("lc-table-scroll").
		Style("overflow", "auto").Style("height", "400px").Style("contain", "content")
	for _, k := range slices.Sorted(maps.Keys(p.styleTable)) {
		if v, ok := cssValue(k, p.styleTable[k]); ok {
			scroll = scroll.Style(cssName(k), "%s", v)
		}
	}
	tbl := app.Table()
	if pageSize == 0 {
		// Columns as wide as the header makes them, not as the rows in view
		// do: they would change width as the table scrolls, and laying a
		// table out from its cells' contents is most of a scrolled frame's
		// layout.
		tbl = tbl.Style("table-layout", "fixed")
	}
	return Decorate(b, app.Div(), "lc-table").Body(
		scroll.Body(tbl.Body(
			app.THead().Body(headerRow(b, p), filterRow(b, s, p)),
			body,
		)),
		app.If(err != nil, func() app.UI {
			return app.P().Class("lc-table-error").Attr("role", "alert").Text(fmt.Sprint(err))
		}),
		app.If(pageSize > 0, func() app.UI { return pager(b, len(view), pageSize) }),
	)
}

// paintRows writes the rows in view into the table's body, in the browser,
// once the table is on the page.
func paintRows(b *Bound) {
	s := stateOf(b)
	if s.pool.body == nil {
		return
	}
	p := s.props(b)
	view, _ := viewOf(b, s, p)
	s.keepTexts(p.columns)
	rows, before, after := s.rowsInView(b, view)
	s.pool.paint(s, &p, rows, before, after)
}

// rowsInView returns the rows of view to show, in order, and how many of
// the rows before and after them are out of the DOM: those of the page, or
// those in the scroll box's view and overscan more either side.
func (s *tableState) rowsInView(b *Bound, view []int) (rows []int, before, after int) {
	if size := b.Int("page_size"); size > 0 {
		return table.Page(view, b.Int("page_current"), size), 0, 0
	}
	first, last := table.Window(s.top, s.height, rowHeight, len(view), overscan)
	return view[first:last], first, len(view) - last
}

// serverRows are the rows in view as go-app nodes, for the page the server
// renders: in the browser the pool writes them.
func serverRows(b *Bound, s *tableState, p tableProps, view []int) []app.UI {
	s.keepTexts(p.columns)
	rows, before, after := s.rowsInView(b, view)
	body := make([]app.UI, 0, len(rows)+2)
	body = append(body, spacerRow(before))
	for _, i := range rows {
		body = append(body, dataRow(p, s.cellTexts(p.columns, i), i))
	}
	return append(body, spacerRow(after))
}

// spacerRow stands for n rows out of view, so that the scrollbar is the
// whole table's.
func spacerRow(n int) app.UI {
	if n <= 0 {
		return nil
	}
	return app.Tr().Class("lc-table-spacer").Style("height", fmt.Sprintf("%dpx", n*rowHeight))
}

func headerRow(b *Bound, p tableProps) app.UI {
	cells := make([]app.UI, 0, len(p.columns)+1)
	if p.selectable != "" {
		// Its width, for a fixed layout: the others share what is left.
		cells = append(cells, app.Th().Class("lc-table-select").Style("width", "2.5rem"))
	}
	for _, c := range p.columns {
		th := app.Th().Attr("data-column", c.ID).Text(c.Name + sortMark(p.sortBy, c.ID))
		if p.sortable {
			th = th.Class("lc-table-sortable").OnClick(func(ctx app.Context, e app.Event) {
				// Read now, not from this render: go-app keeps a position's
				// first handler, with what it captured.
				now := stateOf(b).props(b)
				b.Set("sort_by", nextSort(now.sortBy, ctx.JSSrc().Get("dataset").Get("column").String()))
			})
		}
		cells = append(cells, th)
	}
	return app.Tr().Body(cells...)
}

func sortMark(sortBy []table.Sort, id string) string {
	for _, s := range sortBy {
		if s.ColumnID == id {
			if s.Direction == "desc" {
				return " ▼"
			}
			return " ▲"
		}
	}
	return ""
}

// nextSort cycles a column through ascending, descending and unsorted, as
// dash_table's single-column sort does.
func nextSort(sortBy []table.Sort, id string) []table.Sort {
	for _, s := range sortBy {
		if s.ColumnID == id {
			if s.Direction == "asc" {
				return []table.Sort{{ColumnID: id, Direction: "desc"}}
			}
			return []table.Sort{}
		}
	}
	return []table.Sort{{ColumnID: id, Direction: "asc"}}
}

func filterRow(b *Bound, s *tableState, p tableProps) app.UI {
	if !p.filterable {
		return nil
	}
	cells := make([]app.UI, 0, len(p.columns)+1)
	if p.selectable != "" {
		cells = append(cells, app.Th())
	}
	for _, c := range p.columns {
		cells = append(cells, app.Th().Body(app.Input().Class("lc-table-filter").
			Attr("data-column", c.ID).
			Placeholder("filter…").
			Value(s.typed[c.ID]).
			OnChange(func(ctx app.Context, e app.Event) {
				el := ctx.JSSrc()
				s.typed[el.Get("dataset").Get("column").String()] = el.Get("value").String()
				b.Set("filter_query", filterQuery(s.props(b).columns, s.typed))
				b.Set("page_current", 0)
			})))
	}
	return app.Tr().Class("lc-table-filters").Body(cells...)
}

func filterQuery(columns []table.Column, typed map[string]string) string {
	terms := make([]string, len(columns))
	for i, c := range columns {
		terms[i] = table.ColumnFilter(c, typed[c.ID])
	}
	return table.JoinFilters(terms)
}

func dataRow(p tableProps, texts []string, i int) app.UI {
	cells := make([]app.UI, 0, len(p.columns)+1)
	selected := slices.Contains(p.selected, i)
	if p.selectable != "" {
		kind := "checkbox"
		if p.selectable == "single" {
			kind = "radio"
		}
		cells = append(cells, app.Td().Class("lc-table-select").Body(app.Input().Type(kind).Checked(selected)))
	}
	for ci, c := range p.columns {
		td := app.Td().Text(texts[ci])
		if p.active != nil && p.active.Row == i && p.active.ColumnID == c.ID {
			td = td.Class("lc-table-active")
		}
		cells = append(cells, td)
	}
	// Its height, rowHeight, is web/app.css's: one rule, not an attribute a row.
	tr := app.Tr().Attr("data-row", i)
	if selected {
		tr = tr.Class("lc-table-selected")
	}
	return tr.Body(cells...)
}

// cellOf is the data row and column of the cell an event's target is in,
// if it is a data cell (not a row's box). It reads the DOM as it is: a
// row scrolled into view reuses another's element.
func cellOf(e app.Event, p tableProps) (row, col int, ok bool) {
	td := e.Get("target").Call("closest", "td")
	if !td.Truthy() || td.Get("classList").Call("contains", "lc-table-select").Bool() {
		return 0, 0, false
	}
	col = td.Get("cellIndex").Int()
	if p.selectable != "" {
		col-- // the box's cell comes first
	}
	if col < 0 || col >= len(p.columns) {
		return 0, 0, false
	}
	return rowOf(td), col, true
}

// rowOf is the data row of a cell or of an element in one: its row's data-row.
func rowOf(el app.Value) int {
	n, _ := strconv.Atoi(el.Call("closest", "tr").Get("dataset").Get("row").String())
	return n
}

// toggle is selected_rows after a click on row i's box.
func toggle(p tableProps, i int) []int {
	if p.selectable == "single" {
		return []int{i}
	}
	if k := slices.Index(p.selected, i); k >= 0 {
		return slices.Delete(slices.Clone(p.selected), k, k+1)
	}
	return append(slices.Clone(p.selected), i)
}

func pager(b *Bound, n, size int) app.UI {
	pages := table.Pages(n, size)
	current := min(b.Int("page_current"), pages-1)
	return app.Div().Class("lc-table-pager").Body(
		app.Button().Class("lc-table-prev").Disabled(current <= 0).Text("‹ Previous").
			OnClick(func(app.Context, app.Event) { b.Set("page_current", max(b.Int("page_current")-1, 0)) }),
		app.Span().Text(fmt.Sprintf("Page %d of %d", current+1, pages)),
		app.Button().Class("lc-table-next").Disabled(current >= pages-1).Text("Next ›").
			OnClick(func(app.Context, app.Event) {
				b.Set("page_current", min(b.Int("page_current")+1, table.Pages(len(stateOf(b).view), b.Int("page_size"))-1))
			}),
	)
}
