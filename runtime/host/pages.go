//go:build !js

package host

import (
	"fmt"
	"net/http"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"github.com/longcall/longcall/ui"
	"github.com/longcall/longcall/web"
)

// pages is go-app's handler: the pages, the PWA files (manifest, service
// worker) and /web/ assets; its app.js registers the service worker after
// the first render. Its icons are longcall's, served from the app, never
// go-app's default one from the internet. Its pages leave out the boolean
// attributes set false, which go-app writes as disabled="false".
func pages(c Config, assets *web.Assets) http.Handler {
	return web.RenderFirst(web.TrueBooleans(&app.Handler{
		Name:        c.Name,
		ShortName:   c.Name,
		Title:       c.Title,
		Description: c.Description,
		Domain:      c.Domain,
		Image:       "/web/icons/icon-512.png", // what a shared link shows, not the bare domain
		Icon: app.Icon{
			Default:  "/web/icons/icon-192.png",
			Large:    "/web/icons/icon-512.png",
			Maskable: "/web/icons/icon-maskable-512.png",
			SVG:      "/web/icons/icon.svg",
		},
		BackgroundColor: "#1f2a44",
		ThemeColor:      "#1f2a44",
		Styles:          web.Stylesheets(),
		// No Scripts: plotly.js, as large as the app, is loaded by the pages
		// that draw a chart (ui.Graph), markdown-it by those that show
		// Markdown, not before every first render.
		// Every page opens offline, not only "/": go-app's worker serves
		// what it cached, cache first, plotly.js and markdown-it included.
		CacheableResources:    append(c.paths(), "/web/icons/icon.svg", ui.PlotlyScript, ui.MarkdownScript),
		ServiceWorkerTemplate: web.WorkerJS,
		Resources:             assets,
		Version:               assets.Version(),
		WasmContentLength:     fmt.Sprint(assets.WasmSize()),
	}))
}

// paths are the app's pages that go-app's service worker may keep: not a
// guarded one (Allow), which is for some principals only.
func (c Config) paths() []string {
	var paths []string
	for _, r := range c.routes {
		if !r.regexp && len(r.allow) == 0 { // a pattern is no URL: the worker's install would fail on it
			paths = append(paths, r.path)
		}
	}
	return paths
}
