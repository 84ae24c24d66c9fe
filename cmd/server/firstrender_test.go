package main

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// firstRenderURL points BenchmarkFirstRender at another server, such as
// build.sh's: -args -firstrender.url http://127.0.0.1:8000
var firstRenderURL = flag.String("firstrender.url", "", "the server BenchmarkFirstRender loads pages from (default: the one TestMain runs)")

// BenchmarkFirstRender measures, in headless Chromium, the time from
// navigation start to the app's first render: the page as the wasm
// rendered it, not as the server prerendered it. The server is the one
// TestMain runs, with the wasm as `go run ./cmd/server` builds it, or the
// one at -firstrender.url. Each run loads the index and a dashboard page
// three ways (see firstRenders): cold, reload and sw. Run it a fixed number
// of times, as one run on a shared machine says little:
//
//	go test ./cmd/server -run '^$' -bench FirstRender -benchtime 10x
//
// The times come from the page's clock (performance.now(), whose origin is
// the navigation start), so how often the benchmark polls does not change
// them. Each is reported as the median over the runs in ms; the render
// also as its fastest and slowest. Besides the render: DOMContentLoaded
// (parsed), when app.js asked for app.wasm and when its last byte came,
// when WebAssembly.instantiateStreaming resolved, and on a dashboard page
// when the websocket was online.
func BenchmarkFirstRender(b *testing.B) {
	for _, path := range []string{"/", "/examples/progress"} {
		b.Run(pageName(path), func(b *testing.B) {
			url := baseURL
			if *firstRenderURL != "" {
				url = strings.TrimSuffix(*firstRenderURL, "/")
			}
			var cold, reload, sw []renderTimes
			for range b.N {
				c, r, s := firstRenders(b, url+path)
				cold, reload, sw = append(cold, c), append(reload, r), append(sw, s)
			}
			report(b, "cold", cold)
			report(b, "reload", reload)
			report(b, "sw", sw)
		})
	}
}

func pageName(path string) string {
	if path == "/" {
		return "index"
	}
	return path[len("/examples/"):]
}

// renderTimes are milliseconds since navigation start; zero is "did not
// happen" (online, on a page without a dashboard).
type renderTimes struct {
	Parsed       float64 `json:"parsed"`       // the HTML parsed and its deferred scripts run (DOMContentLoaded)
	WasmAsked    float64 `json:"wasmAsked"`    // app.js asked for app.wasm
	WasmFetched  float64 `json:"wasmFetched"`  // app.wasm's last byte arrived
	Instantiated float64 `json:"instantiated"` // app.wasm compiled and instantiated
	Rendered     float64 `json:"rendered"`     // the wasm rendered the page (go-app removed its loader)
	Online       float64 `json:"online"`       // the dashboard's websocket said hello
	Static       bool    `json:"static"`       // the page at render time was the server's, not the wasm's
	Controlled   bool    `json:"controlled"`   // a service worker served the page
}

// firstRenders opens url in a fresh profile ("cold"); reloads it once the
// service worker has cached the app ("reload": the same renderer process,
// which keeps the wasm it compiled); then opens it in a new tab after
// closing the first ("sw": a visit that finds the service worker only).
func firstRenders(b *testing.B, url string) (cold, reload, sw renderTimes) {
	b.Helper()
	if browser == nil {
		b.Skip("chromium is not installed (.ci/run installs it)")
	}
	profile, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	defer cancel()
	if err := chromedp.Do(profile); err != nil { // creates the profile: tabs opened before share the default one
		b.Fatalf("new profile: %v", err)
	}
	first, closeFirst := probedTab(b, profile)
	defer closeFirst()
	cold = openAndWait(b, first, url)
	if cold.Controlled {
		b.Fatal("a fresh profile's first load came from a service worker")
	}
	if _, err := chromedp.Run(first, chromedp.Poll[bool](swCached, chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		b.Fatalf("the service worker did not cache the app: %v", err)
	}
	reload = openAndWait(b, first, url)
	closeFirst()

	second, closeSecond := probedTab(b, profile)
	defer closeSecond()
	sw = openAndWait(b, second, url)
	if !reload.Controlled || !sw.Controlled {
		b.Fatal("a load after the first did not come from the service worker")
	}
	return cold, reload, sw
}

// probedTab opens a tab in profile whose documents run renderProbe.
func probedTab(b *testing.B, profile context.Context) (context.Context, context.CancelFunc) {
	b.Helper()
	tab, cancelTab := chromedp.NewContext(profile)
	tab, cancelTimeout := context.WithTimeout(tab, 90*time.Second)
	cancel := func() { cancelTimeout(); cancelTab() }
	if _, err := chromedp.Call(tab, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: renderProbe}); err != nil {
		cancel()
		b.Fatalf("install the render probe: %v", err)
	}
	return tab, cancel
}

// openAndWait navigates tab to url and returns the probe's times once the
// page has rendered (and, with a dashboard, is online).
func openAndWait(b *testing.B, tab context.Context, url string) renderTimes {
	b.Helper()
	if err := chromedp.Do(tab, chromedp.Navigate(url)); err != nil {
		b.Fatalf("open %s: %v", url, err)
	}
	const done = `window.longcallProbe.rendered > 0 && (!document.querySelector('#longcall-status') || window.longcallProbe.online > 0)`
	if _, err := chromedp.Run(tab, chromedp.Poll[bool](done, chromedp.WithPollingTimeout(60*time.Second), chromedp.WithPollingInterval(10*time.Millisecond))); err != nil {
		b.Fatalf("%s did not render: %v", url, err)
	}
	t, err := chromedp.Run(tab, chromedp.Evaluate[renderTimes](`window.longcallProbe`))
	if err != nil {
		b.Fatalf("read the render probe: %v", err)
	}
	if t.Static {
		b.Fatalf("%s: the loader went away while the page was still the server's", url)
	}
	return t
}

// renderProbe runs in every document before the page's scripts. go-app's
// app.js removes its loader (#app-wasm-loader) right after go.run has
// returned, which is once the Go program's main has rendered the route and
// blocked: that removal is the first render. The server prerenders the same
// markup, so the probe also checks that the page's root is no longer the
// node the parser made.
const renderProbe = `(() => {
	const probe = window.longcallProbe = {
		parsed: 0, wasmAsked: 0, wasmFetched: 0, instantiated: 0, rendered: 0, online: 0, static: false,
		controlled: !!(navigator.serviceWorker && navigator.serviceWorker.controller),
	};
	const instantiate = WebAssembly.instantiateStreaming;
	WebAssembly.instantiateStreaming = async (...args) => {
		const result = await instantiate.apply(WebAssembly, args);
		probe.instantiated = performance.now();
		return result;
	};
	document.addEventListener('DOMContentLoaded', () => { probe.parsed = performance.now(); });
	let parsedRoot = null;
	new MutationObserver(records => {
		for (const r of records) {
			if (r.type === 'attributes') {
				if (!probe.online && r.target.id === 'longcall-status' && r.target.dataset.status === 'online') probe.online = performance.now();
				continue;
			}
			for (const n of r.addedNodes) {
				if (n.id === 'longcall-status' && n.dataset.status === 'online' && !probe.online) probe.online = performance.now();
				if (!parsedRoot && document.readyState === 'loading' && n.parentNode === document.body) parsedRoot = n;
			}
			for (const n of r.removedNodes) {
				if (n.id === 'app-wasm-loader' && !probe.rendered) {
					probe.rendered = performance.now();
					const wasm = performance.getEntriesByName(new URL('/web/app.wasm', location.href).href)[0];
					if (wasm) { probe.wasmAsked = wasm.startTime; probe.wasmFetched = wasm.responseEnd; }
					probe.static = document.body.firstElementChild === parsedRoot;
				}
			}
		}
	}).observe(document, {childList: true, subtree: true, attributes: true, attributeFilter: ['data-status']});
})();`

// swCached holds once the service worker controls the page and has cached
// the app. web/worker.js controls a page only once its cache is filled
// (go-app's own did not wait); checking the cache too keeps the benchmark
// honest about what a warm open reads.
const swCached = `navigator.serviceWorker.controller !== null && (window.longcallCached ??= caches.match('/web/app.wasm').then(r => { window.longcallCached = r ? true : undefined; })) === true`

// report adds the median, fastest and slowest of times to the benchmark's
// output, in milliseconds.
func report(b *testing.B, mode string, times []renderTimes) {
	metrics := []struct {
		name string
		get  func(renderTimes) float64
	}{
		{"parsed", func(t renderTimes) float64 { return t.Parsed }},
		{"wasm-asked", func(t renderTimes) float64 { return t.WasmAsked }},
		{"wasm-fetched", func(t renderTimes) float64 { return t.WasmFetched }},
		{"instantiated", func(t renderTimes) float64 { return t.Instantiated }},
		{"render", func(t renderTimes) float64 { return t.Rendered }},
		{"online", func(t renderTimes) float64 { return t.Online }},
	}
	for _, m := range metrics {
		ms := make([]float64, 0, len(times))
		for _, t := range times {
			if v := m.get(t); v > 0 {
				ms = append(ms, v)
			}
		}
		if len(ms) == 0 {
			continue
		}
		slices.Sort(ms)
		b.ReportMetric(ms[len(ms)/2], fmt.Sprintf("%s-%s-ms", mode, m.name))
		if m.name == "render" {
			b.ReportMetric(ms[0], mode+"-render-min-ms")
			b.ReportMetric(ms[len(ms)-1], mode+"-render-max-ms")
		}
	}
}
