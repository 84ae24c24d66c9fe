//go:build embed

package web

import (
	"embed"
	"io/fs"
)

//go:embed app.wasm app.wasm.gz app.css icons node_modules/plotly.js-dist-min/plotly.min.js
var embedded embed.FS

// Embedded returns the assets compiled into the binary, or nil in a build
// without them.
func Embedded() fs.FS { return embedded }
