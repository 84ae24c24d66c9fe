// Command app is the dashboard's WebAssembly entry point. cmd/server builds it
// into web/app.wasm (GOOS=js GOARCH=wasm) and serves it.
package main

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/ui/examples"
)

func main() {
	examples.Routes()
	app.RunWhenOnBrowser()
}
