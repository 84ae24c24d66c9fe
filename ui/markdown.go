package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// MarkdownScript is where the page loads markdown-it from: installed from
// the npm registry into web/, never fetched from a remote host. The first
// Markdown a page mounts loads it, as the first Graph loads plotly.js.
//
// Markdown renders on the server with goldmark (markdown_server.go), so
// that a page's first HTML has its formatted text, and in the browser with
// markdown-it (markdown_js.go): goldmark and the regexp and unicode tables
// it brings would be 1.4 MB of the wasm's 9.8 (docs/BENCHMARKS.md), and
// markdown-it is 100 KB of JavaScript loaded only by pages that show
// Markdown. Both render CommonMark with GitHub's tables, strikethrough and
// autolinks, leave raw HTML unrendered and drop javascript: and other
// dangerous link targets: what a callback returns is shown as text and
// formatting, never run.
const MarkdownScript = "/web/node_modules/markdown-it/dist/browser/markdown-it.umd.min.js"

var markdownKind = Register(Kind{
	Name:   "Markdown",
	Render: renderMarkdown,
	Mount: func(ctx app.Context, b *Bound) {
		// Once markdown-it has loaded, render again with it.
		withScript(ctx, MarkdownScript, "markdownit", func(app.Context) {})
	},
})

// MarkdownElem renders its children, Markdown text, as Dash's dcc.Markdown:
// CommonMark with tables, strikethrough and autolinks; raw HTML is never
// rendered. Props: children (the text), className, style.
type MarkdownElem struct{ elem[MarkdownElem] }

// Markdown returns a bound Markdown block showing text.
func Markdown(id, text string) *MarkdownElem {
	m := new(MarkdownElem)
	return m.init(m, markdownKind, id, nil).With("children", text)
}

// serverRendered marks the HTML the server rendered, for the browser to
// show until markdown-it has loaded (prerenderedMarkdown).
const serverRendered = "data-lc-server"

// markdownHTML is the Markdown block with html, rendered from its text, in
// an inner div (go-app's Raw takes one element). attrs are that div's.
func markdownHTML(b *Bound, attrs, html string) app.UI {
	return Decorate(b, app.Div(), "lc-markdown").Body(app.Raw("<div" + attrs + ">" + html + "</div>"))
}

// markdownText is the Markdown block with its text as it is: while no
// rendering of it is at hand.
func markdownText(b *Bound, text string) app.UI {
	return Decorate(b, app.Div(), "lc-markdown").Body(app.Div().Class("lc-markdown-text").Text(text))
}
