// Command app is the demo dashboard's WebAssembly entry point: cmd/server
// builds it (GOOS=js GOARCH=wasm) and serves it, as runtime/host does for
// any app.
package main

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/ui/examples"
)

// version is set at build time (-ldflags -X main.version=…) to tell builds
// apart in the browser's console.
var version = "dev"

func main() {
	app.Logf("longcall app %s", version)
	examples.Routes()
	app.RunWhenOnBrowser()
}
