package web

import (
	"embed"
	"io/fs"
	"path"
	"sort"
)

// longcall's own stylesheets and icons are compiled into every app that
// serves its pages, wherever longcall's module lies (a checkout, the
// module cache): an app never copies them. By pattern, so that a new
// stylesheet is served, and linked by the pages (Stylesheets), as it is
// added.
//
//go:embed *.css icons
var static embed.FS

// Static returns longcall's stylesheets and icons, named as in web/.
func Static() fs.FS { return static }

// Stylesheets returns the URLs of longcall's stylesheets, app.css first,
// for a page's <link rel="stylesheet">s.
func Stylesheets() []string {
	names, _ := fs.Glob(static, "*.css")
	sort.Slice(names, func(i, j int) bool {
		return names[i] == "app.css" || (names[j] != "app.css" && names[i] < names[j])
	})
	urls := make([]string, len(names))
	for i, name := range names {
		urls[i] = path.Join("/web", name)
	}
	return urls
}
