package main

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// A fast scroll of a 10,000-row DataTable, as a user's wheel makes it
// (notches of 5,000 px sent in twenties, none waiting for a frame, scrolled
// by the compositor), ends showing the last rows: the rows in the DOM follow
// the scroll position however many scroll events the browser coalesced on
// the way.
func TestDataTableFastScrollEndsOnTheLastRows(t *testing.T) {
	ctx := tab(t, "/examples/report")
	chooseOption(t, ctx, "report_dataset", "sensors")
	click(t, ctx, "#report_run")
	// The job sends ten previews of up to 10,000 rows, each drawn as a table
	// and a chart of as many bars: 15-20 s on a loaded machine, more than
	// waitJS waits.
	built := reportStatusText + `.startsWith('Report of 10000 rows')`
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](built, chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		t.Fatalf("the report of 10,000 readings: %v; status %q", err, evalJS[string](t, ctx, reportStatusText))
	}
	const box = `document.querySelector('#report_table .lc-table-scroll')`
	script(t, ctx, box+`.scrollIntoView()`)
	at := evalJS[map[string]float64](t, ctx, `(() => { const r = `+box+`.getBoundingClientRect(); return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()`)
	atBottom := box + `.scrollTop + ` + box + `.clientHeight >= ` + box + `.scrollHeight - 1`
	for batch := 0; !evalJS[bool](t, ctx, atBottom); batch++ {
		if batch == 20 {
			t.Fatalf("400 wheel notches did not scroll the table to its bottom: scrollTop %v", evalJS[float64](t, ctx, box+`.scrollTop`))
		}
		for range 20 {
			// deltaX is required with deltaY, and left out when 0.
			notch := input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMouseWheel, X: at["x"], Y: at["y"], DeltaX: 0.001, DeltaY: 5000}
			if _, err := chromedp.Call(ctx, input.DispatchMouseEvent, notch); err != nil {
				t.Fatal(err)
			}
		}
	}
	lastRows := `[...` + reportTableRows + `].pop()?.dataset.row === '9999' && ` + reportTableRows + `.length < 40`
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](lastRows, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		state := evalJS[map[string]any](t, ctx, `({scrollTop: `+box+`.scrollTop, scrollHeight: `+box+`.scrollHeight,
			rows: [...`+reportTableRows+`].map(r => r.dataset.row).join()})`)
		t.Fatalf("scrolled to the bottom, the rows in the DOM are not the last ones: %v", state)
	}

	// Then slowly up, 25 px a frame, past the overscan: the middle of the
	// box shows a row at every frame, never the blank that stands for the
	// rows out of the DOM.
	blank, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(async () => {
		const b = `+box+`, r = b.getBoundingClientRect(), blank = [];
		for (let i = 0; i < 40; i++) {
			b.scrollTop -= 25;
			await new Promise(f => requestAnimationFrame(() => requestAnimationFrame(f)));
			if (!document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)?.closest('tr[data-row]')) blank.push(b.scrollTop);
		}
		return blank;
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if len(blank) > 0 {
		t.Fatalf("scrolling up slowly, the middle of the table was blank at scrollTop %v", blank)
	}

	// A scroll of two rows writes two rows: the rows that stay in view keep
	// their elements (moved, not written again), and only the cells of the
	// two rows scrolled in change their text.
	moved, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]float64](`(async () => {
		const b = `+box+`, frames = () => new Promise(f => requestAnimationFrame(() => requestAnimationFrame(f)));
		b.scrollTop = 100 * 33;
		await frames();
		const row110 = document.querySelector('#report_table tr[data-row="110"]');
		let texts = 0;
		const obs = new MutationObserver(l => { texts += l.filter(m => m.type === 'characterData').length; });
		obs.observe(document.querySelector('#report_table tbody'), {subtree: true, characterData: true});
		b.scrollTop = 102 * 33;
		await frames();
		texts += obs.takeRecords().filter(m => m.type === 'characterData').length;
		obs.disconnect();
		return {texts, kept: row110.isConnected && row110.dataset.row === '110' ? 1 : 0,
			first: +document.querySelector('#report_table tr[data-row]').dataset.row};
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	// Three columns: two new rows are at most 6 texts; every row in view
	// written again would be over 90.
	if moved["kept"] != 1 || moved["texts"] > 6 || moved["texts"] == 0 || moved["first"] != 92 {
		t.Fatalf("a scroll of two rows: row 110 kept its element: %v, cell texts written: %v (want 1 to 6), first row in the DOM %v (want 92)",
			moved["kept"] == 1, moved["texts"], moved["first"])
	}
}

// A DataTable's cells cross from the wasm to the page in one call a paint
// (window.longcallTexts, web/texts.go), not one string each, which left Go
// a finalizer a cell to run; a page whose app.js lacks the function (go-app's
// own, unedited) gets them one by one and shows the same rows.
func TestDataTableCellsCrossInOneCall(t *testing.T) {
	for _, c := range []struct {
		name, before string
		calls        bool
	}{
		{"batched", `window.textCalls = 0;
			Object.defineProperty(window, 'longcallTexts', {configurable: true,
				set(f) { this.wrapped = (...a) => { window.textCalls++; return f(...a); }; },
				get() { return this.wrapped; }});`, true},
		{"one by one", `window.textCalls = 0;
			Object.defineProperty(window, 'longcallTexts', {configurable: true, set() {}, get() { return undefined; }});`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := chromedp.NewContext(newProfile(t))
			t.Cleanup(cancel)
			if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: c.before}); err != nil {
				t.Fatal(err)
			}
			ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
			t.Cleanup(cancelTimeout)
			do(t, ctx, chromedp.Navigate(baseURL+"/examples/components"))
			waitOnline(t, ctx)
			script(t, ctx, `document.querySelector('#kit_tabs .lc-tab[data-value="table"]').click()`)
			waitJS(t, ctx, `[...document.querySelectorAll('#kit_table tbody tr[data-row] td')].map(c => c.textContent).join() === '1,2'`)
			click(t, ctx, "#kit_table .lc-table-next")
			waitJS(t, ctx, `[...document.querySelectorAll('#kit_table tbody tr[data-row] td')].map(c => c.textContent).join() === '3,4'`)
			if calls := evalJS[int](t, ctx, `window.textCalls`); (calls > 0) != c.calls {
				t.Fatalf("longcallTexts was called %d times for two pages of cells", calls)
			}
		})
	}
}
