package main

import (
	"testing"

	"github.com/longcall/longcall/ui"
)

// TestMarkdownBeforeItsLibrary holds markdown-it back (the browser's request
// for it paused) while the wasm renders the components page: its Markdown
// shows the server's rendering (goldmark's, which leaves raw HTML out) in
// the wasm's nodes, not the bare text; once markdown-it is let through, the
// browser renders with it (raw HTML shown as text).
func TestMarkdownBeforeItsLibrary(t *testing.T) {
	ctx := openTab(t, newProfile(t), "about:blank")
	letMarkdownItThrough := holdBack(t, ctx, "/examples/components", ui.MarkdownScript)
	const md = `document.querySelector('#kit_markdown')`
	// The wasm's node (the server's carries data-lc-server), with the server's HTML.
	waitJS(t, ctx, `!document.querySelector('#app-wasm-loader') && !!`+md+` && !`+md+`.querySelector('[data-lc-server]')`)
	if !evalJS[bool](t, ctx, md+`.querySelector('strong')?.textContent === 'Markdown' && !`+md+`.textContent.includes('<b>')`) {
		t.Fatalf("before markdown-it, the Markdown is not the server's rendering: %s", evalJS[string](t, ctx, md+`.innerHTML`))
	}
	letMarkdownItThrough()
	waitJS(t, ctx, md+`.querySelector('strong')?.textContent === 'Markdown' && `+md+`.textContent.includes('<b>no raw HTML</b>')`)
}
