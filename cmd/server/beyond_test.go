package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Issue 15 in the browser, on both managers: retries shown, live logs, two
// clicks running two jobs, a clientside filter of a job's result, a job in a
// child process killed by a cancel and by leaving the page.
func TestBeyondDash(t *testing.T) { onEachDeployment(t, beyondDash) }

func beyondDash(t *testing.T, tab tabber) {
	ctx := tab(t, "/examples/beyond")
	click(t, ctx, "#report_button")
	waitJS(t, ctx, fmt.Sprintf(textOf+`.includes('the fruit service is busy')`, "#report_log"))
	waitText(t, ctx, "#report_retry", "retry 1 of 2")
	click(t, ctx, "#report_button") // its own job (NoSupersede): the first is not cancelled
	// One worker: a job waits, and the page formats its Place in French.
	waitJS(t, ctx, fmt.Sprintf(textOf+`.startsWith('En file d’attente : position ')`, "#report_place_text"))
	waitJS(t, ctx, fmt.Sprintf(textOf+`.includes('fetched mango')`, "#report_log"))
	waitText(t, ctx, "#report_output", "apple, banana, cherry, mango")
	waitText(t, ctx, "#report_place_text", "") // no job waits any more

	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#filter_input"), "an"))
	waitText(t, ctx, "#filtered_output", "banana, mango")

	click(t, ctx, "#hang_button")
	pid := childPid(t, ctx)
	click(t, ctx, "#hang_cancel")
	waitGone(t, pid)
	waitJS(t, ctx, `!document.querySelector('#hang_button').disabled`)
	waitText(t, ctx, "#hang_output", "Not run")

	click(t, ctx, "#hang_button")
	pid = childPid(t, ctx)
	do(t, ctx, chromedp.Navigate("about:blank")) // CancelOnLeave
	waitGone(t, pid)
}

// The clientside filter runs in the page's wasm with the server gone: the
// page opened offline from the service worker filters as the user types.
func TestClientsideFilterRunsOffline(t *testing.T) {
	srv := startServer(t, "127.0.0.1:0", nil)
	ctx := openTab(t, newProfile(t), srv.URL+"/examples/beyond")
	waitOnline(t, ctx)
	waitControlled(t, ctx)
	srv.stop()
	do(t, ctx, chromedp.Reload())
	waitJS(t, ctx, `document.querySelector('#longcall-status')?.dataset.status === 'offline'`)
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#filter_input"), "fruit"))
	waitText(t, ctx, "#filtered_output", "No fruit yet") // the list's one item that matches
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#filter_input"), "s"))
	waitText(t, ctx, "#filtered_output", "no match")
}

// childPid waits for the hanging job's child process id.
func childPid(t *testing.T, ctx context.Context) int {
	t.Helper()
	waitJS(t, ctx, fmt.Sprintf(textOf+` !== ''`, "#hang_pid"))
	pid, err := strconv.Atoi(strings.TrimSpace(evalJS[string](t, ctx, fmt.Sprintf(textOf, "#hang_pid"))))
	if err != nil {
		t.Fatalf("the job's process id: %v", err)
	}
	return pid
}

// waitGone waits until process pid has ended.
func waitGone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) {
		if time.Now().After(deadline) {
			t.Fatalf("the job's child process %d is still running", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The demo's queued job hears its place as a Place, which the clientside
// callback formats in French (natively: see the report on the browser).
func TestBeyondPlaceFormattedClientside(t *testing.T) {
	p := openPage(t, wsURL(strings.TrimPrefix(baseURL, "http://")), "beyond")
	p.click("report_button", 1)
	p.waitFor(t, "retry", func() bool { return p.get("report_retry", "children") == `"retry 1 of 2"` })
	p.click("report_button", 2)
	p.waitFor(t, "the second job's place, formatted", func() bool {
		return strings.Contains(p.get("report_place_text", "children"), "position 1")
	})
}
