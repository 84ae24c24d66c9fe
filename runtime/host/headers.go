//go:build !js

package host

import (
	"bufio"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// ContentSecurityPolicy, on every response, lets the page run what this server serves and
// nothing else: go-app's scripts and plotly.js from /, app.wasm compiled
// with 'wasm-unsafe-eval' (WebAssembly.instantiateStreaming needs it; no
// JavaScript eval is allowed), the websocket and fetches to this origin
// only ('self' covers ws: and wss: of the same host), and no framing.
// Styles allow 'unsafe-inline': go-app renders style attributes and
// plotly.js injects its stylesheet; style cannot run code, and the rest of
// the policy keeps an injected style from loading anything remote.
const ContentSecurityPolicy = "default-src 'self'; " +
	"script-src 'self' 'wasm-unsafe-eval'; " +
	"style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; " +
	"font-src 'self' data:; " +
	"connect-src 'self'; " +
	"worker-src 'self'; " +
	"manifest-src 'self'; " +
	"object-src 'none'; " +
	"base-uri 'self'; " +
	"form-action 'self'; " +
	"frame-ancestors 'none'"

// secureHeaders sets on every response the headers a wasm app served to
// the open web should carry.
func secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY") // frame-ancestors, for browsers that predate it
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// logRequests logs each request at debug level, with what an operator
// follows a request by: method, path, status, time taken and the client.
func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !log.Enabled(r.Context(), slog.LevelDebug) {
			next.ServeHTTP(w, r)
			return
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		start := time.Now()
		next.ServeHTTP(rec, r)
		log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", rec.status,
			"duration", time.Since(start), "remote", r.RemoteAddr, "user_agent", r.UserAgent())
	})
}

// statusRecorder remembers the status a handler wrote. It hijacks, as the
// websocket upgrade needs (gorilla asks for an http.Hijacker).
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	r.status = http.StatusSwitchingProtocols
	return http.NewResponseController(r.ResponseWriter).Hijack()
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
