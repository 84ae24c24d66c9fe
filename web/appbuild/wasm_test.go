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
