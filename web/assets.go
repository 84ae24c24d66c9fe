// Package web holds the app's static assets (icons, CSS, browser libraries
// installed from npm, and the built app.wasm) and serves them: embedded in a
// production build (-tags embed, see build.sh), from disk otherwise.
package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
)

// WasmPath is where go-app loads the app from.
const WasmPath = "/web/app.wasm"

// Assets serves /web/ for go-app's handler (it is an app.ResourceResolver
// that is also an http.Handler), with app.wasm gzip-compressed once at load
// instead of on every request.
type Assets struct {
	files   http.Handler
	wasm    []byte
	wasmGz  []byte
	version string
}

// Load reads the assets of files, a view of web/ whose paths have no "web/"
// prefix. app.wasm must be present: build it first (cmd/server does in
// development).
func Load(files fs.FS) (*Assets, error) {
	wasm, err := fs.ReadFile(files, "app.wasm")
	if err != nil {
		return nil, fmt.Errorf("web: read app.wasm: %w", err)
	}
	gz, err := fs.ReadFile(files, "app.wasm.gz") // precompressed by build.sh
	if err != nil || !compresses(gz, wasm) {
		// None, or left by an older build: serving it would run stale code.
		if gz, err = compress(wasm); err != nil {
			return nil, fmt.Errorf("web: compress app.wasm: %w", err)
		}
	}
	sum := sha256.Sum256(wasm)
	return &Assets{
		files:   http.StripPrefix("/web", http.FileServerFS(files)),
		wasm:    wasm,
		wasmGz:  gz,
		version: hex.EncodeToString(sum[:8]),
	}, nil
}

// Version identifies the build: it changes when app.wasm changes and only
// then, so restarts keep browser caches and new builds replace them.
func (a *Assets) Version() string { return a.version }

// WasmSize is app.wasm's uncompressed size, which go-app's loader needs for
// its progress when the download is compressed.
func (a *Assets) WasmSize() int { return len(a.wasm) }

// Resolve implements app.ResourceResolver: assets are served where they are.
func (a *Assets) Resolve(path string) string { return path }

// ServeHTTP serves a /web/ path.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != WasmPath {
		a.files.ServeHTTP(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/wasm")
	w.Header().Add("Vary", "Accept-Encoding")
	body := a.wasm
	if acceptsGzip(r) {
		w.Header().Set("Content-Encoding", "gzip")
		body = a.wasmGz
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

func acceptsGzip(r *http.Request) bool {
	for _, enc := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		if strings.TrimSpace(strings.SplitN(enc, ";", 2)[0]) == "gzip" {
			return true
		}
	}
	return false
}

// compresses reports whether gz is the gzip of raw.
func compresses(gz, raw []byte) bool {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return false
	}
	got, err := io.ReadAll(io.LimitReader(zr, int64(len(raw))+1))
	return err == nil && bytes.Equal(got, raw)
}

func compress(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
