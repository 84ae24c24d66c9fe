package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"
)

func gz(t *testing.T, b []byte) []byte {
	t.Helper()
	out, err := gzipBytes(b, gzip.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func br(t *testing.T, b []byte) []byte {
	t.Helper()
	out, err := brotliBytes(b, 1)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func load(t *testing.T, files fstest.MapFS) *Assets {
	t.Helper()
	a, err := Load(files)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// fetch requests path with an Accept-Encoding and returns the response and
// its body, decoded as its Content-Encoding says.
func fetch(t *testing.T, a *Assets, method, path, acceptEncoding string) (*http.Response, []byte) {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	req.Header.Set("Accept-Encoding", acceptEncoding)
	rec := httptest.NewRecorder()
	a.ServeHTTP(rec, req)
	resp := rec.Result()
	body := rec.Body.Bytes()
	if n, err := strconv.Atoi(resp.Header.Get("Content-Length")); method == http.MethodGet && (err != nil || n != len(body)) {
		t.Fatalf("%s: Content-Length %q for a body of %d bytes", path, resp.Header.Get("Content-Length"), len(body))
	}
	if method == http.MethodHead {
		return resp, body
	}
	var r io.Reader
	switch enc := resp.Header.Get("Content-Encoding"); enc {
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: gzip: %v", path, err)
		}
		r = zr
	case "br":
		r = brotli.NewReader(bytes.NewReader(body))
	case "":
		return resp, body
	default:
		t.Fatalf("%s: Content-Encoding %q", path, enc)
	}
	decoded, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%s: decode %s: %v", path, resp.Header.Get("Content-Encoding"), err)
	}
	return resp, decoded
}

func TestEncodingNegotiation(t *testing.T) {
	wasm := bytes.Repeat([]byte("the current build "), 100)
	a := load(t, fstest.MapFS{"app.wasm": {Data: wasm}})
	for accept, want := range map[string]string{
		"gzip, deflate, br, zstd": "br", // Chromium's
		"br":                      "br",
		"gzip":                    "gzip",
		"GZIP":                    "gzip",
		"gzip, br;q=0":            "gzip",
		"br;q=0.5, gzip":          "gzip", // the client prefers gzip
		"br;q=1.0, gzip;q=1.0":    "br",   // a tie goes to the smaller
		"br;q=0, gzip;q=0":        "",
		"gzip;q=0":                "",
		"*":                       "br",
		"*;q=0":                   "",
		"*, br;q=0":               "gzip",
		"br;q=nonsense, gzip":     "gzip",
		"deflate, identity":       "",
		"":                        "",
	} {
		resp, body := fetch(t, a, http.MethodGet, WasmPath, accept)
		if got := resp.Header.Get("Content-Encoding"); got != want {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", accept, got, want)
		}
		if !bytes.Equal(body, wasm) {
			t.Errorf("Accept-Encoding %q: the body does not decode to app.wasm", accept)
		}
		if ct, vary := resp.Header.Get("Content-Type"), resp.Header.Get("Vary"); ct != "application/wasm" || vary != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: Content-Type %q, Vary %q", accept, ct, vary)
		}
	}
}

func TestHeadHasTheHeadersOfGet(t *testing.T) {
	a := load(t, fstest.MapFS{"app.wasm": {Data: []byte("wasm")}})
	get, _ := fetch(t, a, http.MethodGet, WasmPath, "br")
	head, body := fetch(t, a, http.MethodHead, WasmPath, "br")
	if len(body) != 0 {
		t.Fatalf("HEAD has a body of %d bytes", len(body))
	}
	for _, h := range []string{"Content-Type", "Content-Encoding", "Content-Length", "Vary"} {
		if get.Header.Get(h) != head.Header.Get(h) {
			t.Errorf("%s: GET %q, HEAD %q", h, get.Header.Get(h), head.Header.Get(h))
		}
	}
}

func TestPlotlyIsServedCompressed(t *testing.T) {
	js := bytes.Repeat([]byte("var Plotly = {};\n"), 100)
	a := load(t, fstest.MapFS{
		"app.wasm":         {Data: []byte("wasm")},
		PlotlyFile:         {Data: js},
		PlotlyFile + ".br": {Data: br(t, js)},
	})
	resp, body := fetch(t, a, http.MethodGet, "/web/"+PlotlyFile, "gzip, br")
	if resp.Header.Get("Content-Encoding") != "br" || !bytes.Equal(body, js) {
		t.Fatalf("Content-Encoding %q, body %q", resp.Header.Get("Content-Encoding"), body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/javascript; charset=utf-8" {
		t.Fatalf("Content-Type %q", ct)
	}
}

func TestOtherAssetsAreServedAsTheyAre(t *testing.T) {
	a := load(t, fstest.MapFS{"app.wasm": {Data: []byte("wasm")}, "app.css": {Data: []byte("body {}")}})
	resp, body := fetch(t, a, http.MethodGet, "/web/app.css", "gzip, br")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != "" || string(body) != "body {}" {
		t.Fatalf("status %d, Content-Encoding %q, body %q", resp.StatusCode, resp.Header.Get("Content-Encoding"), body)
	}
}

// A precompressed file left by an earlier build is never served: Load
// compresses the current build itself.
func TestStalePrecompressedWasmIsNotServed(t *testing.T) {
	current, old := []byte("the current build"), []byte("an older build")
	a := load(t, fstest.MapFS{
		"app.wasm":    {Data: current},
		"app.wasm.gz": {Data: gz(t, old)},
		"app.wasm.br": {Data: br(t, old)},
	})
	for _, enc := range []string{"gzip, br", "gzip", "br", "", "nonsense"} {
		if _, got := fetch(t, a, http.MethodGet, WasmPath, enc); !bytes.Equal(got, current) {
			t.Fatalf("Accept-Encoding %q served %q, want %q", enc, got, current)
		}
	}
}

// Up-to-date precompressed files are served as the build made them.
func TestPrecompressedFilesAreServed(t *testing.T) {
	wasm := bytes.Repeat([]byte("wasm "), 1000)
	gzFile, brFile := gz(t, wasm), br(t, wasm)
	a := load(t, fstest.MapFS{"app.wasm": {Data: wasm}, "app.wasm.gz": {Data: gzFile}, "app.wasm.br": {Data: brFile}})
	for enc, want := range map[string][]byte{"gzip": gzFile, "br": brFile} {
		req := httptest.NewRequest(http.MethodGet, WasmPath, nil)
		req.Header.Set("Accept-Encoding", enc)
		rec := httptest.NewRecorder()
		a.ServeHTTP(rec, req)
		if !bytes.Equal(rec.Body.Bytes(), want) {
			t.Errorf("%s: not the build's file", enc)
		}
	}
}

func TestPrecompressWritesWhatIsStaleOnly(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wasm := bytes.Repeat([]byte("new build "), 1000)
	write("app.wasm", wasm)
	write("app.wasm.gz", gz(t, []byte("old build"))) // stale: rewritten
	upToDate := br(t, wasm)                          // kept, though Develop would compress it differently
	write("app.wasm.br", upToDate)

	if err := Precompress(dir, Develop); err != nil { // no plotly.js: skipped
		t.Fatal(err)
	}
	a, err := Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	for _, enc := range []string{"gzip", "br"} {
		if _, got := fetch(t, a, http.MethodGet, WasmPath, enc); !bytes.Equal(got, wasm) {
			t.Fatalf("%s: served %q", enc, got)
		}
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "app.wasm.br")); !bytes.Equal(got, upToDate) {
		t.Fatal("Precompress rewrote an up-to-date app.wasm.br")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 3 {
		t.Fatalf("%d files in web/ after Precompress, want app.wasm and its .gz and .br: %v", len(entries), entries)
	}

	// A release build compresses again what a development build left.
	if err := Precompress(dir, Level{Gzip: gzip.BestCompression, Brotli: 2}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "app.wasm.br")); bytes.Equal(got, upToDate) {
		t.Fatal("Precompress without Reuse kept app.wasm.br")
	}
}

func TestPrecompressNeedsTheWasm(t *testing.T) {
	if err := Precompress(t.TempDir(), Develop); err == nil {
		t.Fatal("Precompress without app.wasm succeeded")
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
