//go:build !js

package host

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httputil"
	"strconv"
	"strings"
	"sync"
)

// DevEventsPath is where a page in dev mode hears of builds: a stream of
// server-sent events, each the state of the build (devStatus).
const DevEventsPath = "/_longcall/dev"

// devScript is what a page runs in dev mode, before go-app's app.js: it
// reloads the page when a new build serves, shows a failed build's errors
// over the app, and keeps the service worker away.
//
//go:embed dev.js
var devScript string

// killSwitchWorker takes the place of go-app's service worker in dev mode.
// A worker left by an earlier run on the same address would serve its
// cache-first copy of the old build; the browser checks its worker's script
// on every navigation, installs this one, which unregisters itself and
// reloads the pages it held, from the network.
const killSwitchWorker = `self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (e) => e.waitUntil(self.registration.unregister()
  .then(() => self.clients.matchAll({ type: "window" }))
  .then((pages) => pages.forEach((p) => p.navigate(p.url)))));
`

// devStatus is the state of the build as the pages hear it.
type devStatus struct {
	Build  int    `json:"build"`            // the build the proxy serves; 0 before the first
	State  string `json:"state"`            // devOK, devBuilding or devFailed
	Output string `json:"output,omitempty"` // a failed build's errors
}

const (
	devOK       = "ok"
	devBuilding = "building"
	devFailed   = "failed"
)

// devHub is the supervisor's HTTP side: the proxy to the child serving
// now, the build's state, and the events that tell pages of it.
type devHub struct {
	mu      sync.Mutex
	status  devStatus
	child   *devChild
	proxy   http.Handler
	changed chan struct{} // closed at each change of status
}

func newDevHub() *devHub {
	return &devHub{status: devStatus{State: devBuilding}, changed: make(chan struct{})}
}

// serve makes child the one the proxy sends every request to, and tells
// the pages: those of an older build reload.
func (h *devHub) serve(child *devChild) {
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(child.url)
			r.Out.Host = r.In.Host // the child checks Host and Origin as the browser sent them
			if r.In.URL.Path == "/app.js" {
				r.Out.Header.Del("Accept-Encoding") // injectScript reads it
			}
		},
		ModifyResponse: func(resp *http.Response) error { return injectScript(resp, child.build) },
		FlushInterval:  -1, // streams (downloads, progress) as the child writes them
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			http.Error(w, "longcall dev mode: the server is restarting: "+err.Error(), http.StatusBadGateway)
		},
	}
	h.set(func(st *devStatus) { *st = devStatus{Build: child.build, State: devOK} }, child, proxy)
}

// building and failed tell the pages; the child serving goes on serving.
func (h *devHub) building() {
	h.set(func(st *devStatus) { st.State, st.Output = devBuilding, "" }, nil, nil)
}

func (h *devHub) failed(output string) {
	h.set(func(st *devStatus) { st.State, st.Output = devFailed, output }, nil, nil)
}

func (h *devHub) set(change func(*devStatus), child *devChild, proxy http.Handler) {
	h.mu.Lock()
	defer h.mu.Unlock()
	change(&h.status)
	if child != nil {
		h.child, h.proxy = child, proxy
	}
	close(h.changed)
	h.changed = make(chan struct{})
}

func (h *devHub) current() (devStatus, http.Handler, <-chan struct{}) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.status, h.proxy, h.changed
}

func (h *devHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	status, proxy, _ := h.current()
	switch {
	case r.URL.Path == DevEventsPath:
		h.events(w, r)
	case r.URL.Path == "/app-worker.js":
		w.Header().Set("Content-Type", "text/javascript")
		w.Header().Set("Cache-Control", "no-store")
		io.WriteString(w, killSwitchWorker)
	case proxy == nil:
		noServer(w, r, status)
	default:
		proxy.ServeHTTP(w, r)
	}
}

// events streams the build's state, now and at each change, until the page
// goes.
func (h *devHub) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	for {
		status, _, changed := h.current()
		data, _ := json.Marshal(status) // one line: JSON escapes the output's newlines
		if _, err := fmt.Fprintf(w, "data: %s\n\n", data); err != nil {
			return
		}
		flusher.Flush()
		select {
		case <-changed:
		case <-r.Context().Done():
			return
		}
	}
}

// noServer answers while no build has served yet: the first is building,
// or failed. A page shows the state and reloads once a build serves.
func noServer(w http.ResponseWriter, r *http.Request, status devStatus) {
	w.Header().Set("Cache-Control", "no-store")
	if !strings.Contains(r.Header.Get("Accept"), "text/html") {
		http.Error(w, "longcall dev mode: no build serves yet ("+status.State+")", http.StatusServiceUnavailable)
		return
	}
	what := "the app is building…"
	if status.State == devFailed {
		what = "the app's build failed."
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusServiceUnavailable)
	fmt.Fprintf(w, "<!doctype html><meta charset=utf-8><title>longcall dev mode</title><p>longcall dev mode: %s</p><script>%s</script>",
		html.EscapeString(what), scriptOf(0))
}

// injectScript puts the dev script before go-app's app.js, which it
// amends, and keeps every answer out of the browser's cache: a reload must
// fetch the new build, never reuse the old.
func injectScript(resp *http.Response, build int) error {
	resp.Header.Set("Cache-Control", "no-cache")
	if resp.Request.URL.Path != "/app.js" || resp.Request.Method != http.MethodGet || resp.StatusCode != http.StatusOK {
		return nil
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return fmt.Errorf("dev mode: read app.js: %w", err)
	}
	body = append([]byte(scriptOf(build)+"\n"), body...)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
	resp.Header.Del("ETag") // the child's is of the file without the script
	return nil
}

// scriptOf is the dev script of a page that build served.
func scriptOf(build int) string {
	return strings.Replace(devScript, "__LONGCALL_BUILD__", strconv.Itoa(build), 1)
}
