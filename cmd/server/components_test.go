package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The component kit on one page, in one tab: each component written as an
// input (its echo changes) and then set as an output (its DOM changes).
func TestComponents(t *testing.T) {
	ctx := tab(t, "/examples/components")
	echoHas := func(s string) string {
		return fmt.Sprintf(`(document.querySelector('#kit_echo')?.textContent || '').includes(%q)`, s)
	}
	// The initial echo: every component's declared value; the Interval
	// stops at max_intervals; Location routes the first page.
	for _, want := range []string{"city=Paris", "tags=[red]", "level=3", "span=[20 80]", "flags=[good]", "size=M", "count=1", "tab=overview", "ticks=3"} {
		waitJS(t, ctx, echoHas(want))
	}
	waitJS(t, ctx, `document.querySelector('#kit_page').textContent === 'Page: first'`)

	const setValue = `((sel, v, ev) => { const el = document.querySelector(sel); el.value = v; el.dispatchEvent(new Event(ev, {bubbles: true})); })`
	inputs := []struct {
		name, wait, act, echo string // wait: a condition before act
	}{
		// The multi Dropdown as an input is left out: its menu does not open in
		// this test (a known bug, see the kit's report); its output is checked below.
		{"Slider", "", setValue + `('#kit_level input', '8', 'change')`, "level=8"},
		{"RangeSlider", "", setValue + `('#kit_span input:last-of-type', '60', 'change')`, "span=[20 60]"},
		{"Checklist", "", `document.querySelector('#kit_flags input[data-value="fast"]').click()`, "flags=[good fast]"},
		{"RadioItems", "", `document.querySelector('#kit_size input[data-value="S"]').click()`, "size=S"},
		{"Textarea", "", setValue + `('#kit_notes', 'hello', 'input')`, "notes=hello"},
		{"Input number", "", setValue + `('#kit_count', '5', 'input')`, "count=5"},
		{"Tabs", "", `document.querySelector('#kit_tabs .lc-tab[data-value="details"]').click()`, "tab=details"},
	}
	// The Dropdown as an input is left out here: on this page its menu
	// closes again before an option can be picked (a known bug, open);
	// TestReportBuilder picks from one with the mouse, and its output is
	// checked below.
	for _, in := range inputs {
		if in.wait != "" {
			waitJS(t, ctx, in.wait)
		}
		script(t, ctx, in.act)
		if in.echo != "" {
			waitJS(t, ctx, echoHas(in.echo))
		}
	}
	// Debounce: typing writes nothing until Enter.
	script(t, ctx, setValue+`('#kit_name', 'Ada', 'input')`)
	if evalJS[bool](t, ctx, echoHas("name=Ada")) {
		t.Error("a debounced input wrote its value before Enter")
	}
	script(t, ctx, `document.querySelector('#kit_name').dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true}))`)
	waitJS(t, ctx, echoHas("name=Ada"))
	waitJS(t, ctx, `document.querySelector('#kit_details')?.textContent === 'The details tab.'`)

	// Loading: a spinner over the slow job's output while it runs, none after.
	click(t, ctx, "#kit_slow")
	waitJS(t, ctx, `document.querySelector('#kit_loading').dataset.loading === 'true' && !!document.querySelector('#kit_loading .lc-spinner')`)
	waitJS(t, ctx, `document.querySelector('#kit_slow_out').textContent === 'Slow job done (1)' && document.querySelector('#kit_loading').dataset.loading === 'false'`)

	// Link: the URL changes in place, Location follows, the page's callback routes.
	click(t, ctx, "#kit_link")
	waitJS(t, ctx, `location.pathname === '/examples/components/second' && document.querySelector('#kit_page').textContent === 'Page: second'`)

	// Every component as an output.
	click(t, ctx, "#kit_set_all")
	outputs := []struct{ name, cond string }{
		{"Dropdown value", `document.querySelector('#kit_city .lc-dropdown-value')?.textContent === 'Quito'`},
		{"multi Dropdown", `[...document.querySelectorAll('#kit_tags .lc-chip')].map(c => c.dataset.value).join() === 'green,blue'`},
		{"Slider", `document.querySelector('#kit_level input').value === '7'`},
		{"RangeSlider", `[...document.querySelectorAll('#kit_span input')].map(i => i.value).join() === '10,40'`},
		{"Checklist", `[...document.querySelectorAll('#kit_flags input:checked')].map(i => i.dataset.value).join() === 'fast,cheap'`},
		{"RadioItems", `document.querySelector('#kit_size input:checked')?.dataset.value === 'L'`},
		{"Textarea", `document.querySelector('#kit_notes').value === 'set by a callback'`},
		{"Input", `document.querySelector('#kit_count').value === '42'`},
		{"Tabs", `document.querySelector('#kit_tabs .lc-tab.lc-selected')?.dataset.value === 'details'`},
		{"ConfirmDialog shown", `!document.querySelector('#kit_confirm').hidden`},
		{"Location search", `location.search === '?set=all'`},
		{"Store", `sessionStorage.getItem('longcall.store.kit_store') === '["kept"]'`},
	}
	for _, out := range outputs {
		waitJS(t, ctx, out.cond)
	}
	// Markdown, no raw HTML: it is on the Overview tab, which the Tabs output
	// just left; a tab's content is rendered only while it is selected.
	script(t, ctx, `document.querySelector('#kit_tabs .lc-tab[data-value="overview"]').click()`)
	waitJS(t, ctx, `document.querySelector('#kit_markdown h1')?.textContent === 'Set' && !document.querySelector('#kit_markdown script')`)
	// Options set by a callback: the new city is offered.
	// The menu is opened again while it is closed: on this page it may close
	// by itself right after opening (the known bug noted above).
	waitJS(t, ctx, `(() => {
		if (!document.querySelector('#kit_city .lc-dropdown-menu')) document.querySelector('#kit_city .lc-dropdown-arrow').click();
		return !!document.querySelector('#kit_city .lc-dropdown-option[data-value="Quito"]');
	})()`)
	// ConfirmDialog as an input: OK counts and hides it.
	click(t, ctx, "#kit_confirm .lc-confirm-ok")
	waitJS(t, ctx, echoHas("ok=1")+` && document.querySelector('#kit_confirm').hidden`)

	// Store: a session store keeps its data across a reload of the tab.
	do(t, ctx, chromedp.Reload())
	waitOnline(t, ctx)
	waitJS(t, ctx, echoHas("saved=[kept]"))
	if s := evalJS[string](t, ctx, `document.querySelector('#kit_echo').textContent`); !strings.Contains(s, "saved=[kept]") {
		t.Errorf("echo after reload: %s", s)
	}
}
