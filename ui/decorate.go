package ui

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// HTMLElement is what Decorate needs of a go-app HTML element (app.Div(),
// app.Select(), …): every one of them has these methods.
type HTMLElement[T any] interface {
	app.UI
	Class(v ...string) T
	Attr(n string, v any) T
}

// Decorate gives el the bound component's id and its common props from the
// store: className (after the classes given here, the kind's own), style
// and the attributes declared with Attr.
func Decorate[T HTMLElement[T]](b *Bound, el T, classes ...string) T {
	el = el.Attr("id", b.ID) // not ID("%s", …): go-app formats with fmt.Sprintf at every render
	if c := b.String("className"); c != "" {
		classes = append(classes, strings.Fields(c)...)
	}
	if len(classes) > 0 {
		el = el.Class(classes...)
	}
	for _, d := range b.styleDecls() {
		el = el.Attr("style", d[0]+":"+d[1]) // as Style(k, "%s", v) does, without fmt
	}
	for _, name := range b.Attrs {
		if v, ok := b.attrValue(name); ok {
			el = el.Attr(name, v)
		}
	}
	return el
}

func (b *Bound) attrValue(name string) (any, bool) {
	var v any
	if !b.Decode(name, &v) {
		return nil, false
	}
	switch v := v.(type) {
	case bool:
		return v, v // a boolean attribute: present or not
	default:
		return textOf(v), true
	}
}

// styleDecls is the style prop as CSS declarations, sorted by property so
// that renders are stable.
func (b *Bound) styleDecls() [][2]string {
	var s Style
	if !b.Decode("style", &s) {
		return nil
	}
	decls := make([][2]string, 0, len(s))
	for k, v := range s {
		if css, ok := cssValue(k, v); ok {
			decls = append(decls, [2]string{cssName(k), css})
		}
	}
	sort.Slice(decls, func(i, j int) bool { return decls[i][0] < decls[j][0] })
	return decls
}

// Content is the component's children: set by a callback (text, a node, or
// a list of both) or else as declared (Text, or the elements of Body).
func (b *Bound) Content() []app.UI {
	raw := b.Raw("children")
	if len(raw) == 0 || string(raw) == "null" {
		return b.Children
	}
	return childrenOf(raw)
}

// childrenOf renders children JSON: a string or number as text, a node as
// its component, a list as each of its items.
func childrenOf(raw json.RawMessage) []app.UI {
	switch raw[0] {
	case '[':
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return nil
		}
		out := make([]app.UI, 0, len(items))
		for _, it := range items {
			if len(it) > 0 && string(it) != "null" {
				out = append(out, childrenOf(it)...)
			}
		}
		return out
	case '{':
		var n Node
		if json.Unmarshal(raw, &n) != nil {
			return nil
		}
		return []app.UI{n.UI()}
	default:
		var v any
		if json.Unmarshal(raw, &v) != nil {
			return nil
		}
		return []app.UI{app.Text(textOf(v))}
	}
}
