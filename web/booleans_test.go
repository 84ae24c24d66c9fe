package web

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

func TestTrueBooleansLeavesFalseAttributesOut(t *testing.T) {
	const page = `<button id="run" disabled="false">Run</button><div hidden="false"></div>` +
		`<input type="checkbox" checked="true"><p>disabled=&#34;false&#34;</p>`
	const want = `<button id="run">Run</button><div></div>` +
		`<input type="checkbox" checked="true"><p>disabled=&#34;false&#34;</p>`
	h := TrueBooleans(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(page)))
		w.Write([]byte(page))
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/examples/simple", nil))
	if got := rec.Body.String(); got != want {
		t.Fatalf("page:\n%s\nwant:\n%s", got, want)
	}
	if n := rec.Header().Get("Content-Length"); n != strconv.Itoa(len(want)) {
		t.Fatalf("Content-Length %s, want %d", n, len(want))
	}
}

func TestTrueBooleansLeavesOtherResponsesAlone(t *testing.T) {
	const body = `const s = ' disabled="false"';`
	for _, c := range []struct{ path, contentType string }{
		{"/app.js", "text/javascript"},
		{"/web/page.html", "text/html"},
	} {
		h := TrueBooleans(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", c.contentType)
			w.WriteHeader(http.StatusTeapot)
			w.Write([]byte(body))
		}))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", c.path, nil))
		if rec.Body.String() != body || rec.Code != http.StatusTeapot {
			t.Errorf("%s: %d %q, want %d %q", c.path, rec.Code, rec.Body.String(), http.StatusTeapot, body)
		}
	}
}
