//go:build js

package ui

import (
	"encoding/json"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// markdownIt is markdown-it's renderer once its script has loaded, with
// goldmark's behaviour on the server: html false (raw HTML is shown as
// text, never rendered), linkify (bare URLs become links); its default
// preset has tables and strikethrough, and its validateLink drops
// javascript:, vbscript:, file: and data: (but image) links.
var markdownIt app.Value

func markdownRenderer() app.Value {
	if markdownIt == nil {
		ctor := app.Window().Get("markdownit")
		if !ctor.Truthy() {
			return nil
		}
		markdownIt = ctor.Invoke(map[string]any{"html": false, "linkify": true})
	}
	return markdownIt
}

// renderMarkdown renders the text with markdown-it; before it has loaded,
// the server's rendering of the same text if the page has it, else the text.
func renderMarkdown(b *Bound) app.UI {
	text := b.String("children")
	if md := markdownRenderer(); md != nil {
		return markdownHTML(b, "", md.Call("render", text).String())
	}
	if html, ok := prerenderedMarkdown(b, text); ok {
		return markdownHTML(b, "", html)
	}
	return markdownText(b, text)
}

// prerenderedMarkdown returns the HTML the server rendered for this block,
// if text is what it rendered (the declared text): read from the server's
// page at the block's first render (go-app renders the wasm's page, then
// replaces the server's with it), and kept for the renders until
// markdown-it has loaded.
func prerenderedMarkdown(b *Bound, text string) (string, bool) {
	var declared string
	if json.Unmarshal(b.Initial["children"], &declared) != nil || declared != text {
		return "", false
	}
	if html, ok := b.Local("serverHTML").(string); ok {
		return html, true
	}
	el := app.Window().Get("document").Call("getElementById", b.ID)
	if !el.Truthy() {
		return "", false
	}
	inner := el.Get("firstElementChild")
	if !inner.Truthy() || !inner.Call("hasAttribute", serverRendered).Bool() {
		return "", false
	}
	html := inner.Get("innerHTML").String()
	b.SetLocal("serverHTML", html)
	return html, true
}
