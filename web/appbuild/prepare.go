package appbuild

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/longcall/longcall/web"
)

// Target is one build of an app's assets.
type Target struct {
	Dir     string    // where the go command runs: in the app's module
	Package string    // the app's main package: an import path, or "." in Dir
	Out     string    // the web directory it goes to (OutDir)
	Level   web.Level // how hard to precompress
	LDFlags []string  // more -ldflags for the wasm (-X main.version=…)
}

// OutDir is where the assets of pkg in m are built. In longcall's checkout
// it is web/, as it always was (build.sh and the tests read it there); for
// any other module a directory of longcall's cache, one per module and
// package, so that a user's folder holds only what they wrote.
func OutDir(m Module, pkg string) (string, error) {
	if m.IsLongcall() {
		return filepath.Join(m.Root, "web"), nil
	}
	cache, err := CacheDir()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(m.Root + "\x00" + pkg))
	return filepath.Join(cache, "apps", hex.EncodeToString(sum[:6]), "web"), nil
}

// Prepare builds the app's wasm into t.Out, links the npm libraries there,
// and precompresses both, telling w what it does.
func Prepare(ctx context.Context, w io.Writer, m Module, t Target) error {
	if err := BuildWasm(ctx, w, t.Dir, t.Package, filepath.Join(t.Out, WasmFile), t.LDFlags...); err != nil {
		return err
	}
	modules, err := NodeModules(ctx, w, m)
	if err != nil {
		return err
	}
	if err := link(modules, filepath.Join(t.Out, "node_modules")); err != nil {
		return err
	}
	return Step(w, "compressing app.wasm and the npm libraries (gzip, brotli)", func() error {
		return web.Precompress(t.Out, t.Level)
	})
}

// link makes at a symbolic link to target, unless it is target already.
func link(target, at string) error {
	if same, _ := filepath.EvalSymlinks(at); same != "" {
		if want, _ := filepath.EvalSymlinks(target); want == same {
			return nil
		}
	}
	os.Remove(at)
	if err := os.Symlink(target, at); err != nil {
		return fmt.Errorf("link the npm libraries into %s: %w", filepath.Dir(at), err)
	}
	return nil
}
