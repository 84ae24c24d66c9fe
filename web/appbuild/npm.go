package appbuild

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"

	webpkg "github.com/longcall/longcall/web"
)

// NodeModules returns a node_modules directory holding the npm libraries of
// longcall's web/package-lock.json. In longcall's checkout (or a replace of
// it) that is web/node_modules, installed there when missing; for a module
// that uses longcall from the module cache, which is read-only and has no
// node_modules, it is a directory in longcall's cache named by the
// lockfile's hash, installed once and shared by every app on the machine.
func NodeModules(ctx context.Context, w io.Writer, m Module) (string, error) {
	web := filepath.Join(m.Longcall, "web")
	if installed(web) {
		return filepath.Join(web, "node_modules"), nil
	}
	if m.IsLongcall() {
		return filepath.Join(web, "node_modules"), npmCI(ctx, w, web)
	}
	lock, err := os.ReadFile(filepath.Join(web, "package-lock.json"))
	if err != nil {
		return "", fmt.Errorf("longcall's npm lockfile: %w", err)
	}
	cache, err := CacheDir()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(lock)
	dir := filepath.Join(cache, "npm", hex.EncodeToString(sum[:6]))
	if installed(dir) {
		return filepath.Join(dir, "node_modules"), nil
	}
	return filepath.Join(dir, "node_modules"), installInto(ctx, w, web, dir)
}

// installed reports whether dir's node_modules has every library the
// browser loads: one installed from an older lockfile may lack the newer.
func installed(dir string) bool {
	for _, name := range webpkg.Libraries {
		if !exists(filepath.Join(dir, filepath.FromSlash(name))) {
			return false
		}
	}
	return true
}

// installInto installs the lockfile of web into dir: in a temporary
// directory renamed at the end, so that an interrupted install is never
// taken for a finished one.
func installInto(ctx context.Context, w io.Writer, web, dir string) error {
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), filepath.Base(dir)+".tmp*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	for _, name := range []string{"package.json", "package-lock.json"} {
		if err := copyFile(filepath.Join(web, name), filepath.Join(tmp, name)); err != nil {
			return err
		}
	}
	if err := npmCI(ctx, w, tmp); err != nil {
		return err
	}
	os.RemoveAll(dir) // a half install of an older run
	return os.Rename(tmp, dir)
}

// npmCI installs dir's lockfile, as it is, into dir/node_modules.
func npmCI(ctx context.Context, w io.Writer, dir string) error {
	if _, err := exec.LookPath("npm"); err != nil {
		return errors.New("longcall's browser libraries (plotly.js, markdown-it) come from npm, which is not installed: install Node.js and npm")
	}
	return Step(w, "installing plotly.js and markdown-it with npm ci into "+dir, func() error {
		cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("npm ci --prefix %s: %w\n%s", dir, err, out)
		}
		return nil
	})
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o644)
}
