//go:build !js

package host

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// settle is how long the module must be quiet after a change before a
// build starts: an editor's save is several events (a write, a rename, a
// chmod), and a formatter on save rewrites the file once more.
const settle = 100 * time.Millisecond

// devWatcher watches a module's directories for changes that make a new
// build: Go files (tests aside), go.mod and go.sum, and the files of the
// app's own web/ directory.
type devWatcher struct {
	root, web string
	fsw       *fsnotify.Watcher
	changes   chan []string // the files changed, relative to root, once they settle
}

func watchModule(root string) (*devWatcher, error) {
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("dev mode: watch %s: %w", root, err)
	}
	w := &devWatcher{root: root, web: filepath.Join(root, "web"), fsw: fsw, changes: make(chan []string, 1)}
	if err := w.addTree(root, nil); err != nil {
		fsw.Close()
		return nil, err
	}
	go w.loop()
	return w, nil
}

// Changes delivers the files of each settled change; a change that arrives
// while the last is not taken yet joins it.
func (w *devWatcher) Changes() <-chan []string { return w.changes }

func (w *devWatcher) Close() error { return w.fsw.Close() }

// addTree watches dir and the directories under it, but those no build
// reads: hidden ones (.git), node_modules, testdata, vendor. found, when
// not nil, hears of the files there that make a build: a new directory's
// files may be written before its watch begins.
func (w *devWatcher) addTree(dir string, found func(string)) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // gone since: nothing to watch
		}
		if !d.IsDir() {
			if found != nil && w.relevant(path) {
				found(path)
			}
			return nil
		}
		if path != dir && skippedDir(d.Name()) {
			return filepath.SkipDir
		}
		if err := w.fsw.Add(path); err != nil {
			return fmt.Errorf("dev mode: watch %s: %w", path, err)
		}
		return nil
	})
}

func skippedDir(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") ||
		name == "node_modules" || name == "testdata" || name == "vendor"
}

func (w *devWatcher) loop() {
	pending := map[string]bool{}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case e, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			changed := func(path string) {
				rel, _ := filepath.Rel(w.root, path)
				pending[rel] = true
				timer.Reset(settle)
			}
			if e.Has(fsnotify.Create) && isDir(e.Name) && !skippedDir(filepath.Base(e.Name)) {
				w.addTree(e.Name, changed) // a new package: watched from now on
			}
			if w.relevant(e.Name) {
				changed(e.Name)
			}
		case <-w.fsw.Errors: // an overflowed queue: the next event rebuilds anyway
		case <-timer.C:
			w.deliver(pending)
			pending = map[string]bool{}
		}
	}
}

// deliver hands the settled change on, joined to one not taken yet.
func (w *devWatcher) deliver(pending map[string]bool) {
	select {
	case earlier := <-w.changes:
		for _, f := range earlier {
			pending[f] = true
		}
	default:
	}
	files := make([]string, 0, len(pending))
	for f := range pending {
		files = append(files, f)
	}
	sort.Strings(files)
	w.changes <- files
}

// relevant reports whether a change to path makes a new build: an editor's
// swap and backup files do not, nor do the build's own outputs in web/.
func (w *devWatcher) relevant(path string) bool {
	base := filepath.Base(path)
	if strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~") || base == "4913" { // 4913: vim's probe
		return false
	}
	if strings.HasSuffix(base, ".go") {
		return !strings.HasSuffix(base, "_test.go")
	}
	if base == "go.mod" || base == "go.sum" {
		return true
	}
	rel, err := filepath.Rel(w.web, path)
	return err == nil && !strings.HasPrefix(rel, "..") && !strings.HasPrefix(base, "app.wasm") &&
		!strings.HasPrefix(filepath.ToSlash(rel), "node_modules")
}
