// Package web holds the app's static assets (icons, CSS, browser libraries
// installed from npm, and the built app.wasm) and serves them: embedded in a
// production binary (appended by cmd/longcall build), from disk otherwise;
// longcall's own CSS and icons are always compiled in (static.go).
package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
)

// WasmPath is where go-app loads the app from.
const WasmPath = "/web/app.wasm"

// PlotlyFile is plotly.js in web/, as npm installs it (ui.PlotlyScript is
// its URL).
const PlotlyFile = "node_modules/plotly.js-dist-min/plotly.min.js"

// MarkdownItFile is markdown-it in web/, as npm installs it
// (ui.MarkdownScript is its URL): ui.Markdown renders with it in the
// browser, which is 1.4 MB of wasm less than Go's goldmark there.
const MarkdownItFile = "node_modules/markdown-it/dist/browser/markdown-it.umd.min.js"

// Libraries are the npm files the browser loads, from package.json: an
// installed node_modules has every one of them.
var Libraries = []string{PlotlyFile, MarkdownItFile}

// Precompressed are the assets served compressed: the large ones, which
// a first visit downloads. Each may have, next to it, its gzip (.gz) and
// brotli (.br) made at build time (Precompress).
var Precompressed = append([]string{"app.wasm"}, Libraries...)

// Assets serves /web/ for go-app's handler (it is an app.ResourceResolver
// that is also an http.Handler). The Precompressed assets are held in
// memory in every encoding, and each request gets the smallest it accepts.
type Assets struct {
	files      http.Handler
	compressed map[string]*encoded // by URL path, "/web/app.wasm"
	wasmSize   int
	version    string
}

// encoded is one asset in every encoding it is served in.
type encoded struct {
	contentType string
	raw, gz, br []byte
}

// Load reads the assets of files, a view of web/ whose paths have no "web/"
// prefix. app.wasm must be present: build it first (cmd/server does in
// development). A precompressed file that is missing, or is not the
// compression of the asset as it is now (left by an older build), is made
// again in memory, faster and a little larger than a build makes it.
func Load(files fs.FS) (*Assets, error) {
	a := &Assets{
		files:      http.StripPrefix("/web", http.FileServerFS(files)),
		compressed: map[string]*encoded{},
	}
	for _, name := range Precompressed {
		e, err := loadEncoded(files, name)
		if errors.Is(err, fs.ErrNotExist) && name != "app.wasm" {
			continue // served as it is, or not at all, by the file server
		}
		if err != nil {
			return nil, fmt.Errorf("web: %w", err)
		}
		a.compressed["/web/"+name] = e
	}
	wasm := a.compressed[WasmPath].raw
	sum := sha256.Sum256(wasm)
	a.wasmSize, a.version = len(wasm), hex.EncodeToString(sum[:8])
	return a, nil
}

// loadEncoded reads name and its precompressed files, and compresses what
// is missing or stale.
func loadEncoded(files fs.FS, name string) (*encoded, error) {
	raw, err := fs.ReadFile(files, name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	e := &encoded{contentType: contentType(name), raw: raw}
	if e.gz = readCompressed(files, name+".gz", raw, gunzip); e.gz == nil {
		if e.gz, err = gzipBytes(raw, fastGzip); err != nil {
			return nil, fmt.Errorf("gzip %s: %w", name, err)
		}
	}
	if e.br = readCompressed(files, name+".br", raw, unbrotli); e.br == nil {
		if e.br, err = brotliBytes(raw, fastBrotli); err != nil {
			return nil, fmt.Errorf("brotli %s: %w", name, err)
		}
	}
	return e, nil
}

// readCompressed returns the file name if it decodes to raw, else nil.
func readCompressed(files fs.FS, name string, raw []byte, decode decoder) []byte {
	b, err := fs.ReadFile(files, name)
	if err != nil || !decodesTo(b, raw, decode) {
		return nil
	}
	return b
}

func contentType(name string) string {
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// Version identifies the build: it changes when app.wasm changes and only
// then, so restarts keep browser caches and new builds replace them.
func (a *Assets) Version() string { return a.version }

// WasmSize is app.wasm's uncompressed size, which go-app's loader needs for
// its progress when the download is compressed.
func (a *Assets) WasmSize() int { return a.wasmSize }

// Resolve implements app.ResourceResolver: assets are served where they are.
func (a *Assets) Resolve(path string) string { return path }

// ServeHTTP serves a /web/ path. go-app's handler, which calls it, has set
// Cache-Control (no-cache) and the ETag (the version) already, and answered
// a matching If-None-Match itself.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e, ok := a.compressed[r.URL.Path]
	if !ok {
		a.files.ServeHTTP(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", e.contentType)
	h.Add("Vary", "Accept-Encoding")
	body := e.raw
	switch encoding := negotiate(r.Header.Get("Accept-Encoding")); encoding {
	case "br":
		body = e.br
		h.Set("Content-Encoding", encoding)
	case "gzip":
		body = e.gz
		h.Set("Content-Encoding", encoding)
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}
