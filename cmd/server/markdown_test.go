package main

import (
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"

	"github.com/longcall/longcall/ui"
)

// TestMarkdownBeforeItsLibrary holds markdown-it back (the browser's request
// for it paused) while the wasm renders the components page: its Markdown
// shows the server's rendering (goldmark's, which leaves raw HTML out) in
// the wasm's nodes, not the bare text; once markdown-it is let through, the
// browser renders with it (raw HTML shown as text).
func TestMarkdownBeforeItsLibrary(t *testing.T) {
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
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*" + ui.MarkdownScript}}}); err != nil {
		t.Fatalf("hold markdown-it back: %v", err)
	}
	do(t, ctx, chromedp.Navigate(baseURL+"/examples/components"))
	var script fetch.RequestID
	select {
	case script = <-paused:
	case <-time.After(60 * time.Second):
		t.Fatal("the page did not ask for markdown-it")
	}
	const md = `document.querySelector('#kit_markdown')`
	// The wasm's node (the server's carries data-lc-server), with the server's HTML.
	waitJS(t, ctx, `!document.querySelector('#app-wasm-loader') && !!`+md+` && !`+md+`.querySelector('[data-lc-server]')`)
	if !evalJS[bool](t, ctx, md+`.querySelector('strong')?.textContent === 'Markdown' && !`+md+`.textContent.includes('<b>')`) {
		t.Fatalf("before markdown-it, the Markdown is not the server's rendering: %s", evalJS[string](t, ctx, md+`.innerHTML`))
	}
	if _, err := chromedp.Call(ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: script}); err != nil {
		t.Fatalf("let markdown-it through: %v", err)
	}
	waitJS(t, ctx, md+`.querySelector('strong')?.textContent === 'Markdown' && `+md+`.textContent.includes('<b>no raw HTML</b>')`)
}
