package appbuild

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
)

// WasmFile is the app's WebAssembly build in a web directory.
const WasmFile = "app.wasm"

// BuildWasm builds pkg (an import path, or a directory relative to dir) for
// the browser into out. Go's build cache makes an unchanged build take about
// a second; -s -w leaves out the symbol table and DWARF, a third of the file.
// go-app's server files are left out (browserModfile); should the app's own
// browser code use them (app.Handler in a main shared with the server), it
// is built again with them, and says so. Its data segments are then joined
// (packData), which makes it smaller once compressed.
func BuildWasm(ctx context.Context, w io.Writer, dir, pkg, out string, ldflags ...string) error {
	flags := "-s -w"
	for _, f := range ldflags {
		flags += " " + f
	}
	return Step(w, fmt.Sprintf("building %s for the browser (GOOS=js GOARCH=wasm)", pkg), func() error {
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		modfile, cleanup, err := browserModfile(ctx, dir)
		if err != nil {
			fmt.Fprintf(w, "longcall: %v\nlongcall: building %s with go-app as it is (and net/http)\n", err, pkg)
		}
		if modfile != "" {
			defer cleanup()
			err := goBuildWasm(ctx, dir, pkg, out, flags, modfile)
			if err == nil {
				return packData(out)
			}
			fmt.Fprintf(w, "longcall: without go-app's server files: %v\nlongcall: building %s with them (and net/http)\n", err, pkg)
		}
		if err := goBuildWasm(ctx, dir, pkg, out, flags, ""); err != nil {
			return err
		}
		return packData(out)
	})
}

// noInlining are the wasm's compiler flags: no inlining, but in the Go
// runtime. An inlined call is its callee's code again at each call site;
// in a wasm, which the browser downloads before it can start, that costs
// more than the call saves: without it the demo's wasm is 97 KB smaller in
// brotli (docs/BENCHMARKS.md). The runtime keeps it: its allocator and
// scheduler are written for it. So does syscall/js: inlined, its argument
// slices stay on the stack, and a click allocates 14–19% less (10.5 KB
// instead of 12.2) for 0.9 KB of brotli.
var noInlining = []string{"-gcflags=all=-l", "-gcflags=runtime=", "-gcflags=syscall/js="}

func goBuildWasm(ctx context.Context, dir, pkg, out, ldflags, modfile string) error {
	args := append([]string{"build", "-trimpath", "-ldflags=" + ldflags, "-o", out}, noInlining...)
	if modfile != "" {
		args = append(args, "-modfile="+modfile)
	}
	cmd := exec.CommandContext(ctx, "go", append(args, pkg)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("build %s for the browser: %w\n%s", pkg, err, out)
	}
	return nil
}
