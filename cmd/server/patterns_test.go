package main

import (
	"fmt"
	"testing"
)

// byID selects an element by a dict id, which CSS selectors cannot spell.
func byID(id string) string { return fmt.Sprintf("document.getElementById(%q)", id) }

func TestAddedLayoutAndPatternMatching(t *testing.T) {
	onEachDeployment(t, addedLayoutAndPatternMatching)
}

func addedLayoutAndPatternMatching(t *testing.T, tab tabber) {
	ctx := tab(t, "/examples/patterns")
	waitText(t, ctx, "#rows_total", "0 rows, sum 0")
	for range 3 {
		click(t, ctx, "#add_row")
	}
	// The added inputs take part at once: ALL sums every row.
	waitText(t, ctx, "#rows_total", "3 rows, sum 6")

	run := func(i int) string { return byID(fmt.Sprintf(`{"index":%d,"type":"run"}`, i)) }
	out := func(i int) string { return byID(fmt.Sprintf(`{"index":%d,"type":"out"}`, i)) }
	script(t, ctx, run(1)+`.click(); `+run(3)+`.click()`)
	// MATCH: both rows' jobs run side by side; neither cancels the other.
	waitJS(t, ctx, out(1)+`.textContent === '1² = 1' && `+out(3)+`.textContent === '3² = 9'`)
	if got := evalJS[string](t, ctx, out(2)+`.textContent`); got != "Not run" {
		t.Fatalf("row 2, never clicked, shows %q", got)
	}
}
