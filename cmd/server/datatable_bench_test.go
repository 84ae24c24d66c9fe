package main

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/cdproto/dom"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// BenchmarkDataTable measures, in Chromium, a DataTable of 10,000 rows (the
// report builder's generated readings): scrolling it from top to bottom in
// 100 steps, a frame each, and sorting it by a column. It reports the
// frames' times (mean and worst, from requestAnimationFrame) and the long
// tasks (over 50 ms, from a PerformanceObserver) seen meanwhile.
//
//	go test ./cmd/server -run '^$' -bench DataTable -benchtime 1x
func BenchmarkDataTable(b *testing.B) {
	ctx := benchTab(b, "/examples/report")
	benchJS[bool](b, ctx, `document.querySelector('#report_dataset .lc-dropdown-control').click() || true`)
	benchWait(b, ctx, `!!document.querySelector('#report_dataset [data-value="sensors"]')`)
	benchJS[bool](b, ctx, `document.querySelector('#report_dataset [data-value="sensors"]').click() || true`)
	benchJS[bool](b, ctx, `document.querySelector('#report_run').click() || true`)
	benchWait(b, ctx, `document.querySelector('#report_status').textContent.startsWith('Report of 10000 rows')`)
	benchJS[bool](b, ctx, measureFrames+`; true`)
	runs := frameRuns{}
	defer runs.report(b)
	for b.Loop() {
		scroll := benchJS[map[string]float64](b, ctx, `window.measure(async (frame) => {
			const box = document.querySelector('#report_table .lc-table-scroll');
			box.scrollTop = 0;
			for (let i = 1; i <= 100; i++) {
				box.scrollTop = box.scrollHeight * i / 100;
				await frame();
			}
			// The rows in the DOM reach the view's end when no spacer row
			// stands for rows below them, in any order (after a sort, the
			// last row is not the last of the data).
			const atEnd = () => document.querySelector('#report_table tbody').lastElementChild.matches('tr[data-row]');
			const result = {rendered: document.querySelectorAll('#report_table tbody tr[data-row]').length, atEnd: atEnd() ? 1 : 0,
				scrollTop: box.scrollTop, scrollHeight: box.scrollHeight, caughtUpAfter: 0};
			// Behind at the end: did the rows catch up (a render late) or
			// not (a window that stopped following the scroll)?
			while (!atEnd() && result.caughtUpAfter >= 0) {
				await frame();
				result.caughtUpAfter = result.caughtUpAfter < 120 ? result.caughtUpAfter + 1 : -1;
			}
			return result;
		})`)
		// The sort waits for the rows in view to change, all of them: the
		// first row alone may stay (row 0 has the smallest value).
		sort := benchJS[map[string]float64](b, ctx, `window.measure(async (frame) => {
			const shown = () => [...document.querySelectorAll('#report_table tbody tr[data-row]')].map(r => r.dataset.row).join();
			const before = shown();
			document.querySelector('#report_table th[data-column="value"]').click();
			while (shown() === before) await frame();
			await frame();
			return {rendered: document.querySelectorAll('#report_table tbody tr[data-row]').length};
		})`)
		runs.add("scroll-", scroll, "meanFrameMs", "p95FrameMs", "worstFrameMs", "longestTaskMs", "longTasks", "rendered")
		runs.add("sort-", sort, "totalMs", "worstFrameMs", "longestTaskMs", "longTasks")
		if scroll["atEnd"] == 0 {
			b.Fatalf("scrolled to the bottom (scrollTop %v of %v), the rows rendered did not reach the end; they did %v frames later (-1: not within 120)",
				scroll["scrollTop"], scroll["scrollHeight"], scroll["caughtUpAfter"])
		}
	}
}

// frameRuns collects window.measure's results over a benchmark's runs, to
// report the worst of each run's worst frame and longest task (the aim is
// that no frame of any run is over 50 ms: the first run's, before V8 has
// optimised the wasm, included) and the median of the rest.
type frameRuns map[string][]float64

func (r frameRuns) add(prefix string, result map[string]float64, names ...string) {
	for _, n := range names {
		r[prefix+n] = append(r[prefix+n], result[n])
	}
}

func (r frameRuns) report(b *testing.B) {
	for name, values := range r {
		slices.Sort(values)
		v := values[len(values)/2]
		if strings.Contains(name, "worst") || strings.Contains(name, "longest") || strings.HasSuffix(name, "longTasks") || strings.HasSuffix(name, "longFrames") {
			v = values[len(values)-1]
		}
		b.ReportMetric(v, metricName(name))
	}
}

// metricName writes "scroll-worstFrameMs" as "scroll-worst-frame-ms".
func metricName(name string) string {
	var out strings.Builder
	for _, c := range name {
		if unicode.IsUpper(c) {
			out.WriteByte('-')
			c = unicode.ToLower(c)
		}
		out.WriteRune(c)
	}
	return out.String()
}

// measureFrames defines window.measure(run): run awaits frame() between
// steps; measure returns run's result with the frames' mean, 95th
// percentile and worst time, the total time, and the long tasks seen (how
// many, the longest).
const measureFrames = `window.measure = async (run) => {
	const long = [];
	const obs = new PerformanceObserver(list => long.push(...list.getEntries()));
	obs.observe({entryTypes: ['longtask']});
	const times = [];
	let last = performance.now();
	const start = last;
	const frame = () => new Promise(r => requestAnimationFrame(now => { times.push(now - last); last = now; r(); }));
	const result = await run(frame);
	await frame();
	obs.disconnect();
	return Object.assign(result || {}, {
		meanFrameMs: times.reduce((a, b) => a + b, 0) / times.length,
		worstFrameMs: Math.max(...times),
		p95FrameMs: times.slice().sort((a, b) => a - b)[Math.floor(times.length * 0.95)],
		longestTaskMs: Math.max(0, ...long.map(e => e.duration)),
		totalMs: performance.now() - start,
		longTasks: long.length,
	});
};`

// benchTab opens a page of the demo server in a fresh profile, online and
// settled: its service worker has installed, so that what a benchmark
// measures is not shared with the worker caching every page and asset, as a
// first visit's does in the background.
func benchTab(b *testing.B, path string) context.Context {
	b.Helper()
	if browser == nil {
		b.Skip("chromium is not installed")
	}
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	b.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 5*time.Minute)
	b.Cleanup(cancelTimeout)
	if err := chromedp.Do(ctx, chromedp.Navigate(baseURL+path)); err != nil {
		b.Fatal(err)
	}
	benchWait(b, ctx, `document.querySelector('#longcall-status')?.dataset.status === 'online'`)
	benchWait(b, ctx, swCached)
	// chromedp enables DevTools domains a user's browser has off: Network
	// sends the test process an event for every websocket frame, from the
	// page's thread, and added 1–3 ms to a click's tail. The page is
	// measured as users have it.
	for _, c := range []cdp.Command[cdp.Empty, cdp.Empty]{network.Disable, dom.Disable, css.Disable, cdplog.Disable} {
		if _, err := chromedp.Call(ctx, c, cdp.Empty{}); err != nil {
			b.Fatal(err)
		}
	}
	return ctx
}

// benchJS evaluates expr, awaiting a promise.
func benchJS[T any](b *testing.B, ctx context.Context, expr string) T {
	b.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.Fatalf("evaluate %.80s: %v", expr, err)
	}
	return v
}

func benchWait(b *testing.B, ctx context.Context, cond string) {
	b.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(3*time.Minute))); err != nil {
		b.Fatalf("waiting for %s: %v", cond, err)
	}
}
