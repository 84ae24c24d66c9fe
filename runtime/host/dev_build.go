//go:build !js

package host

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"

	"github.com/longcall/longcall/web"
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
	b := &devBuilder{module: m, wasm: wasm}
	b.pkg, b.dir = runningMain(info, m, cwd)
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

// devBuilt is a build that succeeded: the server's binary, and how long
// each half took.
type devBuilt struct {
	bin          string
	wasm, server time.Duration
}

// devCompression is how hard a rebuild's wasm is compressed: as fast as the
// server compresses what it finds missing, but while the server's build
// links, not at the new server's start.
var devCompression = web.Level{Gzip: gzip.BestSpeed, Brotli: 5}

// build builds the wasm and the server of change n. The wasm, with its
// compressed copies, goes to a directory of its own beside the one served
// and takes the place of the old only when both built: a failed build
// leaves everything as it was.
func (b *devBuilder) build(ctx context.Context, n int) (devBuilt, error) {
	next := filepath.Join(b.wasm.Out, ".dev-next") // hidden: the watcher looks away
	os.RemoveAll(next)
	defer os.RemoveAll(next)
	built := devBuilt{bin: filepath.Join(b.binDir, fmt.Sprintf("server-%d", n))}
	var wasmErr, serverErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		start := time.Now()
		wasmErr = appbuild.BuildWasm(ctx, io.Discard, b.wasm.Dir, b.wasm.Package, filepath.Join(next, appbuild.WasmFile), b.wasm.LDFlags...)
		if wasmErr == nil {
			wasmErr = web.Precompress(next, devCompression)
		}
		built.wasm = since(start)
	})
	wg.Go(func() {
		start := time.Now()
		serverErr = b.buildServer(ctx, built.bin)
		built.server = since(start)
	})
	wg.Wait()
	if err := errors.Join(serverErr, wasmErr); err != nil {
		os.Remove(built.bin)
		return devBuilt{}, err
	}
	for _, name := range []string{appbuild.WasmFile + ".gz", appbuild.WasmFile + ".br", appbuild.WasmFile} {
		if err := os.Rename(filepath.Join(next, name), filepath.Join(b.wasm.Out, name)); err != nil {
			return devBuilt{}, fmt.Errorf("dev mode: %w", err)
		}
	}
	return built, nil
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
