package main

import (
	"fmt"
	"testing"

	"github.com/longcall/longcall/ui/examples"
)

// TestPageCollectsWhenIdle: a page that has allocated enough collects its
// garbage in an idle period, between clicks, never inside one's handling
// (ui/idle_gc.go; docs/BENCHMARKS.md measured the clicks a collection ran in).
func TestPageCollectsWhenIdle(t *testing.T) {
	ctx := tab(t, examples.LatencyPath)
	script(t, ctx, clickLatency200)
	waitJS(t, ctx, `window.spans?.length === 200 && performance.getEntriesByName('longcall: idle gc').length > 0`)
	inside := evalJS[[]float64](t, ctx, `performance.getEntriesByName('longcall: idle gc')
		.filter(m => window.spans.some(([clicked, shown]) => m.startTime < shown && m.startTime + m.duration > clicked))
		.map(m => m.startTime)`)
	if len(inside) > 0 {
		t.Fatalf("idle collections ran inside a click's handling, at %v ms", inside)
	}
}

// A page makes its first collection when it first rests, whatever it
// allocated: the first is slow (V8 compiles the collector), and made later
// it fell inside the task of a report's first preview of 10,000 rows.
func TestPageCollectsFirstWhenItFirstRests(t *testing.T) {
	ctx := tab(t, examples.LatencyPath)
	waitJS(t, ctx, `performance.getEntriesByName('longcall: idle gc').length > 0`)
}

// clickLatency200 clicks the latency page's ordinary button 200 times, one
// answer at a time, into window.spans ([clicked, shown] a click). Each
// click allocates some 12 KB in the wasm: 200 are over the megabyte after
// which an idle page collects.
const clickLatency200 = `(async () => {
		const button = document.getElementById('latency_ordinary'), out = document.getElementById('latency_ordinary_out');
		const spans = [];
		for (let i = 0; i < 200; i++) {
			const want = String(Number(out.textContent) + 1);
			const shown = new Promise(resolve => {
				const obs = new MutationObserver(() => {
					if (out.textContent === want) { obs.disconnect(); resolve(performance.now()); }
				});
				obs.observe(out, {childList: true, characterData: true, subtree: true});
			});
			let clicked = 0;
			button.addEventListener('click', e => { clicked = e.timeStamp; }, {once: true, capture: true});
			button.click();
			spans.push([clicked, await shown]);
			await new Promise(r => requestAnimationFrame(() => setTimeout(r)));
		}
		window.spans = spans;
		return spans.length;
	})()`

// A page that draws at every frame still collects when idle after its
// first collection: that one's 40–90 ms (V8 compiling the collector) is not
// the next one's estimate, which a frame's idle time could never fit.
func TestPageThatDrawsEveryFrameCollectsWhenIdle(t *testing.T) {
	ctx := tab(t, examples.LatencyPath)
	waitJS(t, ctx, `performance.getEntriesByName('longcall: idle gc').length > 0`)
	before := evalJS[int](t, ctx, `performance.getEntriesByName('longcall: idle gc').length`)
	script(t, ctx, `(function draw() {
		document.body.style.outlineColor = document.body.style.outlineColor === 'red' ? 'blue' : 'red';
		requestAnimationFrame(draw);
	})()`)
	script(t, ctx, clickLatency200)
	waitJS(t, ctx, fmt.Sprintf(`window.spans?.length === 200 && performance.getEntriesByName('longcall: idle gc').length > %d`, before))
}
