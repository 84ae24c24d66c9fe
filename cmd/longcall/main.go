// Command longcall builds a longcall app for production: one binary that
// carries the app's wasm (stripped, precompressed with gzip and brotli at
// their best), plotly.js, the app's own web/ directory if it has one, and
// longcall's stylesheets and icons; it fetches nothing from anywhere at run
// time. Run it in the app's module, with the version of longcall the app
// requires:
//
//	go run github.com/longcall/longcall/cmd/longcall build            # ./<app>
//	go run github.com/longcall/longcall/cmd/longcall build -o bin/app ./cmd/app
//
// The binary runs anywhere, with the flags of runtime/host (-addr, …).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/longcall/longcall/web"
	"github.com/longcall/longcall/web/appbuild"
)

func main() {
	if len(os.Args) < 2 || os.Args[1] != "build" {
		fmt.Fprintln(os.Stderr, "usage: longcall build [-o binary] [-wasm package] [package]")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := build(ctx, os.Args[2:]); err != nil {
		fmt.Fprintln(os.Stderr, "longcall:", err)
		os.Exit(1)
	}
}

func build(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("longcall build", flag.ContinueOnError)
	out := fs.String("o", "", "the binary to write (default: the package's name, here)")
	wasm := fs.String("wasm", "", "the package built for the browser (default: the app's package itself)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	pkg := "."
	if fs.NArg() > 0 {
		pkg = fs.Arg(0)
	}
	if *wasm == "" {
		*wasm = pkg
	}
	cwd, err := os.Getwd()
	if err != nil {
		return err
	}
	m, err := appbuild.FindModule(ctx, cwd)
	if err != nil {
		return err
	}
	if *out == "" {
		*out = binaryName(m, pkg)
	}
	tmp, err := os.MkdirTemp("", "longcall-build-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	assets := filepath.Join(tmp, "web")
	target := appbuild.Target{Dir: cwd, Package: *wasm, Out: assets, Level: web.Release}
	if err := appbuild.Prepare(ctx, os.Stderr, m, target); err != nil {
		return err
	}
	err = appbuild.Step(os.Stderr, "building "+pkg+" into "+*out, func() error {
		cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", *out, pkg)
		if b, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go build %s: %w\n%s", pkg, err, b)
		}
		own := ""
		if !m.IsLongcall() {
			own = filepath.Join(m.Root, "web")
		}
		return appbuild.AppendBundle(*out, assets, own)
	})
	if err != nil {
		return err
	}
	info, err := os.Stat(*out)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "longcall: built %s (%.1f MiB): run it anywhere, e.g. %s -addr :8000\n", *out, float64(info.Size())/(1<<20), *out)
	return nil
}

// binaryName is the last element of pkg's import path, or of the module's
// for ".".
func binaryName(m appbuild.Module, pkg string) string {
	name := m.Path
	if pkg != "." {
		name = strings.TrimSuffix(pkg, "/")
	}
	return "./" + name[strings.LastIndex(name, "/")+1:]
}
