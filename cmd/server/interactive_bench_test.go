package main

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// BenchmarkKitInteractive measures the cold time to interactive of the
// component kit's page in Chromium: each run opens /examples/components in
// a fresh profile (no HTTP cache, no service worker) and reads, on the
// page's clock (performance.now(), from navigation start), when the wasm
// rendered the page (go-app removed its loader), when the websocket said
// hello, and when the bound controls were live: the wasm's page online and
// the initial calls answered (the echo of every input filled; the server's
// markup has it empty). It reports the median of each and the slowest interactive time.
//
//	go test ./cmd/server -run '^$' -bench KitInteractive -benchtime 3x
func BenchmarkKitInteractive(b *testing.B) {
	var rendered, online, interactive []float64
	for range b.N {
		t := coldInteractive(b, baseURL+"/examples/components")
		rendered, online, interactive = append(rendered, t["rendered"]), append(online, t["online"]), append(interactive, t["interactive"])
	}
	median := func(v []float64) float64 { v = slices.Sorted(slices.Values(v)); return v[len(v)/2] }
	b.ReportMetric(median(rendered), "render-ms")
	b.ReportMetric(median(online), "online-ms")
	b.ReportMetric(median(interactive), "interactive-ms")
	b.ReportMetric(slices.Max(interactive), "interactive-max-ms")
}

// coldInteractive opens url in a fresh profile and returns the probe's times.
func coldInteractive(b *testing.B, url string) map[string]float64 {
	b.Helper()
	if browser == nil {
		b.Skip("chromium is not installed (.ci/run installs it)")
	}
	profile, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	defer cancel()
	if err := chromedp.Do(profile); err != nil {
		b.Fatalf("new profile: %v", err)
	}
	tab, cancelTab := chromedp.NewContext(profile)
	defer cancelTab()
	tab, cancelTimeout := context.WithTimeout(tab, 90*time.Second)
	defer cancelTimeout()
	if _, err := chromedp.Call(tab, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: interactiveProbe}); err != nil {
		b.Fatalf("install the probe: %v", err)
	}
	if err := chromedp.Do(tab, chromedp.Navigate(url)); err != nil {
		b.Fatalf("open %s: %v", url, err)
	}
	if _, err := chromedp.Run(tab, chromedp.Poll[bool](`window.kitProbe.interactive > 0`, chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		b.Fatalf("%s did not become interactive: %v", url, err)
	}
	t, err := chromedp.Run(tab, chromedp.Evaluate[map[string]float64](`window.kitProbe`))
	if err != nil {
		b.Fatalf("read the probe: %v", err)
	}
	return t
}

// interactiveProbe runs before the page's scripts and records, on every
// change of the DOM, the first moment each condition holds.
const interactiveProbe = `(() => {
	const probe = window.kitProbe = {rendered: 0, online: 0, interactive: 0};
	new MutationObserver(records => {
		const now = performance.now();
		for (const r of records) for (const n of r.removedNodes) if (n.id === 'app-wasm-loader' && !probe.rendered) probe.rendered = now;
		if (!probe.online && document.querySelector('#longcall-status')?.dataset.status === 'online') probe.online = now;
		if (probe.rendered && probe.online && !probe.interactive &&
			(document.querySelector('#kit_echo')?.textContent || '').includes('city=')) probe.interactive = now;
	}).observe(document, {childList: true, subtree: true, attributes: true, characterData: true});
})();`
