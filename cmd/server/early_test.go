package main

import (
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"
)

// TestEarlyInput types and clicks in the server's page while app.wasm is
// held back (the browser's request paused), then lets the wasm through:
// what was done before it ran reaches the callbacks, in order (web/early.go).
// Without the early queue the prerendered button is disabled
// (disabled="false") and under go-app's loader, and the click is lost.
func TestEarlyInput(t *testing.T) {
	ctx := openTab(t, newProfile(t), "about:blank")
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
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*/web/app.wasm"}}}); err != nil {
		t.Fatalf("hold app.wasm back: %v", err)
	}
	do(t, ctx, chromedp.Navigate(baseURL+"/examples/model"))
	var wasm fetch.RequestID
	select {
	case wasm = <-paused:
	case <-time.After(60 * time.Second):
		t.Fatal("the page did not ask for app.wasm")
	}

	// Typed and clicked while the page is the server's (app.js, which asked
	// for the wasm, has run).
	script(t, ctx, `document.querySelector('#name_input').value = ''`)
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#name_input`), "Grace"))
	click(t, ctx, `#greet_button`)
	if got := evalJS[string](t, ctx, `document.querySelector('#greeting').textContent`); got != "Nobody greeted yet" {
		t.Fatalf("the greeting changed before the wasm ran: %q", got)
	}

	if _, err := chromedp.Call(ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: wasm}); err != nil {
		t.Fatalf("let app.wasm through: %v", err)
	}
	waitJS(t, ctx, `document.querySelector('#greeting').textContent === 'Hello, Grace' && document.querySelector('#greet_count').textContent === '1 greetings'`)
}
