//go:build js

package host

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// Run, in the browser, registers the app's pages and runs it.
func Run(opts ...Option) {
	c := Configure(opts...)
	c.registerRoutes()
	app.RunWhenOnBrowser()
}
