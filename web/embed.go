//go:build embed

package web

import (
	"embed"
	"io/fs"
)

// The precompressed files are build.sh's (web/precompress): without them a
// production server would compress at every start, and less well.
//
//go:embed app.wasm app.wasm.gz app.wasm.br app.css icons
//go:embed node_modules/plotly.js-dist-min/plotly.min.js node_modules/plotly.js-dist-min/plotly.min.js.gz node_modules/plotly.js-dist-min/plotly.min.js.br
var embedded embed.FS

// Embedded returns the assets compiled into the binary, or nil in a build
// without them.
func Embedded() fs.FS { return embedded }
