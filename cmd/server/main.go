// Command server runs the longcall demo dashboard: the seed's five examples
// and the pages beyond them, served by runtime/host as any app is.
//
//	go run ./cmd/server            # builds web/app.wasm, serves on 127.0.0.1:8000
//	go run ./cmd/server -addr :9000 -workers 64
//
// The browser half is cmd/app: the demo keeps its handlers (and the server)
// out of the wasm, as docs/GETTING-STARTED.md's two-file layout does.
package main

import (
	"github.com/longcall/longcall/runtime/host"
	"github.com/longcall/longcall/ui/examples"
)

func main() {
	host.Run(demo()...)
}

// demo is the demo's app: its pages, the managers its callbacks name, and
// the check of every page's callbacks against its layout.
func demo() []host.Option {
	opts := []host.Option{
		host.Title("longcall — background callbacks for Go dashboards"),
		func(c *host.Config) {
			c.Description = "Long jobs behind a dashboard: progress, cancel and results pushed over one websocket."
			c.WasmPackage = "github.com/longcall/longcall/cmd/app"
		},
		host.Manager(examples.Manager, 0),      // the default manager, named as the seed passes one
		host.Manager(examples.QueueManager, 1), // one job at a time: a second waits and shows its place
		host.Check(examples.Validate),
		host.Route("/", examples.Index),
		// Who is calling: the account page's login (ui/examples/account*.go).
		host.Authenticate(examples.Authenticate),
		host.Login(examples.LoginPath),
		host.Route(examples.LoginPath, examples.LoginPage),
		host.Handle("POST "+examples.LoginPath, examples.LoginHandler()),
		host.Handle("POST "+examples.LogoutPath, examples.LogoutHandler()),
		host.CallerCookies(examples.LCBC019Cookie),
		host.RouteMatch(examples.ComponentsPattern, examples.ComponentsPage), // its pages by URL
		host.Route(examples.LatencyPath, examples.Latency),                   // for BenchmarkInteractive
	}
	for _, e := range examples.All {
		opts = append(opts, host.Route(e.Path, e.Page, host.AllowDashboard(e.Dash)))
	}
	return opts
}
