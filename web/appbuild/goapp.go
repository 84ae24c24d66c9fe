package appbuild

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// goappModule and goappVersion are the go-app whose server files the wasm
// build leaves out; another version (or a replace) builds as it is.
const (
	goappModule  = "github.com/maxence-charriere/go-app/v10"
	goappVersion = "v10.1.10"
)

// goappFiles change go-app's pkg/app for the browser's build: its http.go
// (the server's Handler) and resource.go (resolvers serving files) import
// net/http although no browser code uses them, and net/http brings
// crypto/tls, x509 and their package inits: 1.7 MB of the 11.2 MB wasm,
// 0.36 MB brotli (docs/BENCHMARKS.md). runtime/client's socket_js.go is the
// other half: the browser's WebSocket instead of coder/websocket's.
//
//go:embed goapp/*.go.txt
var goappFiles embed.FS

// browserModfile returns a go.mod for `go build -modfile` in dir that
// replaces go-app by a copy whose server files are left out of js/wasm
// builds (a build overlay may not change the module cache), and a function
// removing it; "" when the module does not use go-app goappVersion from the
// module cache. The copy is made once, in longcall's cache directory.
func browserModfile(ctx context.Context, dir string) (string, func(), error) {
	found, err := goList(ctx, dir, "-m", "-f", "{{if .Replace}}replaced{{else}}cache{{end}}\t{{.Version}}\t{{.Dir}}", goappModule)
	if err != nil {
		return "", nil, nil // no go-app in this module's graph: nothing to leave out
	}
	parts := strings.Split(found, "\t")
	if len(parts) != 3 || parts[0] != "cache" || parts[1] != goappVersion || parts[2] == "" {
		return "", nil, nil
	}
	gomod, err := goEnv(ctx, dir, "GOMOD")
	if err != nil || gomod == "" || gomod == os.DevNull {
		return "", nil, nil
	}
	browserApp, err := goappForBrowser(parts[2])
	if err != nil {
		return "", nil, err
	}
	tmp, err := os.MkdirTemp("", "longcall-modfile-")
	if err != nil {
		return "", nil, fmt.Errorf("go-app for the browser: %w", err)
	}
	cleanup := func() { os.RemoveAll(tmp) }
	mod, err := os.ReadFile(gomod)
	if err == nil {
		mod = fmt.Appendf(mod, "\nreplace %s => %s\n", goappModule, browserApp)
		err = os.WriteFile(filepath.Join(tmp, "go.mod"), mod, 0o644)
	}
	if err == nil {
		err = copyFile(strings.TrimSuffix(gomod, ".mod")+".sum", filepath.Join(tmp, "go.sum"))
	}
	if err != nil {
		cleanup()
		return "", nil, fmt.Errorf("go-app for the browser: %w", err)
	}
	return filepath.Join(tmp, "go.mod"), cleanup, nil
}

// goappForBrowser returns the directory of go-app's copy for the browser,
// making it from the module at src if it is not there yet: http.go and
// resource.go built for the server only, wasm.go, the browser's half of
// resource.go and crypto.go from goappFiles, and allGoappEdits.
func goappForBrowser(src string) (string, error) {
	cache, err := CacheDir()
	if err != nil {
		return "", err
	}
	dst := filepath.Join(cache, "go-app-"+goappVersion+"-browser-"+goappChanges())
	if _, err := os.Stat(filepath.Join(dst, "go.mod")); err == nil {
		return dst, nil
	}
	if err := os.MkdirAll(cache, 0o755); err != nil { // a machine's first build
		return "", fmt.Errorf("go-app for the browser: %w", err)
	}
	tmp, err := os.MkdirTemp(cache, "go-app-")
	if err != nil {
		return "", fmt.Errorf("go-app for the browser: %w", err)
	}
	defer os.RemoveAll(tmp)
	if err := copyModule(src, tmp); err != nil {
		return "", fmt.Errorf("go-app for the browser: %w", err)
	}
	app := filepath.Join(tmp, "pkg", "app")
	for _, name := range []string{"http.go", "resource.go"} {
		if err := serverOnly(filepath.Join(app, name)); err != nil {
			return "", fmt.Errorf("go-app for the browser: %w", err)
		}
	}
	for _, name := range []string{"wasm.go", "resource_browser.go", "crypto.go"} {
		src, err := goappFiles.ReadFile("goapp/" + name + ".txt")
		if err == nil {
			err = os.WriteFile(filepath.Join(app, name), src, 0o644)
		}
		if err != nil {
			return "", fmt.Errorf("go-app for the browser: %w", err)
		}
	}
	for _, e := range allGoappEdits() {
		if err := e.apply(app); err != nil {
			return "", fmt.Errorf("go-app for the browser: %w", err)
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil { // MkdirTemp's is 0700
		return "", fmt.Errorf("go-app for the browser: %w", err)
	}
	if err := os.Rename(tmp, dst); err != nil && !fileExists(filepath.Join(dst, "go.mod")) {
		return "", fmt.Errorf("go-app for the browser: %w", err) // not another build's copy made meanwhile
	}
	return dst, nil
}

// copyModule copies a module's go.mod, go.sum and pkg/ (writable: the
// module cache's files are read-only).
func copyModule(src, dst string) error {
	for _, name := range []string{"go.mod", "go.sum"} {
		if err := copyFile(filepath.Join(src, name), filepath.Join(dst, name)); err != nil {
			return err
		}
	}
	return filepath.WalkDir(filepath.Join(src, "pkg"), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if strings.HasSuffix(path, "_test.go") {
			return nil
		}
		return copyFile(path, filepath.Join(dst, rel))
	})
}

// serverOnly adds a !wasm build constraint to a Go file that has none.
func serverOnly(file string) error {
	src, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	if strings.HasPrefix(string(src), "//go:build") {
		return fmt.Errorf("%s has a build constraint already", file)
	}
	return os.WriteFile(file, append([]byte("//go:build !wasm\n\n"), src...), 0o644)
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func (e goappEdit) apply(dir string) error {
	file := filepath.Join(dir, e.file)
	src, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	if n := strings.Count(string(src), e.old); n != 1 {
		return fmt.Errorf("%s: the text to change is there %d times", file, n)
	}
	return os.WriteFile(file, []byte(strings.Replace(string(src), e.old, e.new, 1)), 0o644)
}

// goappChanges names the changes made to the copy, so that a longcall with
// other changes makes a copy of its own.
func goappChanges() string {
	h := sha256.New()
	fs.WalkDir(goappFiles, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := goappFiles.ReadFile(path)
			h.Write(b)
		}
		return nil
	})
	for _, e := range allGoappEdits() {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00", e.file, e.old, e.new)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// goEnv returns `go env name` in dir.
func goEnv(ctx context.Context, dir, name string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "env", name)
	cmd.Dir = dir
	out, err := cmd.Output()
	return strings.TrimSpace(string(out)), err
}
