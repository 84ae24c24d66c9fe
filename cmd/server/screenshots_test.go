package main

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/longcall/longcall/ui/examples"
)

// The screenshots' viewport: 1200 wide, the page's own height up to
// shotMaxHeight (a long page is cut, to keep docs/ small).
const (
	shotWidth     = 1200
	shotMaxHeight = 1500
)

// TestScreenshots writes a PNG of the index and of every demo page, light
// and dark, into $LONGCALL_SCREENSHOTS (docs/screenshots); it does nothing
// without it:
//
//	LONGCALL_SCREENSHOTS=$PWD/docs/screenshots go test ./cmd/server -run TestScreenshots -count=1
//
// Each page is shot once it is online and its initial calls have settled;
// the report builder after a run, with its preview filled.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("LONGCALL_SCREENSHOTS")
	if dir == "" {
		t.Skip("set LONGCALL_SCREENSHOTS to a directory to write screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	pages := map[string]string{"index": "/", "login": examples.LoginPath}
	for _, e := range examples.All {
		if e.Dash.Restricted() {
			continue // behind the login, which is shown instead
		}
		pages[strings.TrimPrefix(e.Path, "/examples/")] = e.Path
	}
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range pages {
			if !yield(k) {
				return
			}
		}
	}) {
		for _, scheme := range []string{"light", "dark"} {
			file := filepath.Join(dir, name+map[string]string{"light": "", "dark": "-dark"}[scheme]+".png")
			shoot(t, pages[name], scheme, file)
		}
	}
}

// shoot opens path in a fresh profile in that color scheme and writes its
// screenshot to file.
func shoot(t *testing.T, path, scheme, file string) {
	t.Helper()
	ctx := openTab(t, newProfile(t), "about:blank")
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
	}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.EmulateViewport(shotWidth, 800), chromedp.Navigate(baseURL+path))
	if path != "/" && path != examples.LoginPath {
		waitOnline(t, ctx)
		// The initial calls settled: no spinner, the seed's Run Job! enabled again.
		waitJS(t, ctx, `!document.querySelector('[data-loading="true"]') && !document.querySelector('#button_id')?.disabled`)
	}
	switch path { // pages shown in use
	case "/examples/report":
		click(t, ctx, "#report_run")
		waitJS(t, ctx, `document.querySelector('#report_status').textContent.startsWith('Report of')`)
	case "/examples/patterns":
		click(t, ctx, "#add_row")
		click(t, ctx, "#add_row")
		waitJS(t, ctx, `document.querySelectorAll('#rows .lc-pattern-row').length === 2`)
	}
	script(t, ctx, `window.scrollTo(0, 0); document.activeElement?.blur()`)
	// Transitions ended (a progress bar going back to 0 eases there).
	waitJS(t, ctx, `document.getAnimations().every(a => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity)`)
	height := min(evalJS[int](t, ctx, `document.documentElement.scrollHeight`), shotMaxHeight)
	do(t, ctx, chromedp.EmulateViewport(shotWidth, int64(height)))
	waitJS(t, ctx, fmt.Sprintf(`innerHeight === %d`, height))
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, smallPNG(t, shot), 0o644); err != nil {
		t.Fatal(err)
	}
}

// smallPNG re-encodes Chromium's PNG at the best compression.
func smallPNG(t *testing.T, b []byte) []byte {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&out, img); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
