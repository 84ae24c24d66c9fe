package main

import (
	"fmt"
	"testing"
)

// Running, Progress and Cancel given by pattern, in the page: a row's job
// disables its own button, fills its own bar, and only its own Stop ends it.
func TestPatternBindings(t *testing.T) { onEachDeployment(t, patternBindings) }

func patternBindings(t *testing.T, tab tabber) {
	ctx := tab(t, "/examples/patterns")
	click(t, ctx, "#add_row")
	click(t, ctx, "#add_row")
	row := func(kind string, i int) string { return byID(fmt.Sprintf(`{"index":%d,"type":%q}`, i, kind)) }
	waitJS(t, ctx, row("run", 2)+` !== null`)

	script(t, ctx, row("run", 1)+`.click()`)
	waitJS(t, ctx, row("run", 1)+`.disabled && !`+row("stop", 1)+`.disabled`)
	waitJS(t, ctx, row("bar", 1)+`.value > 0`)
	if busy := evalJS[bool](t, ctx, row("run", 2)+`.disabled || `+row("bar", 2)+`.value > 0`); busy {
		t.Fatal("row 2, not running, shows row 1's job")
	}

	script(t, ctx, row("stop", 1)+`.click()`)
	waitJS(t, ctx, `!`+row("run", 1)+`.disabled && `+row("stop", 1)+`.disabled && `+row("bar", 1)+`.value === 0`)
	script(t, ctx, row("run", 2)+`.click()`)
	waitJS(t, ctx, row("out", 2)+`.textContent === '2² = 4'`)
	if got := evalJS[string](t, ctx, row("out", 1)+`.textContent`); got != "Not run" {
		t.Fatalf("the cancelled row's output is %q", got)
	}
}
