package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/longcall/longcall/ui/examples"
)

// BenchmarkInteractive measures what a user of a demo page feels, in
// headless Chromium (issue 16):
//
//   - tti: navigation start → the page's bound control usable: in the
//     page, not disabled, not covered, and a click on it taken (by the wasm's handlers,
//     or by the loader's queue of clicks before the wasm: see web/early.go).
//     "cold" is a fresh profile, "warm" a new tab of the same profile once
//     the service worker has cached the app.
//   - click: a zero-work callback's click → DOM, from the click event's
//     timeStamp to the MutationObserver seeing the output's new text, over
//     100 clicks, ordinary and background (/examples/latency), after 50
//     unmeasured ones; each click's phases as well (clickLatencies).
//   - stream: a job reporting progress 100 times a second for 3 s; the
//     worst frame and the long tasks (over 50 ms) meanwhile.
//
// Run it a fixed number of times (each run is a fresh profile):
//
//	go test ./cmd/server -run '^$' -bench Interactive -benchtime 3x
//
// The times come from the page's clock (performance.now(), whose origin
// is the navigation start), so polling does not change them. Medians over
// the runs; for clicks p50 and p99 over all of them.
func BenchmarkInteractive(b *testing.B) {
	pages := []struct{ name, path, control string }{
		{"simple", "/examples/simple", "#button_id"},                              // seed example 1
		{"components", examples.ComponentsPath, "#kit_city .lc-dropdown-control"}, // the component kit
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			var cold, warm []interactiveTimes
			for range b.N {
				c, w := interactiveLoads(b, baseURL+p.path, p.control)
				cold, warm = append(cold, c), append(warm, w)
			}
			reportInteractive(b, "cold", cold)
			reportInteractive(b, "warm", warm)
		})
	}
	b.Run("click", func(b *testing.B) {
		ctx := benchTab(b, examples.LatencyPath)
		// Unmeasured clicks first: V8 compiles the wasm's functions again,
		// optimised, once they run hot, on the same two cores.
		clickLatencies(b, ctx, "latency_ordinary", 50)
		clickLatencies(b, ctx, "latency_background", 50)
		var ordinary, background clickTimes
		for range b.N {
			ordinary.add(clickLatencies(b, ctx, "latency_ordinary", 100))
			background.add(clickLatencies(b, ctx, "latency_background", 100))
		}
		ordinary.report(b, "ordinary")
		background.report(b, "background")
	})
	b.Run("stream", func(b *testing.B) {
		ctx := benchTab(b, examples.LatencyPath)
		benchJS[bool](b, ctx, measureFrames+`; true`)
		runs := frameRuns{}
		defer runs.report(b)
		for range b.N {
			r := benchJS[map[string]float64](b, ctx, `window.measure(async (frame) => {
				const out = document.querySelector('#latency_stream_out');
				const before = out.textContent;
				const values = new Set();
				document.querySelector('#latency_stream').click();
				while (out.textContent === before) {
					values.add(document.querySelector('#latency_bar').getAttribute('value'));
					await frame();
				}
				return {values: values.size};
			})`)
			runs.add("stream-", r, "worstFrameMs", "meanFrameMs", "longestTaskMs", "longTasks", "values")
		}
	})
}

// interactiveTimes are milliseconds since navigation start.
type interactiveTimes struct {
	Parsed      float64 `json:"parsed"`      // DOMContentLoaded
	Interactive float64 `json:"interactive"` // the control usable
	Rendered    float64 `json:"rendered"`    // the wasm rendered (go-app removed its loader)
	Online      float64 `json:"online"`      // the websocket said hello
	Controlled  bool    `json:"controlled"`  // a service worker served the page
}

// interactiveLoads opens url in a fresh profile (cold), waits until the
// service worker has cached the app, and opens it again in a new tab (warm).
func interactiveLoads(b *testing.B, url, control string) (cold, warm interactiveTimes) {
	b.Helper()
	if browser == nil {
		b.Skip("chromium is not installed (.ci/run installs it)")
	}
	profile, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	defer cancel()
	if err := chromedp.Do(profile); err != nil {
		b.Fatalf("new profile: %v", err)
	}
	first, closeFirst := interactiveTab(b, profile, control)
	defer closeFirst()
	cold = openInteractive(b, first, url)
	if cold.Controlled {
		b.Fatal("a fresh profile's first load came from a service worker")
	}
	if _, err := chromedp.Run(first, chromedp.Poll[bool](swCached, chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		b.Fatalf("the service worker did not cache the app: %v", err)
	}
	closeFirst()
	second, closeSecond := interactiveTab(b, profile, control)
	defer closeSecond()
	warm = openInteractive(b, second, url)
	if !warm.Controlled {
		b.Fatal("the warm load did not come from the service worker")
	}
	return cold, warm
}

func interactiveTab(b *testing.B, profile context.Context, control string) (context.Context, context.CancelFunc) {
	b.Helper()
	tab, cancelTab := chromedp.NewContext(profile)
	tab, cancelTimeout := context.WithTimeout(tab, 90*time.Second)
	cancel := func() { cancelTimeout(); cancelTab() }
	probe := strings.Replace(interactiveProbe, "CONTROL", control, 1)
	if _, err := chromedp.Call(tab, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: probe}); err != nil {
		cancel()
		b.Fatalf("install the probe: %v", err)
	}
	return tab, cancel
}

func openInteractive(b *testing.B, tab context.Context, url string) interactiveTimes {
	b.Helper()
	if err := chromedp.Do(tab, chromedp.Navigate(url)); err != nil {
		b.Fatalf("open %s: %v", url, err)
	}
	const done = `window.longcallProbe.interactive > 0 && window.longcallProbe.rendered > 0 && window.longcallProbe.online > 0`
	if _, err := chromedp.Run(tab, chromedp.Poll[bool](done, chromedp.WithPollingTimeout(60*time.Second), chromedp.WithPollingInterval(10*time.Millisecond))); err != nil {
		b.Fatalf("%s did not become interactive: %v", url, err)
	}
	t, err := chromedp.Run(tab, chromedp.Evaluate[interactiveTimes](`window.longcallProbe`))
	if err != nil {
		b.Fatalf("read the probe: %v", err)
	}
	return t
}

// interactiveProbe runs in every document before the page's scripts. It
// checks on every mutation and every frame whether CONTROL is usable: in
// the document, not disabled, not covered, and something takes its clicks — the wasm
// (go-app removed its loader: its handlers are on the elements) or the
// loader's early queue (window.longcallEarly, web/early.go).
const interactiveProbe = `(() => {
	const probe = window.longcallProbe = {
		parsed: 0, interactive: 0, rendered: 0, online: 0,
		controlled: !!(navigator.serviceWorker && navigator.serviceWorker.controller),
	};
	// A click at the control's centre reaches it: no overlay (go-app's loader) in the way.
	const reachable = el => {
		const r = el.getBoundingClientRect();
		const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
		return r.width > 0 && hit !== null && el.contains(hit);
	};
	const check = () => {
		const now = performance.now();
		if (!probe.rendered && document.readyState !== 'loading' && !document.getElementById('app-wasm-loader')) probe.rendered = now;
		if (!probe.online && document.querySelector('#longcall-status')?.dataset.status === 'online') probe.online = now;
		if (!probe.interactive) {
			const el = document.querySelector('CONTROL');
			if (el && !el.disabled && reachable(el) && (probe.rendered || (window.longcallEarly && window.longcallEarly.listening))) probe.interactive = now;
		}
		return probe.interactive && probe.rendered && probe.online;
	};
	document.addEventListener('DOMContentLoaded', () => { probe.parsed = performance.now(); check(); });
	new MutationObserver(check).observe(document, {childList: true, subtree: true, attributes: true});
	const frame = () => { if (!check()) requestAnimationFrame(frame); };
	requestAnimationFrame(frame);
})();`

// clickLatencies clicks the button id n times, each once the last click's
// answer is in the DOM, and returns each click → DOM in ms: from the click
// event's timeStamp to the MutationObserver seeing "<id>_out" show the
// click's count. It also splits each click into its phases, to say where a
// slow one spent its time: the wasm's handling up to the websocket's send
// (click → send), the network and the server (send → the last message
// before the DOM changed), and the wasm's handling of that message up to
// the DOM (answer → DOM).
func clickLatencies(b *testing.B, ctx context.Context, id string, n int) clickTimes {
	b.Helper()
	js := fmt.Sprintf(`(async () => {
		const button = document.getElementById(%[1]q), out = document.getElementById(%[1]q + '_out');
		const t = {total: [], toSend: [], toAnswer: [], toDOM: []};
		// The wasm handles a message in the socket's onmessage, before any
		// listener added here runs: messages are told by their timeStamp,
		// read once the click's answer is shown.
		const probe = {sent: 0, messages: []};
		const send = WebSocket.prototype.send;
		WebSocket.prototype.send = function (data) {
			if (!probe.sent) probe.sent = performance.now();
			if (!this.longcallProbed) {
				this.longcallProbed = true;
				this.addEventListener('message', e => window.longcallClickProbe.messages.push(e.timeStamp));
			}
			return send.call(this, data);
		};
		window.longcallClickProbe = probe;
		try {
			for (let i = 0; i < %[2]d; i++) {
				const want = String(Number(out.textContent) + 1);
				let clicked = 0;
				probe.sent = 0;
				const took = new Promise(resolve => {
					const obs = new MutationObserver(() => {
						if (out.textContent === want) { obs.disconnect(); resolve(performance.now()); }
					});
					obs.observe(out, {childList: true, characterData: true, subtree: true});
				});
				button.addEventListener('click', e => { clicked = e.timeStamp; }, {once: true, capture: true});
				button.click();
				const shown = await took;
				await new Promise(r => setTimeout(r));
				const answered = Math.max(...probe.messages.filter(m => m <= shown));
				probe.messages = [];
				t.total.push(shown - clicked);
				t.toSend.push(probe.sent - clicked);
				t.toAnswer.push(answered - probe.sent);
				t.toDOM.push(shown - answered);
				await new Promise(r => requestAnimationFrame(() => setTimeout(r)));
			}
		} finally {
			WebSocket.prototype.send = send;
		}
		return t;
	})()`, id, n)
	return benchJS[clickTimes](b, ctx, js)
}

// clickTimes are milliseconds, one of each per click.
type clickTimes struct {
	Total    []float64 `json:"total"`
	ToSend   []float64 `json:"toSend"`
	ToAnswer []float64 `json:"toAnswer"`
	ToDOM    []float64 `json:"toDOM"`
}

func (t *clickTimes) add(u clickTimes) {
	t.Total = append(t.Total, u.Total...)
	t.ToSend = append(t.ToSend, u.ToSend...)
	t.ToAnswer = append(t.ToAnswer, u.ToAnswer...)
	t.ToDOM = append(t.ToDOM, u.ToDOM...)
}

// report gives the click → DOM percentiles, and the p99 of each phase.
func (t clickTimes) report(b *testing.B, name string) {
	reportPercentiles(b, name, t.Total)
	for _, phase := range []struct {
		name string
		ms   []float64
	}{{"send", t.ToSend}, {"answer", t.ToAnswer}, {"dom", t.ToDOM}} {
		slices.Sort(phase.ms)
		b.ReportMetric(percentile(phase.ms, 0.99), name+"-"+phase.name+"-p99-ms")
	}
}

func reportInteractive(b *testing.B, mode string, times []interactiveTimes) {
	metrics := []struct {
		name string
		get  func(interactiveTimes) float64
	}{
		{"parsed", func(t interactiveTimes) float64 { return t.Parsed }},
		{"tti", func(t interactiveTimes) float64 { return t.Interactive }},
		{"render", func(t interactiveTimes) float64 { return t.Rendered }},
		{"online", func(t interactiveTimes) float64 { return t.Online }},
	}
	for _, m := range metrics {
		ms := make([]float64, 0, len(times))
		for _, t := range times {
			ms = append(ms, m.get(t))
		}
		slices.Sort(ms)
		b.ReportMetric(ms[len(ms)/2], fmt.Sprintf("%s-%s-ms", mode, m.name))
		if m.name == "tti" {
			b.ReportMetric(ms[len(ms)-1], mode+"-tti-max-ms")
		}
	}
}

func reportPercentiles(b *testing.B, name string, ms []float64) {
	slices.Sort(ms)
	b.ReportMetric(percentile(ms, 0.5), name+"-p50-ms")
	b.ReportMetric(percentile(ms, 0.99), name+"-p99-ms")
	b.ReportMetric(ms[len(ms)-1], name+"-max-ms")
}

// percentile reads p of sorted ms.
func percentile(ms []float64, p float64) float64 {
	return ms[min(len(ms)-1, int(p*float64(len(ms))))]
}
