package main

import (
	"testing"
)

// BenchmarkDataTableArrival measures, in Chromium, the report builder's
// 10,000 generated rows arriving: ten previews of 1,000 to 10,000 rows, each
// a data prop the table decodes and shows, with the chart of the rows so far
// (chart) or without it (table). It reports the frames' worst time (from
// requestAnimationFrame) and the long animation frames (over 50 ms, long
// tasks and the rendering after them counted) from the click to the report.
// With the chart, plotly.js has loaded before the builds measured.
//
//	go test ./cmd/server -run '^$' -bench DataTableArrival -benchtime 3x
func BenchmarkDataTableArrival(b *testing.B) {
	for _, chart := range []bool{false, true} {
		name := "table"
		if chart {
			name = "chart"
		}
		b.Run(name, func(b *testing.B) { benchArrival(b, chart) })
	}
}

func benchArrival(b *testing.B, chart bool) {
	ctx := benchTab(b, "/examples/report")
	benchJS[bool](b, ctx, `document.querySelector('#report_dataset .lc-dropdown-control').click() || true`)
	benchWait(b, ctx, `!!document.querySelector('#report_dataset [data-value="sensors"]')`)
	benchJS[bool](b, ctx, `document.querySelector('#report_dataset [data-value="sensors"]').click() || true`)
	if !chart {
		benchJS[bool](b, ctx, `document.querySelector('#report_options input[value="chart"]').click() || true`)
		benchWait(b, ctx, `!document.querySelector('#report_options input[value="chart"]').checked`)
	}
	if chart {
		// A build first, unmeasured: the Graph loads plotly.js with its
		// first figure, one task of seconds measured apart (docs/BENCHMARKS.md).
		benchJS[bool](b, ctx, `document.querySelector('#report_run').click() || true`)
		benchWait(b, ctx, `!!document.querySelector('#report_graph .main-svg') && document.querySelector('#report_status').textContent.startsWith('Report of 10000 rows')`)
	}
	benchJS[bool](b, ctx, measureFrames+`; true`)
	runs := frameRuns{}
	defer runs.report(b)
	for b.Loop() {
		result := benchJS[map[string]float64](b, ctx, `window.measure(async (frame) => {
			const frames = [];
			const obs = new PerformanceObserver(list => frames.push(...list.getEntries()));
			obs.observe({type: 'long-animation-frame'});
			const run = document.querySelector('#report_run');
			run.click();
			while (!run.disabled) await frame();
			while (run.disabled) await frame();
			if (!document.querySelector('#report_status').textContent.startsWith('Report of 10000 rows')) throw new Error('no report of 10000 rows');
			await frame();
			obs.disconnect();
			const long = frames.filter(f => f.duration > 50);
			return {longFrames: long.length, longestFrameMs: Math.max(0, ...long.map(f => f.duration))};
		})`)
		runs.add("", result, "worstFrameMs", "longestTaskMs", "longTasks", "longFrames", "longestFrameMs")
	}
}
