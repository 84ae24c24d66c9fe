package web

import (
	"bytes"
	"net/http"
	"strconv"
)

// goappStart is how go-app's app.js (v10) starts: the service worker
// first, then app.wasm.
const goappStart = "goappInitServiceWorker();\ngoappWatchForUpdate();\ngoappWatchForInstallable();\ngoappInitWebAssembly();\n"

// renderFirstStart starts app.wasm first, replays what was clicked and typed
// before it ran (web/early.go), and registers the service worker once the
// app has rendered (or failed to load: finally).
const renderFirstStart = "goappWatchForUpdate();\ngoappWatchForInstallable();\ngoappInitWebAssembly().then(longcallEarly.replay).finally(goappInitServiceWorker);\n"

// goappUpdateCheck is how go-app's app.js tells a new version: a worker
// that activates while a worker controls the page. A worker that holds its
// activation open until it has claimed the page (worker.js) controls it by
// then on a first visit too, so the first install looked like an update.
const goappUpdateCheck = `    const newSW = registration.installing;
    newSW.addEventListener("statechange", (event) => {
      if (!navigator.serviceWorker.controller) {`

// updateCheck asks instead whether a worker controlled the page when the new
// one was found: only then does it replace a version.
const updateCheck = `    const newSW = registration.installing;
    const replacing = navigator.serviceWorker.controller !== null;
    newSW.addEventListener("statechange", (event) => {
      if (!replacing) {`

// RenderFirst wraps go-app's handler so that its app.js registers the
// service worker after the app's first render instead of before app.wasm
// is even asked for. On a first visit the worker's install downloads and
// stores every page and asset, app.wasm and plotly.js included: on a
// 2-core machine that work, racing the page's own download and compile,
// nearly doubled the first render. It also makes the server's page usable
// before the wasm runs and instantiates the wasm straight from its fetch
// (web/early.go), fixes go-app's test for a new version (updateCheck), and
// defines the function a DataTable writes its cells with (web/texts.go).
// An app.js that does not start as go-app v10's does is served as it is.
func RenderFirst(goapp http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/app.js" && r.URL.Path != "/goapp.js" {
			goapp.ServeHTTP(w, r)
			return
		}
		serveEdited(goapp, w, r, func(status int, body []byte) ([]byte, bool) {
			if status != http.StatusOK || !bytes.Contains(body, []byte(goappStart)) {
				return body, false
			}
			body = bytes.Replace(body, []byte(goappStart), []byte(renderFirstStart), 1)
			body = bytes.Replace(body, []byte(goappUpdateCheck), []byte(updateCheck), 1)
			body = bytes.Replace(body, []byte(goappFetch), []byte(directFetch), 1)
			body = bytes.Replace(body, []byte(goappProgress), []byte(noProgress), 1)
			return append([]byte(earlyJS+textsJS), body...), true
		})
	})
}

// serveEdited serves goapp's answer to r with its body passed through edit,
// which reports whether it changed it: a changed body gets its own
// Content-Length.
func serveEdited(goapp http.Handler, w http.ResponseWriter, r *http.Request, edit func(status int, body []byte) ([]byte, bool)) {
	buf := &bufferedResponse{header: w.Header()}
	goapp.ServeHTTP(buf, r)
	if buf.status == 0 {
		buf.status = http.StatusOK // nothing written: net/http's default
	}
	body, changed := edit(buf.status, buf.body.Bytes())
	if changed {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	}
	w.WriteHeader(buf.status)
	w.Write(body)
}

// bufferedResponse holds what a handler writes, headers excepted: they go
// to the real response's, which is not written yet.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header { return b.header }

func (b *bufferedResponse) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	b.WriteHeader(http.StatusOK)
	return b.body.Write(p)
}
