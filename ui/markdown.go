package ui

import (
	"bytes"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// md renders CommonMark with GitHub's tables, strikethrough and autolinks.
// goldmark's default leaves raw HTML out ("<!-- raw HTML omitted -->") and
// drops javascript: and other dangerous link targets: what a callback
// returns is shown as text and formatting, never run.
var md = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify))

var markdownKind = Register(Kind{
	Name: "Markdown",
	Render: func(b *Bound) app.UI {
		var html bytes.Buffer
		if err := md.Convert([]byte(b.String("children")), &html); err != nil {
			return Decorate(b, app.Div(), "lc-markdown").Text(b.String("children"))
		}
		return Decorate(b, app.Div(), "lc-markdown").Body(app.Raw("<div>" + html.String() + "</div>"))
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
