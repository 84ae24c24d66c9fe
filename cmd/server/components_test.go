package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
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
	// The declared Markdown: the server's rendering leaves its raw HTML out,
	// markdown-it's shows it as text, so this is the browser's.
	waitJS(t, ctx, `document.querySelector('#kit_markdown strong')?.textContent === 'Markdown' && document.querySelector('#kit_markdown code')?.textContent === 'code' && document.querySelector('#kit_markdown').textContent.includes('<b>no raw HTML</b>') && !document.querySelector('#kit_markdown b')`)

	const setValue = `((sel, v, ev) => { const el = document.querySelector(sel); el.value = v; el.dispatchEvent(new Event(ev, {bubbles: true})); })`
	inputs := []struct {
		name, wait, act, echo string // wait: a condition before act
	}{
		{"Slider", "", setValue + `('#kit_level input', '8', 'change')`, "level=8"},
		{"RangeSlider", "", setValue + `('#kit_span input:last-of-type', '60', 'change')`, "span=[20 60]"},
		{"Checklist", "", `document.querySelector('#kit_flags input[data-value="fast"]').click()`, "flags=[good fast]"},
		{"RadioItems", "", `document.querySelector('#kit_size input[data-value="S"]').click()`, "size=S"},
		{"Textarea", "", setValue + `('#kit_notes', 'hello', 'input')`, "notes=hello"},
		{"Input number", "", setValue + `('#kit_count', '5', 'input')`, "count=5"},
		{"Input date", "", setValue + `('#kit_when', '2026-12-24', 'input')`, "when=2026-12-24"},
		{"Input range", "", setValue + `('#kit_volume', '6', 'input')`, "volume=6"},
		{"Tabs", "", `document.querySelector('#kit_tabs .lc-tab[data-value="details"]').click()`, "tab=details"},
	}
	pickFromDropdowns(t, ctx, echoHas)
	for _, in := range inputs {
		if in.wait != "" {
			waitJS(t, ctx, in.wait)
		}
		script(t, ctx, in.act)
		if in.echo != "" {
			waitJS(t, ctx, echoHas(in.echo))
		}
	}
	// DataTable pages as an input: each click reads page_current as it is
	// then (a handler kept from the first render went to the second page
	// only).
	script(t, ctx, `document.querySelector('#kit_tabs .lc-tab[data-value="table"]').click()`)
	waitJS(t, ctx, echoHas("tab=table"))
	const tableCells = `[...document.querySelectorAll('#kit_table tbody tr[data-row] td')].map(c => c.textContent).join()`
	for _, step := range []struct{ button, page, cells string }{
		{"next", "page=1", "3,4"}, {"next", "page=2", "5,6"}, {"prev", "page=1", "3,4"}, {"next", "page=2", "5,6"},
	} {
		click(t, ctx, "#kit_table .lc-table-"+step.button)
		waitJS(t, ctx, echoHas(step.page)+` && `+tableCells+` === '`+step.cells+`'`)
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
	// An observer records the spinner, so that a loaded machine that polls
	// late cannot miss it.
	script(t, ctx, `window.sawSpinner = false;
		new MutationObserver(() => { if (document.querySelector('#kit_loading[data-loading="true"] .lc-spinner')) window.sawSpinner = true; })
			.observe(document.querySelector('#kit_loading'), {attributes: true, childList: true, subtree: true})`)
	click(t, ctx, "#kit_slow")
	waitJS(t, ctx, `window.sawSpinner`)
	waitJS(t, ctx, `document.querySelector('#kit_slow_out').textContent === 'Slow job done (1)' && document.querySelector('#kit_loading').dataset.loading === 'false' && !document.querySelector('#kit_loading .lc-spinner')`)

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
		{"Input date", `document.querySelector('#kit_when').value === '2027-01-01'`},
		{"Input range", `document.querySelector('#kit_volume').value === '9'`},
		{"DataTable page_current", `document.querySelector('#kit_table .lc-table-pager span').textContent === 'Page 2 of 4' && ` + tableCells + ` === '3,4'`},
		{"Interval max_intervals", echoHas("ticks=5")},
		{"Link href", `document.querySelector('#kit_link').getAttribute('href') === '/examples/components/third'`},
		{"Tabs", `document.querySelector('#kit_tabs .lc-tab.lc-selected')?.dataset.value === 'details'`},
		{"ConfirmDialog shown", `!document.querySelector('#kit_confirm').hidden`},
		{"Location search", `location.search === '?set=all'`},
		{"Store", `sessionStorage.getItem('longcall.store.kit_store') === '["kept"]'`},
	}
	for _, out := range outputs {
		waitJS(t, ctx, out.cond)
	}
	// Markdown: it is on the Overview tab, which the Tabs output just left;
	// a tab's content is rendered only while it is selected.
	script(t, ctx, `document.querySelector('#kit_tabs .lc-tab[data-value="overview"]').click()`)
	markdownRendered(t, ctx)
	// Options set by a callback: the new city is offered.
	script(t, ctx, `document.querySelector('#kit_city .lc-dropdown-arrow').click()`)
	waitJS(t, ctx, `!!document.querySelector('#kit_city .lc-dropdown-option[data-value="Quito"]')`)
	script(t, ctx, `document.querySelector('#kit_city .lc-dropdown-arrow').click()`)
	waitJS(t, ctx, `!document.querySelector('#kit_city .lc-dropdown-menu')`)
	// ConfirmDialog as an input: OK counts and hides it.
	click(t, ctx, "#kit_confirm .lc-confirm-ok")
	waitJS(t, ctx, echoHas("ok=1")+` && document.querySelector('#kit_confirm').hidden`)
	// A link in the Markdown navigates (go-app's, to the fragment here).
	click(t, ctx, `#kit_markdown a[href="#kit_echo"]`)
	waitJS(t, ctx, `location.hash === '#kit_echo'`)

	// Store: a session store keeps its data across a reload of the tab.
	do(t, ctx, chromedp.Reload())
	waitOnline(t, ctx)
	waitJS(t, ctx, echoHas("saved=[kept]"))
	if s := evalJS[string](t, ctx, `document.querySelector('#kit_echo').textContent`); !strings.Contains(s, "saved=[kept]") {
		t.Errorf("echo after reload: %s", s)
	}
}

// markdownRendered checks the kit's Markdown once a callback has set it:
// formatted by markdown-it in the browser (the server rendered only the
// declared text, so without the library nothing here is formatted), raw
// HTML shown as text and never as elements, a javascript: link left out.
func markdownRendered(t *testing.T, ctx context.Context) {
	t.Helper()
	const md = `document.querySelector('#kit_markdown')`
	waitJS(t, ctx, md+`.querySelector('h1')?.textContent === 'Set'`)
	checks := map[string]string{
		"markdown-it loaded":          `typeof window.markdownit === 'function'`,
		"strikethrough":               md + `.querySelector('s')?.textContent === 'struck'`,
		"table":                       `[...` + md + `.querySelectorAll('td')].map(td => td.textContent).join() === '1,2'`,
		"link":                        md + `.querySelector('a[href="https://example.com"]')?.textContent === 'a link'`,
		"raw HTML not rendered":       `!` + md + `.querySelector('script') && ` + md + `.textContent.includes('<script>alert(1)</script>')`,
		"javascript: link left out":   `![...` + md + `.querySelectorAll('a')].some(a => a.href.startsWith('javascript:')) && ` + md + `.textContent.includes('[no link](javascript:alert(1))')`,
		"only the kit's own elements": `[...` + md + `.querySelectorAll('*')].every(el => ['DIV', 'H1', 'P', 'A', 'S', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD'].includes(el.tagName))`,
	}
	for name, cond := range checks {
		if !evalJS[bool](t, ctx, cond) {
			t.Errorf("Markdown, %s: %s", name, evalJS[string](t, ctx, md+`.innerHTML`))
		}
	}
}

// pickFromDropdowns picks options as a user does, with the mouse and the
// keyboard, in the single and the multi Dropdown; each sits in a <label>, as
// a form field does.
func pickFromDropdowns(t *testing.T, ctx context.Context, echoHas func(string) string) {
	t.Helper()
	menu := func(id string) string { return fmt.Sprintf(`!!document.querySelector('#%s .lc-dropdown-menu')`, id) }
	shown := func(id, values string) string {
		return fmt.Sprintf(`[...document.querySelectorAll('#%s .lc-dropdown-option')].map(o => o.dataset.value).join() === %q`, id, values)
	}
	searching := func(id string) string {
		return fmt.Sprintf(`document.activeElement === document.querySelector('#%s .lc-dropdown-search')`, id)
	}
	// Single, by click: the menu opens, the option is taken, the menu closes.
	click(t, ctx, "#kit_city .lc-dropdown-control")
	waitJS(t, ctx, menu("kit_city")+" && "+searching("kit_city"))
	click(t, ctx, `#kit_city .lc-dropdown-option[data-value="Lima"]`)
	waitJS(t, ctx, echoHas("city=Lima")+` && !`+menu("kit_city"))
	// Single, by typing: the search narrows the options; a click on the one
	// left picks it, not the option first in the unfiltered list.
	click(t, ctx, "#kit_city .lc-dropdown-control")
	waitJS(t, ctx, searching("kit_city"))
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#kit_city .lc-dropdown-search"), "lag"))
	waitJS(t, ctx, shown("kit_city", "Lagos"))
	click(t, ctx, `#kit_city .lc-dropdown-option[data-value="Lagos"]`)
	waitJS(t, ctx, echoHas("city=Lagos")+` && !`+menu("kit_city"))
	// and typing then Enter picks the first match.
	click(t, ctx, "#kit_city .lc-dropdown-control")
	waitJS(t, ctx, searching("kit_city"))
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#kit_city .lc-dropdown-search"), "osa\r"))
	waitJS(t, ctx, echoHas("city=Osaka")+` && !`+menu("kit_city"))

	// Multi, by click: the option is added and the menu stays open.
	click(t, ctx, "#kit_tags .lc-dropdown-control")
	waitJS(t, ctx, menu("kit_tags")+" && "+searching("kit_tags"))
	click(t, ctx, `#kit_tags .lc-dropdown-option[data-value="green"]`)
	waitJS(t, ctx, echoHas("tags=[red green]")+" && "+menu("kit_tags"))
	// by typing and Enter; Escape closes the menu.
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#kit_tags .lc-dropdown-search"), "blu"))
	waitJS(t, ctx, shown("kit_tags", "blue"))
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#kit_tags .lc-dropdown-search"), "\r"))
	waitJS(t, ctx, echoHas("tags=[red green blue]"))
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#kit_tags .lc-dropdown-search"), kb.Escape))
	waitJS(t, ctx, `!`+menu("kit_tags"))
	// Deselect all, then Select all, as Dash 4's multi Dropdown.
	click(t, ctx, "#kit_tags .lc-dropdown-control")
	waitJS(t, ctx, menu("kit_tags"))
	click(t, ctx, "#kit_tags .lc-dropdown-select-none")
	waitJS(t, ctx, echoHas("tags=[]"))
	click(t, ctx, "#kit_tags .lc-dropdown-select-all")
	waitJS(t, ctx, echoHas("tags=[red green blue]")+" && "+menu("kit_tags"))
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#kit_tags .lc-dropdown-search"), kb.Escape))
	waitJS(t, ctx, `!`+menu("kit_tags"))
	// A chip's × removes its value.
	click(t, ctx, `#kit_tags .lc-chip[data-value="green"] .lc-chip-remove`)
	waitJS(t, ctx, echoHas("tags=[red blue]"))
}
