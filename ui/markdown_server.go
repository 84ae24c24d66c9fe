//go:build !js

package ui

import (
	"bytes"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// md renders CommonMark with GitHub's tables, strikethrough and autolinks.
// goldmark's default leaves raw HTML out ("<!-- raw HTML omitted -->") and
// drops javascript: and other dangerous link targets.
var md = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify))

// renderMarkdown renders the text with goldmark, for the page's first HTML.
func renderMarkdown(b *Bound) app.UI {
	text := b.String("children")
	var html bytes.Buffer
	if err := md.Convert([]byte(text), &html); err != nil {
		return markdownText(b, text)
	}
	return markdownHTML(b, " "+serverRendered, html.String())
}
