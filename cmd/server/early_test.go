package main

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"
)

// TestEarlyInput types and clicks in the server's page while app.wasm is
// held back (the browser's request paused), then lets the wasm through:
// what was done before it ran reaches the callbacks, in order (web/early.go).
// Without the early queue the click is lost under go-app's loader; with
// go-app's disabled="false" in the server's page (web.TrueBooleans) the
// button takes no click at all.
func TestEarlyInput(t *testing.T) {
	ctx := openTab(t, newProfile(t), "about:blank")
	letWasmThrough := holdBack(t, ctx, "/examples/model", "/web/app.wasm")

	// Typed and clicked while the page is the server's (app.js, which asked
	// for the wasm, has run).
	script(t, ctx, `document.querySelector('#name_input').value = ''`)
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#name_input`), "Grace"))
	click(t, ctx, `#greet_button`)
	if got := evalJS[string](t, ctx, `document.querySelector('#greeting').textContent`); got != "Nobody greeted yet" {
		t.Fatalf("the greeting changed before the wasm ran: %q", got)
	}

	letWasmThrough()
	waitJS(t, ctx, `document.querySelector('#greeting').textContent === 'Hello, Grace' && document.querySelector('#greet_count').textContent === '1 greetings'`)
}

// holdBack opens path in the tab with the browser's request for resource
// paused, and returns once the page has asked for it; the function it
// returns lets the request through.
func holdBack(t *testing.T, ctx context.Context, path, resource string) (letThrough func()) {
	t.Helper()
	paused := make(chan fetch.RequestID, 1)
	err := chromedp.Listen(ctx, func(ev any) {
		if p, ok := ev.(*fetch.EventRequestPaused); ok {
			select {
			case paused <- p.RequestID:
			default:
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*" + resource}}}); err != nil {
		t.Fatalf("hold %s back: %v", resource, err)
	}
	do(t, ctx, chromedp.Navigate(baseURL+path))
	var request fetch.RequestID
	select {
	case request = <-paused:
	case <-time.After(60 * time.Second):
		t.Fatalf("%s did not ask for %s", path, resource)
	}
	return func() {
		t.Helper()
		if _, err := chromedp.Call(ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: request}); err != nil {
			t.Fatalf("let %s through: %v", resource, err)
		}
	}
}
