// Command precompress writes the gzip (.gz) and brotli (.br) of web/'s
// large assets (app.wasm, plotly.js) next to them, compressed as hard as
// the formats allow, for a production build to embed and serve. build.sh
// runs it; `go run ./cmd/server` does the same, faster, by itself.
//
//	go run ./web/precompress [dir]    # dir defaults to web
package main

import (
	"fmt"
	"os"

	"github.com/longcall/longcall/web"
)

func main() {
	dir := "web"
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	if err := web.Precompress(dir, web.Release); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
