//go:build !js

package host_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The app of docs/GETTING-STARTED.md, exactly as the page shows it, is built
// as a module of its own (a replace points it at this checkout), started as
// a newcomer starts it, and driven in Chromium: run, progress, cancel, run
// again, result.
func TestGettingStartedApp(t *testing.T) {
	if testing.Short() {
		t.Skip("builds an app and its wasm")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed (.ci/run installs it)")
	}
	url := startApp(t, gettingStartedApp(t))

	ctx := newBrowser(t, chromium)
	run(t, ctx, chromedp.Navigate(url))
	waitJS(t, ctx, `document.querySelector('#longcall-status')?.dataset.status === 'online'`)
	click(t, ctx, "#button_id")
	waitJS(t, ctx, `Number(document.querySelector('#progress_bar').value) >= 1 && document.querySelector('#paragraph_id').style.visibility === 'hidden'`)
	click(t, ctx, "#cancel_button_id")
	waitJS(t, ctx, `!document.querySelector('#button_id').disabled && document.querySelector('#paragraph_id').style.visibility === 'visible'`)
	if text := evalJS[string](t, ctx, `document.querySelector('#paragraph_id').textContent`); text != "Button not clicked" {
		t.Fatalf("after cancel the paragraph reads %q", text)
	}
	click(t, ctx, "#button_id")
	waitJS(t, ctx, `document.querySelector('#paragraph_id').textContent === 'Clicked 2 times' && document.querySelector('#cancel_button_id').disabled`)
}

// firstGoBlock returns the first ```go block of a Markdown file.
func firstGoBlock(t testing.TB, path string) string {
	t.Helper()
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```go\n(.*?)```").FindSubmatch(doc)
	if m == nil || !strings.HasPrefix(string(m[1]), "package main\n") {
		t.Fatalf("%s starts with no complete package main in a ```go block", path)
	}
	return string(m[1])
}

// TestMain keeps a directory for what the tests build once and share.
func TestMain(m *testing.M) {
	var err error
	if testRoot, err = os.MkdirTemp("", "longcall-host-test-"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(testRoot)
	os.Exit(code)
}

var testRoot string

// app is a user's app as a module of its own: its directory, its server
// binary, and the longcall cache its starts share (the wasm's compression
// is done once, then found up to date).
type app struct{ dir, bin, cache string }

var gettingStarted struct {
	once sync.Once
	app  app
	err  error
}

// gettingStartedApp is the app of docs/GETTING-STARTED.md, built once for
// every test that runs it. A test that edits its main.go puts it back.
func gettingStartedApp(t testing.TB) app {
	t.Helper()
	gettingStarted.once.Do(func() {
		a := app{dir: filepath.Join(testRoot, "myapp"), cache: filepath.Join(testRoot, "cache")}
		a.bin = filepath.Join(a.dir, "myapp")
		gettingStarted.err = newModule(a.dir, firstGoBlock(t, "../../docs/GETTING-STARTED.md"))
		if gettingStarted.err == nil {
			gettingStarted.err = goCommand(a.dir, "build", "-o", a.bin, ".")
		}
		gettingStarted.app = a
	})
	if gettingStarted.err != nil {
		t.Fatal(gettingStarted.err)
	}
	return gettingStarted.app
}

// newModule writes src as main.go of a module in dir that requires this
// checkout.
func newModule(dir, src string) error {
	checkout, err := filepath.Abs("../..")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	gomod := "module example.com/myapp\n\ngo 1.26\n\nrequire github.com/longcall/longcall v0.0.0\n\nreplace github.com/longcall/longcall => " + checkout + "\n"
	sum, err := os.ReadFile(filepath.Join(checkout, "go.sum")) // the checkout's: nothing to look up
	if err != nil {
		return err
	}
	for name, data := range map[string]string{"main.go": src, "go.mod": gomod, "go.sum": string(sum)} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			return err
		}
	}
	return goCommand(dir, "mod", "tidy")
}

func goCommand(dir string, args ...string) error {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

// startApp runs the app in its module, as `go run .` would, with more
// flags, and returns the address it prints. It is stopped as ^C stops it,
// and killed if it does not stop.
func startApp(t *testing.T, a app, flags ...string) string {
	t.Helper()
	cmd := exec.Command(a.bin, append([]string{"-addr", "127.0.0.1:0", "-log-level", "warn"}, flags...)...)
	cmd.Dir = a.dir
	cmd.Env = append(os.Environ(), "LONGCALL_CACHE="+a.cache)
	var stderr syncBuilder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(time.Minute):
			cmd.Process.Kill()
			<-exited
		}
	})
	urls := make(chan string, 1)
	go func() {
		for sc := bufio.NewScanner(stdout); sc.Scan(); {
			if _, url, ok := strings.Cut(sc.Text(), "longcall dashboard: "); ok {
				urls <- url
			}
		}
		close(urls)
		cmd.Wait()
		close(exited)
	}()
	select {
	case url, ok := <-urls:
		if !ok {
			t.Fatalf("the app exited:\n%s", stderr.String())
		}
		if !strings.Contains(stderr.String(), "for the browser (GOOS=js GOARCH=wasm): done in") {
			t.Errorf("the app built its wasm without saying so:\n%s", stderr.String())
		}
		return url
	case <-time.After(5 * time.Minute):
		t.Fatalf("the app printed no address:\n%s", stderr.String())
	}
	return ""
}

// syncBuilder is a strings.Builder that a process writes while a test
// reads it.
type syncBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuilder) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuilder) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newBrowser(t testing.TB, path string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(t.TempDir()))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 15*time.Minute) // a dev mode test builds twice
	t.Cleanup(cancelTimeout)
	return ctx
}

func run(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func click(t *testing.T, ctx context.Context, selector string) {
	t.Helper()
	run(t, ctx, chromedp.Click(chromedp.CSS(selector)))
}

func waitJS(t *testing.T, ctx context.Context, cond string) {
	t.Helper()
	waitJSFor(t, ctx, cond, time.Minute)
}

// waitJSFor waits until cond holds in the page, for up to within. The page
// may reload meanwhile (dev mode reloads it by itself): an evaluation that
// a navigation cuts short is tried again.
func waitJSFor(t testing.TB, ctx context.Context, cond string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	var err error
	for time.Now().Before(deadline) && ctx.Err() == nil {
		var ok bool
		if ok, err = chromedp.Run(ctx, chromedp.Evaluate[bool](cond)); err == nil && ok {
			return
		}
		<-tick.C
	}
	body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerHTML`))
	t.Fatalf("waiting for %s (last error: %v)\npage: %.2000s", cond, err, body)
}

func evalJS[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatal(err)
	}
	return v
}
