package appbuild

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// LongcallPath is longcall's module path.
const LongcallPath = "github.com/longcall/longcall"

// Module is the Go module an app is built in.
type Module struct {
	Root     string // the directory of its go.mod
	Path     string // its module path
	Longcall string // the directory of longcall's module as this one builds it: the checkout itself, a replace, or the module cache
}

// IsLongcall reports whether the module is longcall's own checkout.
func (m Module) IsLongcall() bool { return m.Path == LongcallPath }

// FindModule asks the go command about the module that holds dir.
func FindModule(ctx context.Context, dir string) (Module, error) {
	main, err := goList(ctx, dir, "-m", "-f", "{{.Path}}\t{{.Dir}}")
	if err != nil {
		return Module{}, fmt.Errorf("find the Go module of %s (run the app inside its module, or build it with `go run %s/cmd/longcall build`): %w", dir, LongcallPath, err)
	}
	path, root, ok := strings.Cut(main, "\t")
	if !ok || root == "" {
		return Module{}, fmt.Errorf("%s is not inside a Go module: run the app from its module, or build it with `go run %s/cmd/longcall build`", dir, LongcallPath)
	}
	m := Module{Root: root, Path: path, Longcall: root}
	if !m.IsLongcall() {
		if m.Longcall, err = goList(ctx, root, "-m", "-f", "{{.Dir}}", LongcallPath); err != nil {
			return Module{}, fmt.Errorf("find longcall's module from %s: %w", root, err)
		}
	}
	return m, nil
}

// goList runs `go list args…` in dir and returns its output, trimmed.
func goList(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", append([]string{"list"}, args...)...)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go list %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}

// CacheDir is longcall's directory in the user's cache: npm installs and
// the builds of apps outside longcall's checkout.
func CacheDir() (string, error) {
	if dir := os.Getenv("LONGCALL_CACHE"); dir != "" {
		return dir, nil
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return "", errors.New("no cache directory for longcall's builds: set LONGCALL_CACHE or HOME")
	}
	return filepath.Join(base, "longcall"), nil
}
