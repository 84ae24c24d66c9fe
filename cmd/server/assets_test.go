package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/longcall/longcall/ui"
	"github.com/longcall/longcall/web"
)

// go-app's own app.js is rewritten to start the app before the service
// worker, replaying what was done before it ran, and to instantiate the
// wasm straight from its fetch (web.RenderFirst): a go-app upgrade that
// starts differently fails here rather than quietly in the first-render
// numbers.
func TestAppJSStartsTheAppBeforeTheServiceWorker(t *testing.T) {
	_, body := get(t, baseURL+"/app.js")
	if !strings.Contains(body, "goappInitWebAssembly().then(longcallEarly.replay).finally(goappInitServiceWorker);") || strings.Contains(body, "\ngoappInitServiceWorker();") {
		t.Fatalf("app.js still registers the service worker first:\n%s", body)
	}
	if !strings.Contains(body, `instantiateStreaming(
      fetch("/web/app.wasm"),`) {
		t.Fatalf("app.js does not instantiate the wasm from its fetch:\n%s", body)
	}
}

// The large assets go to browsers as brotli, made when the server built
// them (cmd/server/build.go).
func TestLargeAssetsAreServedAsBrotli(t *testing.T) {
	if ui.PlotlyScript != "/web/"+web.PlotlyFile || ui.MarkdownScript != "/web/"+web.MarkdownItFile {
		t.Fatalf("the page loads %s and %s, the server precompresses %s and %s", ui.PlotlyScript, ui.MarkdownScript, web.PlotlyFile, web.MarkdownItFile)
	}
	const js = "text/javascript; charset=utf-8"
	for path, contentType := range map[string]string{web.WasmPath: "application/wasm", ui.PlotlyScript: js, ui.MarkdownScript: js} {
		req, err := http.NewRequest(http.MethodGet, baseURL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Accept-Encoding", "gzip, deflate, br, zstd") // Chromium's; set by hand, Go's client leaves the body encoded
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		h := resp.Header
		if h.Get("Content-Encoding") != "br" || h.Get("Vary") != "Accept-Encoding" || h.Get("Content-Type") != contentType {
			t.Errorf("%s: %d, headers %v", path, resp.StatusCode, h)
		}
	}
}
