//go:build !js

package host_test

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
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
	dir := newModule(t, firstGoBlock(t, "../../docs/GETTING-STARTED.md"))
	bin := filepath.Join(dir, "myapp")
	goCommand(t, dir, "build", "-o", bin, ".")
	url := startApp(t, dir, bin)

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
func firstGoBlock(t *testing.T, path string) string {
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

// newModule writes src as main.go of a module that requires this checkout.
func newModule(t *testing.T, src string) string {
	t.Helper()
	checkout, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	gomod := "module example.com/myapp\n\ngo 1.26\n\nrequire github.com/longcall/longcall v0.0.0\n\nreplace github.com/longcall/longcall => " + checkout + "\n"
	sum, err := os.ReadFile(filepath.Join(checkout, "go.sum")) // the checkout's: nothing to look up
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"main.go": src, "go.mod": gomod, "go.sum": string(sum)} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	goCommand(t, dir, "mod", "tidy")
	return dir
}

func goCommand(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// startApp runs the app in its module, as `go run .` would, and returns the
// address it prints.
func startApp(t *testing.T, dir, bin string) string {
	t.Helper()
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-log-level", "warn")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "LONGCALL_CACHE="+t.TempDir())
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	urls := make(chan string, 1)
	go func() {
		for sc := bufio.NewScanner(stdout); sc.Scan(); {
			if _, url, ok := strings.Cut(sc.Text(), "longcall dashboard: "); ok {
				urls <- url
			}
		}
		close(urls)
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

func newBrowser(t *testing.T, path string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(t.TempDir()))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
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
	ok, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(60*time.Second), chromedp.WithPollingInterval(20*time.Millisecond)))
	if err != nil || !ok {
		body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerHTML`))
		t.Fatalf("waiting for %s: %v\npage: %.2000s", cond, err, body)
	}
}

func evalJS[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatal(err)
	}
	return v
}
