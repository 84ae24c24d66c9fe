//go:build !js

package host

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/longcall/longcall/web"
	"github.com/longcall/longcall/web/appbuild"
)

// loadAssets finds the app's assets, builds them first in development, and
// loads them to be served, longcall's stylesheets and icons under them.
func loadAssets(ctx context.Context, c Config) (*web.Assets, error) {
	files, err := assetFiles(ctx, c)
	if err != nil {
		return nil, err
	}
	return web.Load(append(files, web.Static()))
}

// assetFiles returns the app's web directories, first found first served:
// -web as it is; the bundle a production binary carries; or, in the app's
// module, the wasm and npm libraries built at start-up and the module's own
// web/ directory, if any.
func assetFiles(ctx context.Context, c Config) (layered, error) {
	if c.WebDir != "" {
		return layered{os.DirFS(c.WebDir)}, nil
	}
	if len(c.devDirs) > 0 { // dev mode's supervisor built them: dev_child.go
		var files layered
		for _, dir := range c.devDirs {
			files = append(files, os.DirFS(dir))
		}
		return files, nil
	}
	if bundle, err := appbuild.OpenBundle(); err != nil || bundle != nil {
		return layered{bundle}, err
	}
	cwd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	m, err := appbuild.FindModule(ctx, cwd)
	if err != nil {
		return nil, err
	}
	t, err := c.target(m, cwd)
	if err != nil {
		return nil, err
	}
	if c.Build {
		if err := appbuild.Prepare(ctx, os.Stderr, m, t); err != nil {
			return nil, err
		}
	}
	var files layered
	for _, dir := range webDirs(m, t) {
		files = append(files, os.DirFS(dir))
	}
	return files, nil
}

// webDirs are the directories an app's assets are served from in its
// module: the build's, then the module's own web/ directory, if any.
func webDirs(m appbuild.Module, t appbuild.Target) []string {
	dirs := []string{t.Out}
	if own := filepath.Join(m.Root, "web"); !m.IsLongcall() && isDir(own) {
		dirs = append(dirs, own)
	}
	return dirs
}

// target is the build of the app's wasm: c.WasmPackage, else the running
// main package (`go run .` of a one-file app builds itself for the browser).
func (c Config) target(m appbuild.Module, cwd string) (appbuild.Target, error) {
	pkg, dir := c.WasmPackage, m.Root
	if pkg == "" {
		info, ok := debug.ReadBuildInfo()
		if !ok || strings.HasSuffix(info.Path, ".test") {
			return appbuild.Target{}, errors.New("host: no main package to build for the browser: set Config.WasmPackage")
		}
		pkg, dir = runningMain(info, m, cwd)
	}
	out, err := appbuild.OutDir(m, pkg)
	if err != nil {
		return appbuild.Target{}, fmt.Errorf("host: %w", err)
	}
	return appbuild.Target{Dir: dir, Package: pkg, Out: out, Level: web.Develop}, nil
}

func isDir(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}

// layered is file systems seen as one: a name opens in the first that has it.
type layered []fs.FS

func (l layered) Open(name string) (fs.File, error) {
	err := error(&fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist})
	for _, files := range l {
		f, openErr := files.Open(name)
		if openErr == nil {
			return f, nil
		}
		if !errors.Is(openErr, fs.ErrNotExist) {
			err = openErr
		}
	}
	return nil, err
}

// runningMain is the package to build this program again from, and where
// the go command runs for it: its main package in module m, or, for `go run
// main.go`, the file's directory (the package has no import path).
func runningMain(info *debug.BuildInfo, m appbuild.Module, cwd string) (pkg, dir string) {
	if info.Path == "command-line-arguments" {
		return ".", cwd
	}
	return info.Path, m.Root
}
