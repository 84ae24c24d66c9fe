package appbuild

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The demo's wasm carries no server code: neither go-app's Handler nor a
// Go websocket client pull net/http (and crypto/tls) into it. The file
// names of the Go runtime's tables name every package linked in.
func TestWasmLeavesNetHTTPOut(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo's wasm")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	out := filepath.Join(t.TempDir(), WasmFile)
	if err := BuildWasm(ctx, io.Discard, "../..", "./cmd/app", out); err != nil {
		t.Fatal(err)
	}
	wasm, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, linked := range []string{"net/http/server.go", "crypto/tls/", "github.com/coder/websocket"} {
		if bytes.Contains(wasm, []byte(linked)) {
			t.Errorf("app.wasm (%d bytes) links %s", len(wasm), linked)
		}
	}
}

// Every change made to go-app's copy for the browser finds its text in
// go-app goappVersion: the copy is made (else the build fails), and made as
// these changes say.
func TestGoappCopyForTheBrowser(t *testing.T) {
	t.Setenv("LONGCALL_CACHE", filepath.Join(t.TempDir(), "new")) // as on a machine's first build: not there yet
	ctx := context.Background()
	found, err := goList(ctx, ".", "-m", "-f", "{{.Dir}}", goappModule)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := goappForBrowser(found)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range allGoappEdits() {
		src, err := os.ReadFile(filepath.Join(dir, "pkg", "app", e.file))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(src, []byte(e.new)) {
			t.Errorf("%s lacks %q", e.file, e.new)
		}
	}
	for _, name := range []string{"http.go", "resource.go"} {
		src, err := os.ReadFile(filepath.Join(dir, "pkg", "app", name))
		if err != nil || !bytes.HasPrefix(src, []byte("//go:build !wasm\n")) {
			t.Errorf("%s is not for the server only (%v)", name, err)
		}
	}
}

// An app whose browser code uses go-app's encrypted storage, which the
// copy leaves out (goapp_size.go), still builds: with go-app as it is.
func TestWasmWithEncryptedStorageBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a wasm twice")
	}
	dir := t.TempDir()
	sum, err := os.ReadFile("../../go.sum")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"go.mod": "module example.com/encrypts\n\ngo 1.26\n\nrequire " + goappModule + " " + goappVersion + "\n",
		"go.sum": string(sum),
		"main.go": `package main

import "github.com/maxence-charriere/go-app/v10/pkg/app"

type page struct{ app.Compo }

func (p *page) OnMount(ctx app.Context) { ctx.SetState("secret", 42).PersistWithEncryption() }

func main() {
	app.Route("/", func() app.Composer { return &page{} })
	app.RunWhenOnBrowser()
}
`}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("GOFLAGS", "-mod=mod") // its go.mod lists go-app alone
	t.Setenv("GOPROXY", "off")      // from the module cache, which has go-app's modules
	var log bytes.Buffer
	out := filepath.Join(dir, WasmFile)
	if err := BuildWasm(context.Background(), &log, dir, ".", out); err != nil {
		t.Fatalf("%v\n%s", err, &log)
	}
	if !bytes.Contains(log.Bytes(), []byte("PersistWithEncryption")) || !bytes.Contains(log.Bytes(), []byte("with them (and net/http)")) {
		t.Errorf("the build did not say it fell back to go-app as it is:\n%s", &log)
	}
	if _, err := os.Stat(out); err != nil {
		t.Error(err)
	}
}
