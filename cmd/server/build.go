package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/longcall/longcall/web"
)

// buildAssets prepares web/ in a checkout: the WebAssembly app, built with
// the Go toolchain (its cache makes an unchanged build take a second), the
// npm libraries from the lockfile when they are missing, and the gzip and
// brotli of both, made again only when they changed.
func buildAssets(ctx context.Context, root string) error {
	if err := buildWasm(ctx, root); err != nil {
		return err
	}
	if err := installNpm(ctx, root); err != nil {
		return err
	}
	return web.Precompress(filepath.Join(root, "web"), web.Develop)
}

func buildWasm(ctx context.Context, root string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join("web", "app.wasm"), "./cmd/app")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("build web/app.wasm: %w\n%s", err, out)
	}
	return nil
}

func installNpm(ctx context.Context, root string) error {
	web := filepath.Join(root, "web")
	if _, err := os.Stat(filepath.Join(web, "node_modules", "plotly.js-dist-min", "plotly.min.js")); err == nil {
		return nil
	}
	if _, err := exec.LookPath("npm"); err != nil {
		return errors.New("web/node_modules is missing and npm is not installed: install Node.js and npm, or run `npm ci --prefix web` where they are")
	}
	cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund", "--prefix", web)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("npm ci --prefix web: %w\n%s", err, out)
	}
	return nil
}

// moduleRoot finds the longcall checkout the server runs in.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("find the module root (go env GOMOD): %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("run the server from inside the longcall checkout, or use a production build (build.sh)")
	}
	data, err := os.ReadFile(gomod)
	if err != nil || !bytes.Contains(data, []byte("module github.com/longcall/longcall\n")) {
		return "", fmt.Errorf("%s is not longcall's go.mod: run the server from the longcall checkout", gomod)
	}
	return filepath.Dir(gomod), nil
}
