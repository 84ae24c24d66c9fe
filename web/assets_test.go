package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"
)

func gz(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func fetchWasm(t *testing.T, a *Assets, encoding string) []byte {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, WasmPath, nil)
	req.Header.Set("Accept-Encoding", encoding)
	rec := httptest.NewRecorder()
	a.ServeHTTP(rec, req)
	body := rec.Body.Bytes()
	if rec.Header().Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		body, _ = io.ReadAll(zr)
	}
	return body
}

func TestStalePrecompressedWasmIsNotServed(t *testing.T) {
	current, old := []byte("the current build"), []byte("an older build")
	a, err := Load(fstest.MapFS{
		"app.wasm":    {Data: current},
		"app.wasm.gz": {Data: gz(t, old)}, // left behind by an earlier build.sh
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, enc := range []string{"gzip, br", ""} {
		if got := fetchWasm(t, a, enc); !bytes.Equal(got, current) {
			t.Fatalf("Accept-Encoding %q served %q, want %q", enc, got, current)
		}
	}
}

func TestVersionFollowsTheWasm(t *testing.T) {
	a1, _ := Load(fstest.MapFS{"app.wasm": {Data: []byte("one")}})
	a2, _ := Load(fstest.MapFS{"app.wasm": {Data: []byte("one")}})
	a3, _ := Load(fstest.MapFS{"app.wasm": {Data: []byte("two")}})
	if a1.Version() != a2.Version() || a1.Version() == a3.Version() {
		t.Fatalf("versions %s %s %s: want equal for equal builds, different otherwise", a1.Version(), a2.Version(), a3.Version())
	}
}
