package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/longcall/longcall/runtime/host"
	"github.com/longcall/longcall/ui/examples"
)

// testServer is a server of a test's own, for tests that stop and restart it.
type testServer struct {
	*host.Serving
	addr string
	stop func()
}

// startServer runs a server on addr ("127.0.0.1:0" for any port) with the
// assets TestMain built, adjusted by edit.
func startServer(t *testing.T, addr string, edit func(*host.Config)) *testServer {
	t.Helper()
	cfg := testConfig(addr)
	if edit != nil {
		edit(&cfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan *host.Serving, 1)
	served := make(chan error, 1)
	go func() { served <- host.Serve(ctx, cfg, func(s *host.Serving) { ready <- s }) }()
	select {
	case s := <-ready:
		stopped := false
		stop := func() {
			if !stopped {
				stopped = true
				cancel()
				<-served
			}
		}
		t.Cleanup(stop)
		return &testServer{Serving: s, addr: s.URL[len("http://"):], stop: stop}
	case err := <-served:
		cancel()
		t.Fatalf("server on %s did not start: %v", addr, err)
		return nil
	}
}

// waitControlled waits until the service worker controls the page: from then
// on the page and its assets open offline.
func waitControlled(t *testing.T, ctx context.Context) {
	t.Helper()
	waitJS(t, ctx, `navigator.serviceWorker.controller !== null`)
}

func TestInstallable(t *testing.T) {
	if browser == nil {
		t.Skip("chromium is not installed (.ci/run installs it)")
	}
	// The default profile: Chromium never offers to install from incognito,
	// which every other test's profile is.
	ctx := openTab(t, browser, baseURL+"/")
	waitControlled(t, ctx)
	res, err := chromedp.Call(ctx, page.GetInstallabilityErrors, cdp.Empty{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.InstallabilityErrors {
		t.Errorf("installability error: %s %v", e.ErrorID, e.ErrorArguments)
	}

	resp, err := http.Get(baseURL + "/manifest.webmanifest")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var manifest struct {
		Icons []struct{ Src, Sizes, Purpose string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&manifest); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"192x192": false, "512x512": false, "maskable": false}
	for _, icon := range manifest.Icons {
		if icon.Src == "" || icon.Src[0] != '/' {
			t.Errorf("icon %q is not served by the app", icon.Src)
		}
		want[icon.Sizes] = true
		if icon.Purpose == "maskable" {
			want["maskable"] = true
		}
	}
	for k, ok := range want {
		if !ok {
			t.Errorf("manifest has no %s icon: %+v", k, manifest.Icons)
		}
	}
}

// One story, as a user lives it: results kept, an offline open, a click
// while offline queued across a reload, and sent once when the server is back.
func TestOfflineOpenKeepsOutputsAndQueuesClicks(t *testing.T) {
	srv := startServer(t, "127.0.0.1:0", nil)
	ctx := openTab(t, newProfile(t), srv.URL+"/examples/simple")
	waitOnline(t, ctx)
	waitJS(t, ctx, fmt.Sprintf(paragraphIs, "Clicked 0 times"))
	click(t, ctx, "#button_id")
	waitJS(t, ctx, fmt.Sprintf(paragraphIs, "Clicked 1 times"))
	waitControlled(t, ctx)

	srv.stop()
	do(t, ctx, chromedp.Reload())
	const offline = `document.querySelector('#longcall-status')?.dataset.status === 'offline' && document.querySelector('#longcall-status').textContent.includes('Offline')`
	waitJS(t, ctx, offline+` && `+fmt.Sprintf(paragraphIs, "Clicked 1 times")+` && document.querySelector('#button_id').textContent === 'Run Job!'`)

	click(t, ctx, "#button_id")
	const queued = `document.querySelector('#longcall-status').dataset.queued === '1' && document.querySelector('#longcall-status').textContent.includes('1 call queued')`
	waitJS(t, ctx, queued)
	do(t, ctx, chromedp.Reload())
	waitJS(t, ctx, offline+` && `+queued+` && `+fmt.Sprintf(paragraphIs, "Clicked 1 times"))

	back := startServer(t, srv.addr, nil)
	waitJS(t, ctx, fmt.Sprintf(paragraphIs, "Clicked 2 times")+` && document.querySelector('#longcall-status').dataset.queued === '0'`)
	waitOnline(t, ctx)
	if n := back.Jobs.Stats().Started; n != 1 {
		t.Fatalf("the server started %d jobs for one queued click, want 1", n)
	}
}

func TestProgressContinuesAfterReloadAndCut(t *testing.T) {
	ctx := tab(t, "/examples/progress")
	const value = `Number(document.querySelector('#progress_bar').getAttribute('value'))`
	const running = `document.querySelector('#button_id').disabled && document.querySelector('#paragraph_id').style.visibility === 'hidden'`

	click(t, ctx, "#button_id")
	waitJS(t, ctx, value+` >= 2`)
	reached := evalJS[float64](t, ctx, value)
	do(t, ctx, chromedp.Reload())
	waitOnline(t, ctx)
	// The reloaded page is running the same job, from where it was.
	waitJS(t, ctx, running+` && `+value+` >= `+fmt.Sprint(reached))
	script(t, ctx, `window.seen = []; new MutationObserver(() => window.seen.push(`+value+`))
		.observe(document.querySelector('#progress_bar'), {attributes: true, attributeFilter: ['value']});`)
	waitJS(t, ctx, fmt.Sprintf(paragraphIs, "Clicked 1 times")+` && !document.querySelector('#button_id').disabled`)
	seen := evalJS[[]float64](t, ctx, `window.seen`)
	for i := 1; i < len(seen); i++ {
		if seen[i] < seen[i-1] && seen[i] != 0 { // 0: the reset after the end
			t.Fatalf("progress went back after the reload: %v", seen)
		}
	}

	// The same with the websocket cut by the server instead of a reload.
	click(t, ctx, "#button_id")
	waitJS(t, ctx, value+` >= 1 && `+running)
	mainServer.Callbacks.Reconnect()
	waitJS(t, ctx, fmt.Sprintf(paragraphIs, "Clicked 2 times")+` && !document.querySelector('#button_id').disabled`)
}

// TestAReloadRightAfterAClickKeepsItsCall: a reload in the very task of the
// click still finds the call in sessionStorage, re-attaches to its job and
// shows its result. (The calls in flight are journaled in the click's task;
// writing them later, and on pagehide, failed this test without the
// pagehide write.)
func TestAReloadRightAfterAClickKeepsItsCall(t *testing.T) {
	ctx := tab(t, examples.LatencyPath)
	loaded := make(chan struct{}, 1)
	if err := chromedp.Listen(ctx, func(ev any) {
		if _, ok := ev.(*page.EventLoadEventFired); ok {
			select {
			case loaded <- struct{}{}:
			default:
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	// After the evaluation has returned: the reload ends its context.
	script(t, ctx, `setTimeout(() => { document.querySelector('#latency_stream').click(); location.reload(); })`)
	select {
	case <-loaded:
	case <-time.After(60 * time.Second):
		t.Fatal("the page did not reload")
	}
	waitOnline(t, ctx)
	waitJS(t, ctx, `document.querySelector('#latency_stream_out')?.textContent === 'streamed 1'`)
}

// Each tab is a session of its own (sessionStorage is per tab): a job in one
// tab runs nowhere else. See docs/CONTINUITY.md.
func TestTabsAreSeparateSessions(t *testing.T) {
	profile := newProfile(t)
	a := openTab(t, profile, baseURL+"/examples/disable")
	waitOnline(t, a)
	b := openTab(t, profile, baseURL+"/examples/disable")
	waitOnline(t, b)
	const token = `sessionStorage.getItem('longcall.session')`
	ta, tb := evalJS[string](t, a, token), evalJS[string](t, b, token)
	if ta == "" || ta == tb {
		t.Fatalf("tab sessions %q and %q; want two different ones", ta, tb)
	}
	waitJS(t, a, `!document.querySelector('#button_id').disabled`)
	waitJS(t, b, `!document.querySelector('#button_id').disabled`)
	click(t, a, "#button_id")
	waitJS(t, a, `document.querySelector('#button_id').disabled`)
	if evalJS[bool](t, b, `document.querySelector('#button_id').disabled`) {
		t.Fatal("a job started in one tab shows as running in the other")
	}
	waitJS(t, a, `!document.querySelector('#button_id').disabled`)
}

func TestNewVersionIsNoticed(t *testing.T) {
	root, err := filepath.Abs("../..") // the checkout: tests run in their package's directory
	if err != nil {
		t.Fatal(err)
	}
	old := copyWeb(t, filepath.Join(root, "web"))
	srv := startServer(t, "127.0.0.1:0", func(c *host.Config) { c.WebDir = old })
	ctx := openTab(t, newProfile(t), srv.URL+"/examples/simple")
	waitOnline(t, ctx)
	waitControlled(t, ctx)
	if evalJS[bool](t, ctx, `document.querySelector('#longcall-update') !== null`) {
		t.Fatal("an update is offered before there is one")
	}

	// Rebuild with a change and restart on the same address.
	next := copyWeb(t, old)
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w -X main.version=next", "-o", filepath.Join(next, "app.wasm"), "./cmd/app")
	build.Dir = root
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("rebuild: %v\n%s", err, out)
	}
	srv.stop()
	startServer(t, srv.addr, func(c *host.Config) { c.WebDir = next })

	waitJS(t, ctx, `document.querySelector('#longcall-update')?.textContent.includes('new version')`)
}

// copyWeb copies a web directory (app.wasm, icons, CSS, npm assets) to a
// temporary one.
func copyWeb(t *testing.T, from string) string {
	t.Helper()
	to := filepath.Join(t.TempDir(), "web")
	if out, err := exec.Command("cp", "-r", from, to).CombinedOutput(); err != nil {
		t.Fatalf("copy %s: %v\n%s", from, err, out)
	}
	return to
}

// TestPropsAreKeptOnceABurstIsOver: a page's props are written to
// localStorage a quarter of a second after they change, not at every
// change: progress at 100 updates a second costs a few writes a second, not
// one a frame. The last props are kept once the burst is over, and a reload
// shows them.
func TestPropsAreKeptOnceABurstIsOver(t *testing.T) {
	ctx := tab(t, examples.LatencyPath)
	// The writes of the item written most: each item is a prop's.
	script(t, ctx, `window.keptItems = {};
		const setItem = Storage.prototype.setItem;
		Storage.prototype.setItem = function (key, value) {
			if (key.startsWith('longcall.props.')) window.keptItems[key] = (window.keptItems[key] || 0) + 1;
			return setItem.call(this, key, value);
		};`)
	type burst struct {
		Values int     `json:"values"`
		Writes int     `json:"writes"`
		Ms     float64 `json:"ms"`
	}
	b, err := chromedp.Run(ctx, chromedp.Evaluate[burst](`(async () => {
		const out = document.querySelector('#latency_stream_out'), bar = document.querySelector('#latency_bar');
		const start = performance.now(), values = new Set();
		document.querySelector('#latency_stream').click();
		while (out.textContent === '') {
			values.add(bar.getAttribute('value'));
			await new Promise(r => requestAnimationFrame(r));
		}
		return {values: values.size, writes: Math.max(0, ...Object.values(window.keptItems)), ms: performance.now() - start};
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	// One write for each keepDelay (250 ms) of the burst, and one more for
	// a write the burst's first change may find due.
	if limit := int(b.Ms/250) + 2; b.Writes > limit || b.Values < 20 {
		t.Fatalf("%d progress values shown in %.0f ms took %d writes to localStorage, want at most %d", b.Values, b.Ms, b.Writes, limit)
	}
	const kept = `localStorage.getItem('longcall.props.latency ["latency_stream_out","children"]') === '"streamed 1"'`
	waitJS(t, ctx, kept)
	do(t, ctx, chromedp.Reload())
	waitJS(t, ctx, `document.querySelector('#latency_stream_out')?.textContent === 'streamed 1'`)
}

// TestAFullStorageDoesNotStopThePage: a browser throws when its storage is
// full (QuotaExceededError) or refused, and a throw in the wasm ended the
// page. The page goes on answering clicks without keeping what it could
// not, and removes what it kept before, every prop of the dashboard, rather
// than restore it later as if it were the last.
func TestAFullStorageDoesNotStopThePage(t *testing.T) {
	ctx := tab(t, examples.LatencyPath)
	const out = `document.querySelector('#latency_ordinary_out').textContent === %q`
	click(t, ctx, "#latency_ordinary")
	waitJS(t, ctx, fmt.Sprintf(out, "1"))
	const item = `localStorage.getItem('longcall.props.latency ["latency_ordinary_out","children"]')`
	waitJS(t, ctx, item+` === '"1"'`)
	script(t, ctx, `Storage.prototype.setItem = function () {
		throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
	}`)
	click(t, ctx, "#latency_ordinary")
	waitJS(t, ctx, fmt.Sprintf(out, "2"))
	click(t, ctx, "#latency_ordinary")
	waitJS(t, ctx, fmt.Sprintf(out, "3"))
	// Whole or not at all: no item of the dashboard is left, not only the
	// refused one's.
	waitJS(t, ctx, `Object.keys(localStorage).filter(k => k.startsWith('longcall.props.latency ')).length === 0`)
}
