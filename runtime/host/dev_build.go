//go:build !js

package host

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"sync"

	"github.com/longcall/longcall/web/appbuild"
)

// devBuilder builds the app again after a change: its wasm into the web
// directory the children serve, and its server into a directory of its
// own, side by side (two go commands share the machine's cores better than
// one runs them: each ends in a link that uses one).
type devBuilder struct {
	module   appbuild.Module
	wasm     appbuild.Target
	pkg, dir string // the server's main package, and where the go command runs for it
	tags     string // the build tags this binary was built with, for its next builds
	ldflags  string // and its -ldflags
	binDir   string // the servers built: server-1, server-2, …
}

// newDevBuilder builds what this program is: the main package that is
// running, with the build tags it was built with.
func newDevBuilder(m appbuild.Module, wasm appbuild.Target, cwd string) (*devBuilder, error) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return nil, errors.New("dev mode: this program carries no build information to build itself again")
	}
	b := &devBuilder{module: m, wasm: wasm, pkg: info.Path, dir: m.Root}
	if b.pkg == "command-line-arguments" { // go run main.go
		b.pkg, b.dir = ".", cwd
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "-tags":
			b.tags = s.Value
		case "-ldflags":
			b.ldflags = s.Value
		}
	}
	cache, err := appbuild.CacheDir()
	if err == nil {
		err = os.MkdirAll(cache, 0o755)
	}
	if err == nil {
		b.binDir, err = os.MkdirTemp(cache, "dev-")
	}
	if err != nil {
		return nil, fmt.Errorf("dev mode: a directory for the server's builds: %w", err)
	}
	return b, nil
}

// build builds the wasm and the server of change n, and returns the
// server's binary. The wasm takes the place of the one served only when
// both built: a failed build leaves everything as it was.
func (b *devBuilder) build(ctx context.Context, n int) (string, error) {
	wasm := filepath.Join(b.wasm.Out, appbuild.WasmFile)
	next := wasm + ".next"
	bin := filepath.Join(b.binDir, fmt.Sprintf("server-%d", n))
	var wasmErr, serverErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		wasmErr = appbuild.BuildWasm(ctx, io.Discard, b.wasm.Dir, b.wasm.Package, next, b.wasm.LDFlags...)
	})
	wg.Go(func() { serverErr = b.buildServer(ctx, bin) })
	wg.Wait()
	if err := errors.Join(serverErr, wasmErr); err != nil {
		os.Remove(next)
		os.Remove(bin)
		return "", err
	}
	if err := os.Rename(next, wasm); err != nil {
		return "", fmt.Errorf("dev mode: %w", err)
	}
	// The compressed copies are of the last build: the child compresses
	// this one in memory, faster than checking theirs.
	os.Remove(wasm + ".gz")
	os.Remove(wasm + ".br")
	return bin, nil
}

// buildServer builds the server without its symbol table and DWARF, the
// slow part of a link: a panic's stack still names every file and line.
func (b *devBuilder) buildServer(ctx context.Context, bin string) error {
	args := []string{"build", "-ldflags=-s -w " + b.ldflags, "-o", bin}
	if b.tags != "" {
		args = append(args, "-tags="+b.tags)
	}
	cmd := exec.CommandContext(ctx, "go", append(args, b.pkg)...)
	cmd.Dir = b.dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("build the server (%s): %w\n%s", b.pkg, err, out)
	}
	return nil
}

// close removes the servers built.
func (b *devBuilder) close() { os.RemoveAll(b.binDir) }
