package web

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// goappLike serves an app.js that starts as go-app v10's, and other paths.
var goappLike = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("ETag", `"v1"`)
	if r.Header.Get("If-None-Match") == `"v1"` {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := "const goappEnv = {};\n\n" + goappStart + "\nfunction goappInitServiceWorker() {}\n"
	if r.URL.Path != "/app.js" {
		body = "something else: " + goappStart
	}
	w.Header().Set("Content-Type", "application/javascript")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Write([]byte(body))
})

func serve(t *testing.T, h http.Handler, path, ifNoneMatch string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if ifNoneMatch != "" {
		req.Header.Set("If-None-Match", ifNoneMatch)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestAppJSRegistersTheServiceWorkerAfterTheFirstRender(t *testing.T) {
	rec := serve(t, RenderFirst(goappLike), "/app.js", "")
	body := rec.Body.String()
	if !strings.Contains(body, renderFirstStart) || strings.Contains(body, goappStart) {
		t.Fatalf("app.js not rewritten:\n%s", body)
	}
	if rec.Header().Get("Content-Length") != strconv.Itoa(len(body)) || rec.Header().Get("ETag") != `"v1"` || rec.Header().Get("Content-Type") != "application/javascript" {
		t.Fatalf("headers %v for a body of %d bytes", rec.Header(), len(body))
	}
}

func TestRenderFirstLeavesTheRestAlone(t *testing.T) {
	if rec := serve(t, RenderFirst(goappLike), "/app.js", `"v1"`); rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
		t.Fatalf("If-None-Match: status %d, %d bytes", rec.Code, rec.Body.Len())
	}
	if body := serve(t, RenderFirst(goappLike), "/web/app.css", "").Body.String(); !strings.Contains(body, goappStart) {
		t.Fatalf("another path was rewritten: %s", body)
	}
}
