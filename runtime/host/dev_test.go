//go:build !js

package host

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestGoRunBinary(t *testing.T) {
	for path, want := range map[string]bool{
		"/tmp/go-build1562289613/b001/exe/myapp":                                                            true,
		"/root/.cache/go-build/77/7743c6f1f5b33aaaace1d8572f50d30a99ac42506fbefd863272fe631d87c5d3-d/myapp": true, // cached, Go 1.24 on
		"/root/.cache/go-build/77/7743c6f1f5b33aaaace1d8572f50d30a99ac42506fbefd863272fe631d87c5d3-a":       false,
		"/home/ada/tmp/go-build42/b001/exe/main":                                                            true,
		"/tmp/go-build1562289613/b001/server.test":                                                          false, // go test
		"/home/ada/myapp/myapp":                                                                             false, // go build
		"/root/.cache/longcall/dev-123/server-2":                                                            false, // a dev mode child
		"/usr/local/bin/exe/myapp":                                                                          false,
	} {
		if got := goRunBinary(path); got != want {
			t.Errorf("goRunBinary(%s) = %v, want %v", path, got, want)
		}
	}
}

// The watcher hands on the files a build reads, once they settle: Go files
// but tests, go.mod, the app's web/ files but the build's own, and the
// files of a directory created since it started; not an editor's swap
// files.
func TestWatcherSeesWhatABuildReads(t *testing.T) {
	root := t.TempDir()
	for _, dir := range []string{"web", "node_modules", ".git"} {
		if err := os.Mkdir(filepath.Join(root, dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	w, err := watchModule(root)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	write := func(name string) {
		t.Helper()
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"main_test.go", ".main.go.swp", "main.go~", "4913", "web/app.wasm", "web/app.wasm.next",
		"node_modules/x.go", ".git/HEAD", "README.md", "main.go", "go.mod", "web/app.css", "pkg/new/handler.go"} {
		write(name)
	}
	want := []string{"go.mod", "main.go", "pkg/new/handler.go", "web/app.css"}
	seen := map[string]bool{}
	deadline := time.After(time.Minute)
	for len(seen) < len(want) {
		select {
		case files := <-w.Changes():
			for _, f := range files {
				if !slices.Contains(want, filepath.ToSlash(f)) {
					t.Fatalf("a change to %s would rebuild", f)
				}
				seen[filepath.ToSlash(f)] = true
			}
		case <-deadline:
			t.Fatalf("changes seen: %v, want %v", seen, want)
		}
	}
}
