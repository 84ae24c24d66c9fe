package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/longcall/longcall/runtime/host"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/longcall/longcall/runtime"
)

// The browser tests run the real server (run, as main does) on 127.0.0.1 and
// drive Debian's headless Chromium through the five seed examples. They skip
// where chromium is missing; .ci/run installs it, so in CI nothing skips.

var (
	baseURL    string
	mainServer *host.Serving
	browser    context.Context // allocator context shared by the tests; each test opens a tab
)

func TestMain(m *testing.M) {
	runtime.RunChild() // the demo's Isolated callbacks run in children of this binary
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	ready := make(chan *host.Serving, 1)
	served := make(chan error, 1)
	cfg := testConfig("127.0.0.1:0")
	cfg.Build = true
	go func() { served <- host.Serve(ctx, cfg, func(s *host.Serving) { ready <- s }) }()
	select {
	case s := <-ready:
		baseURL, mainServer = s.URL, s
	case err := <-served:
		fmt.Fprintln(os.Stderr, "server did not start:", err)
		return 1
	}

	if path, err := exec.LookPath("chromium"); err == nil {
		dir, _ := os.MkdirTemp("", "longcall-chromium-")
		defer os.RemoveAll(dir)
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(path),
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.UserDataDir(dir),
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
		)
		alloc, cancel := chromedp.NewExecAllocator(ctx, opts...)
		defer cancel()
		b, cancelBrowser := chromedp.NewContext(alloc)
		defer cancelBrowser()
		if err := chromedp.Do(b); err != nil {
			fmt.Fprintln(os.Stderr, "start chromium:", err)
			return 1
		}
		browser = b
	}
	code := m.Run()
	closeShared() // the Redis deployment's processes: redis_test.go
	stop()
	<-served
	return code
}

func testConfig(addr string) host.Config {
	cfg := host.Configure(demo()...)
	cfg.Addr, cfg.Workers, cfg.ShutdownGrace, cfg.SessionGrace, cfg.LogLevel = addr, 16, time.Second, time.Minute, slog.LevelWarn
	cfg.Build = false // TestMain builds once
	cfg.Dev = true    // errors in detail, as under `go run ./cmd/server` (errorids_test.go: production)
	// Every page of the tests comes from 127.0.0.1: no bounds per address.
	cfg.Edge.AddrConns, cfg.Edge.AddrSessions, cfg.Edge.AddrCallRate = -1, -1, -1
	return cfg
}

// tab opens a page of the main demo server in a new profile, waiting until
// the app has connected its websocket.
func tab(t *testing.T, path string) context.Context {
	t.Helper()
	ctx := openTab(t, newProfile(t), baseURL+path)
	waitOnline(t, ctx)
	return ctx
}

// newProfile is a browser profile of its own: storage and service workers
// of one test never reach another. Tabs opened in it share them.
func newProfile(t *testing.T) context.Context {
	t.Helper()
	if browser == nil {
		t.Skip("chromium is not installed (.ci/run installs it)")
	}
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// openTab opens url in a new tab of profile.
func openTab(t *testing.T, profile context.Context, url string) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(profile)
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelTimeout)
	do(t, ctx, chromedp.Navigate(url))
	return ctx
}

func waitOnline(t *testing.T, ctx context.Context) {
	t.Helper()
	waitJS(t, ctx, `document.querySelector('#longcall-status')?.dataset.status === 'online'`)
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// script runs JavaScript for its effect.
func script(t *testing.T, ctx context.Context, js string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](js+`; undefined`)); err != nil && !errors.Is(err, chromedp.ErrJSUndefined) {
		t.Fatal(err)
	}
}

// waitJS polls a JavaScript condition in the page until it holds; it fails
// the test, showing the page's state, after 20 s.
func waitJS(t *testing.T, ctx context.Context, cond string) {
	t.Helper()
	ok, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(20*time.Second), chromedp.WithPollingInterval(20*time.Millisecond)))
	if err != nil || !ok {
		state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](pageState))
		t.Fatalf("waiting for %s: %v\npage: %s", cond, err, state)
	}
}

func evalJS[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

const pageState = `JSON.stringify({
	paragraph: document.querySelector('#paragraph_id')?.textContent,
	paragraphStyle: document.querySelector('#paragraph_id')?.getAttribute('style'),
	runDisabled: document.querySelector('#button_id')?.disabled,
	cancelDisabled: document.querySelector('#cancel_button_id')?.disabled,
	error: document.querySelector('#longcall-error')?.textContent,
	status: document.querySelector('#longcall-status')?.dataset.status,
	seen: window.seen,
})`

func click(t *testing.T, ctx context.Context, selector string) {
	t.Helper()
	do(t, ctx, chromedp.Click(chromedp.CSS(selector)))
}

const paragraphIs = `document.querySelector('#paragraph_id').textContent === %q`

// recordParagraph keeps every text the paragraph shows in window.seen.
const recordParagraph = `window.seen = [];
new MutationObserver(() => window.seen.push(document.querySelector('#paragraph_id').textContent))
	.observe(document.querySelector('#paragraph_id'), {childList: true, characterData: true, subtree: true});`

func TestSimpleExample(t *testing.T) { onEachDeployment(t, simpleExample) }

func simpleExample(t *testing.T, tab tabber) {
	ctx := tab(t, "/examples/simple")
	if got := evalJS[string](t, ctx, `document.querySelector('#button_id').textContent`); got != "Run Job!" {
		t.Fatalf("button label %q", got)
	}
	// The initial call runs as in Dash: n_clicks is unset, so it reports 0.
	waitJS(t, ctx, fmt.Sprintf(paragraphIs, "Clicked 0 times"))
	click(t, ctx, "#button_id")
	waitJS(t, ctx, fmt.Sprintf(paragraphIs, "Clicked 1 times"))
	click(t, ctx, "#button_id")
	waitJS(t, ctx, fmt.Sprintf(paragraphIs, "Clicked 2 times"))
}

func TestDisableExample(t *testing.T) { onEachDeployment(t, disableExample) }

func disableExample(t *testing.T, tab tabber) {
	ctx := tab(t, "/examples/disable")
	waitJS(t, ctx, fmt.Sprintf(paragraphIs, "Clicked 0 times")+` && !document.querySelector('#button_id').disabled`)
	click(t, ctx, "#button_id")
	waitJS(t, ctx, `document.querySelector('#button_id').disabled`)
	if got := evalJS[string](t, ctx, `document.querySelector('#paragraph_id').textContent`); got != "Clicked 0 times" {
		t.Fatalf("paragraph changed before the job finished: %q", got)
	}
	waitJS(t, ctx, fmt.Sprintf(paragraphIs, "Clicked 1 times")+` && !document.querySelector('#button_id').disabled`)
}

func TestCancelExample(t *testing.T) { onEachDeployment(t, cancelExample) }

func cancelExample(t *testing.T, tab tabber) {
	ctx := tab(t, "/examples/cancel")
	if got := evalJS[string](t, ctx, `document.querySelector('#cancel_button_id').textContent`); got != "Cancel Running Job!" {
		t.Fatalf("cancel button label %q", got)
	}
	waitJS(t, ctx, fmt.Sprintf(paragraphIs, "Clicked 0 times")+` && document.querySelector('#cancel_button_id').disabled`)
	script(t, ctx, recordParagraph)

	click(t, ctx, "#button_id")
	waitJS(t, ctx, `document.querySelector('#button_id').disabled && !document.querySelector('#cancel_button_id').disabled`)
	click(t, ctx, "#cancel_button_id")
	waitJS(t, ctx, `!document.querySelector('#button_id').disabled && document.querySelector('#cancel_button_id').disabled`)
	if got := evalJS[string](t, ctx, `document.querySelector('#paragraph_id').textContent`); got != "Clicked 0 times" {
		t.Fatalf("cancel changed the paragraph to %q", got)
	}

	// A second run finishes after the cancelled one would have: had the
	// cancelled job's result been applied, "Clicked 1 times" would be seen.
	click(t, ctx, "#button_id")
	waitJS(t, ctx, fmt.Sprintf(paragraphIs, "Clicked 2 times"))
	seen := evalJS[[]string](t, ctx, `window.seen`)
	for _, s := range seen {
		if s == "Clicked 1 times" {
			t.Fatalf("the cancelled job's result was shown; paragraph went through %q", seen)
		}
	}
}

func TestProgressExample(t *testing.T) { onEachDeployment(t, progressExample) }

func progressExample(t *testing.T, tab tabber) {
	ctx := tab(t, "/examples/progress")
	// prevent_initial_call: nothing runs on load.
	if got := evalJS[string](t, ctx, `document.querySelector('#paragraph_id').textContent`); got != "Button not clicked" {
		t.Fatalf("paragraph %q on load", got)
	}
	script(t, ctx, `window.seen = [];
		new MutationObserver(() => {
			const bar = document.querySelector('#progress_bar');
			window.seen.push(bar.getAttribute('value') + '/' + bar.getAttribute('max'));
		}).observe(document.querySelector('#progress_bar'), {attributes: true, attributeFilter: ['value', 'max']});`)

	click(t, ctx, "#button_id")
	waitJS(t, ctx, `document.querySelector('#paragraph_id').style.visibility === 'hidden' && document.querySelector('#progress_bar').style.visibility === 'visible'`)
	waitJS(t, ctx, fmt.Sprintf(paragraphIs, "Clicked 1 times"))
	waitJS(t, ctx, `document.querySelector('#paragraph_id').style.visibility === 'visible' && document.querySelector('#progress_bar').style.visibility === 'hidden'`)

	seen := evalJS[[]string](t, ctx, `window.seen`)
	for _, want := range []string{"1/5", "2/5", "3/5", "4/5", "5/5"} {
		if !containsString(seen, want) {
			t.Fatalf("progress never showed %s; it went through %q", want, seen)
		}
	}
}

func TestGraphExample(t *testing.T) { onEachDeployment(t, graphExample) }

func graphExample(t *testing.T, tab tabber) {
	ctx := tab(t, "/examples/graph")
	const barLength = `document.querySelector('#progress_bar_graph .longcall-graph-plot')?.data?.[0]?.x?.[0]`
	// The initial call runs first; wait for it to end.
	waitJS(t, ctx, fmt.Sprintf(paragraphIs, "Clicked 0 times")+` && !document.querySelector('#button_id').disabled`)
	waitJS(t, ctx, barLength+` === 0`)
	script(t, ctx, `window.seen = [];
		window.record = () => {
			const x = `+barLength+`;
			if (window.seen[window.seen.length - 1] !== x) window.seen.push(x);
		};
		window.recorder = setInterval(window.record, 20);`)

	click(t, ctx, "#button_id")
	waitJS(t, ctx, `document.querySelector('#progress_bar_graph').style.visibility === 'visible' && document.querySelector('#paragraph_id').style.visibility === 'hidden'`)
	waitJS(t, ctx, barLength+` >= 5`)
	waitJS(t, ctx, fmt.Sprintf(paragraphIs, "Clicked 1 times"))
	waitJS(t, ctx, barLength+` === 0 && document.querySelector('#progress_bar_graph').style.visibility === 'hidden'`)

	// The last value too: the chart draws in a task after the change
	// (ui/graph.go), which the recorder's last tick may have come before.
	seen := evalJS[[]float64](t, ctx, `clearInterval(window.recorder), window.record(), window.seen`)
	// The bar grew step by step while running, then returned to empty.
	peak := 0
	for i := 1; i < len(seen) && seen[i] > seen[i-1]; i++ {
		peak = i
	}
	if peak < 4 || seen[len(seen)-1] != 0 {
		t.Fatalf("bar lengths over the job: %v; want a growing run of at least 5 values, then 0", seen)
	}
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestErrorsShowInThePage(t *testing.T) { onEachDeployment(t, errorsShowInThePage) }

func errorsShowInThePage(t *testing.T, tab tabber) {
	ctx := tab(t, "/examples/errors")
	const errorText = `(document.querySelector('#longcall-error')?.textContent ?? '')`

	click(t, ctx, "#fail_button")
	waitJS(t, ctx, errorText+`.includes('errors:fail_output.children') && `+errorText+`.includes('the data source refused attempt 1')`)
	waitJS(t, ctx, `!document.querySelector('#fail_button').disabled`) // running reverted on error
	if got := evalJS[string](t, ctx, `document.querySelector('#fail_output').textContent`); got != "Not run" {
		t.Fatalf("a failed job changed its output to %q", got)
	}

	click(t, ctx, "#panic_button")
	waitJS(t, ctx, errorText+`.includes('errors:panic_output.children') && `+errorText+`.includes('panicked')`)
	// Both errors show, each once, each naming its callback once.
	items := evalJS[[]string](t, ctx, `[...document.querySelectorAll('#longcall-error .longcall-error-item')].map(e => e.textContent)`)
	if len(items) != 2 || !strings.HasPrefix(items[0], "Callback errors:fail_output.children failed: the data source refused attempt 1") ||
		strings.Count(items[0], "fail_output") != 1 || strings.Count(items[1], "panic_output") != 1 {
		t.Fatalf("the page shows the errors %q", items)
	}

	// The server survived both and keeps serving.
	click(t, ctx, "#healthy_button")
	waitJS(t, ctx, `document.querySelector('#healthy_output').textContent === 'Worked 1 times'`)
}

// TestAFigurePlotlyCannotDrawIsAnError: plotly.js throws on a figure it
// cannot draw, and a throw in a call from the wasm ended the page. The page
// shows it where it shows callbacks' errors, and goes on: the job that
// draws the chart still ends with its result.
func TestAFigurePlotlyCannotDrawIsAnError(t *testing.T) {
	ctx := tab(t, "/examples/graph")
	waitJS(t, ctx, fmt.Sprintf(paragraphIs, "Clicked 0 times")+` && !document.querySelector('#button_id').disabled && !!window.Plotly`)
	script(t, ctx, `Plotly.react = () => { throw new TypeError("Cannot read properties of null (reading 'type')"); }`)
	// Clicked in the page, not at the button's place: a draw still pending
	// from the first call (ui/graph.go draws a task after a change) may show
	// the error first, and the error's panel moves the button.
	script(t, ctx, `document.querySelector('#button_id').click()`)
	waitJS(t, ctx, fmt.Sprintf(paragraphIs, "Clicked 1 times"))
	waitJS(t, ctx, `[...document.querySelectorAll('#longcall-error .longcall-error-item[data-code="figure_not_drawn"]')]
		.some(e => e.textContent === "Graph progress_bar_graph: plotly.js could not draw the figure: JavaScript error: Cannot read properties of null (reading 'type')")`)
}
