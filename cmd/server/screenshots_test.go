package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/longcall/longcall/ui/examples"
)

// TestScreenshots writes a PNG of the index and of every demo page, light
// and dark, into $LONGCALL_SCREENSHOTS (docs/screenshots); it does nothing
// without it:
//
//	LONGCALL_SCREENSHOTS=$PWD/docs/screenshots go test ./cmd/server -run TestScreenshots -count=1
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
	for name, path := range pages {
		for _, scheme := range []string{"light", "dark"} {
			if scheme == "dark" && name != "index" && name != "components" {
				continue
			}
			ctx := newProfile(t)
			ctx = openTab(t, ctx, "about:blank")
			if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
			}); err != nil {
				t.Fatal(err)
			}
			do(t, ctx, chromedp.EmulateViewport(1000, 700), chromedp.Navigate(baseURL+path))
			if path != "/" && path != examples.LoginPath {
				waitJS(t, ctx, `!!document.querySelector('.longcall-dashboard')`)
			}
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(dir, name+map[string]string{"light": "", "dark": "-dark"}[scheme]+".png")
			if err := os.WriteFile(file, png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
