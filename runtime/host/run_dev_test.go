//go:build !js

package host_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// buildWait bounds a rebuild in dev mode: the wasm and the server linked
// again on a loaded 2-core machine.
const buildWait = 8 * time.Minute

// Dev mode end to end: the getting-started app started in dev mode, a page
// open in Chromium, main.go saved twice. A save that does not compile shows
// its errors over the page while the old server serves on; a save that
// compiles reloads the page by itself, afresh (not with the result it kept
// in the browser), with the new layout (the wasm was built again) and the
// new handler (so was the server).
func TestDevModeReloadsOnSave(t *testing.T) {
	if testing.Short() {
		t.Skip("builds an app and its wasm, then both again")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed (.ci/run installs it)")
	}
	a := gettingStartedApp(t)
	file := filepath.Join(a.dir, "main.go")
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.WriteFile(file, src, 0o644) }) // for the tests after this one
	url := startApp(t, a, "-dev")

	ctx := newBrowser(t, chromium)
	run(t, ctx, chromedp.Navigate(url))
	waitJS(t, ctx, `document.querySelector('#longcall-status')?.dataset.status === 'online'`)
	if text := evalJS[string](t, ctx, `document.querySelector('#paragraph_id').textContent`); text != "Button not clicked" {
		t.Fatalf("the page reads %q before any change", text)
	}
	// A result the page keeps in the browser: a reload without dev mode
	// would show it again over the layout.
	click(t, ctx, "#button_id")
	waitJS(t, ctx, `document.querySelector('#paragraph_id').textContent === 'Clicked 1 times'`)

	save(t, file, string(src)+"\nvar broken int = \"not an int\"\n")
	waitJSFor(t, ctx, `(document.querySelector('#longcall-dev-overlay-output')?.textContent ?? '').includes('main.go')`, buildWait)
	// The last good build serves on, under the overlay: its page is still
	// connected, and a new request is answered.
	waitJS(t, ctx, `document.querySelector('#longcall-status')?.dataset.status === 'online'`)
	if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`fetch('/').then(r => r.ok)`, chromedp.EvalAwaitPromise)); err != nil || !ok {
		t.Fatalf("the server stopped serving after a failed build: %v", err)
	}

	changed := strings.Replace(string(src), `"Button not clicked"`, `"Nothing run yet"`, 1)
	changed = strings.Replace(changed, `"Clicked %d times"`, `"Ran %d times"`, 1)
	if changed == string(src) {
		t.Fatal("GETTING-STARTED's app no longer has the texts this test changes")
	}
	save(t, file, changed)
	waitJSFor(t, ctx, `document.querySelector('#paragraph_id')?.textContent === 'Nothing run yet' && !document.querySelector('#longcall-dev-overlay')`, buildWait)
	waitJS(t, ctx, `document.querySelector('#longcall-status')?.dataset.status === 'online'`)
	click(t, ctx, "#button_id")
	waitJS(t, ctx, `document.querySelector('#paragraph_id').textContent === 'Ran 1 times'`)
}

// save writes a file as an editor saves it.
func save(t *testing.T, file, content string) {
	t.Helper()
	if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
