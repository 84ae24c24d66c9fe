// Package host runs a longcall app, in the browser and on the server, from
// one main package:
//
//	func main() {
//		progress.Handle(updateProgress)
//		host.Run(host.Page("/", dash, layout))
//	}
//
// Built for the browser (GOOS=js GOARCH=wasm), Run registers the pages with
// go-app and runs the app. Built for the server, it registers the same
// pages and serves them: the pages and their wasm, built in the app's module
// at start-up (or carried by a production binary: cmd/longcall build), the
// callbacks' websocket, background jobs in-process or on Redis (roles web
// and worker), /healthz, /readyz, /metrics, the security headers, the drain
// on SIGTERM. Options in code set the defaults; the command line (-addr,
// -workers, …) and LONGCALL_* environment variables override them.
//
// The browser half imports neither the jobs nor the server: a one-file app
// builds for js/wasm. Handlers, and what they import, are compiled into the
// wasm too, though the browser never runs them; to keep server code and
// secrets out of it, put the handlers in a second file behind
// //go:build !js (docs/GETTING-STARTED.md).
package host

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/ui"
)

// An Option configures the app: its pages, and any field of Config.
type Option func(*Config)

// Page serves dash on path, its layout made by layout: the page's bound
// components share one store, its callbacks run over the app's websocket,
// and callback errors show above the layout. The server checks at start-up
// that the callbacks name what the layout has. Only the principals the
// dashboard allows (runtime.DashboardAllow) and opts allow open the page.
func Page(path string, dash *runtime.Dashboard, layout func() app.UI, opts ...PageOption) Option {
	page := func() app.Composer { return ui.Dashboard(dash, layout()) }
	r := newRoute(path, page, false, append([]PageOption{AllowDashboard(dash)}, opts...))
	return func(c *Config) {
		c.routes = append(c.routes, r)
		c.checks = append(c.checks, func() error { return ui.Validate(dash, page()) })
	}
}

// Route serves a go-app component of the app's own on path: a page without
// callbacks, or one that wraps ui.Dashboard in a frame.
func Route(path string, page func() app.Composer, opts ...PageOption) Option {
	r := newRoute(path, page, false, opts)
	return func(c *Config) { c.routes = append(c.routes, r) }
}

// RouteMatch serves page on every path the regular expression matches: a
// page whose sub-paths are its own (ui.Location, ui.Link).
func RouteMatch(pattern string, page func() app.Composer, opts ...PageOption) Option {
	r := newRoute(pattern, page, true, opts)
	return func(c *Config) { c.routes = append(c.routes, r) }
}

// Check adds a start-up check: the server refuses to start when it fails.
func Check(check func() error) Option {
	return func(c *Config) { c.checks = append(c.checks, check) }
}

// Manager declares a jobs manager that callbacks name (runtime.Manager,
// runtime.DefaultManager), with workers jobs of its own at once (per
// worker process on Redis, on a queue of its own); workers 0 makes the name
// another for the default manager.
func Manager(name string, workers int) Option {
	return func(c *Config) {
		if c.managers == nil {
			c.managers = map[string]int{}
		}
		c.managers[name] = workers
	}
}

// Title sets the pages' title.
func Title(title string) Option {
	return func(c *Config) { c.Title = title }
}

// route is a page of the app.
type route struct {
	path   string
	page   func() app.Composer
	regexp bool           // path is a regular expression
	allow  []runtime.Rule // who may open it: see Allow
}

// Configure returns the defaults with opts applied: what Run starts from
// before it reads the command line.
func Configure(opts ...Option) Config {
	c := Defaults()
	for _, o := range opts {
		o(&c)
	}
	return c
}

// register registers the app's pages with go-app.
func (c *Config) registerRoutes() {
	for _, r := range c.routes {
		if r.regexp {
			app.RouteWithRegexp(r.path, r.page)
			continue
		}
		app.Route(r.path, r.page)
	}
}
