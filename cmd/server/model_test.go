package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

const textOf = `document.querySelector(%q).textContent`

func waitText(t *testing.T, ctx context.Context, selector, want string) {
	t.Helper()
	waitJS(t, ctx, fmt.Sprintf(textOf+` === %q`, selector, want))
}

func TestCallbackModel(t *testing.T) { onEachDeployment(t, callbackModel) }

func callbackModel(t *testing.T, tab tabber) {
	ctx := tab(t, "/examples/model")
	// The chained callback ran at load, on the initial greeting.
	waitText(t, ctx, "#greeting_length", "18 characters")

	// State: the name is read, not a trigger; two outputs set at once.
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#name_input"), "!"))
	click(t, ctx, "#greet_button")
	waitText(t, ctx, "#greeting", "Hello, Ada!")
	waitText(t, ctx, "#greet_count", "1 greetings")
	waitText(t, ctx, "#greeting_length", "11 characters") // the chain followed

	// triggered_id picks the behaviour; the count gets no update.
	click(t, ctx, "#shout_button")
	waitText(t, ctx, "#greeting", "HELLO, ADA!!")
	if got := evalJS[string](t, ctx, fmt.Sprintf(textOf, "#greet_count")); got != "1 greetings" {
		t.Fatalf("a shout updated the count to %q", got)
	}

	// set_props from a background job: every step arrives, then the result.
	click(t, ctx, "#steps_button")
	waitText(t, ctx, "#steps_done", "All 3 steps done")
	for i := 1; i <= 3; i++ {
		waitText(t, ctx, fmt.Sprintf("#step_%d", i), fmt.Sprintf("Step %d done", i))
	}

	// An error handler turns a failure into output, and no error shows.
	click(t, ctx, "#recover_button")
	waitText(t, ctx, "#recover_output", "Recovered from: the service is down")
	if evalJS[bool](t, ctx, `document.querySelector('#longcall-error') !== null`) {
		t.Fatal("a handled error was shown as an error")
	}
}

func TestQueuedJobShowsItsPlace(t *testing.T) { onEachDeployment(t, queuedJobShowsItsPlace) }

func queuedJobShowsItsPlace(t *testing.T, tab tabber) {
	first := tab(t, "/examples/queue")
	second := tab(t, "/examples/queue")
	click(t, first, "#slow_button")
	waitJS(t, first, `document.querySelector('#slow_button').disabled`)
	click(t, second, "#slow_button")
	// One worker: the second session's job waits, and says so.
	waitJS(t, second, fmt.Sprintf(textOf+`.startsWith('1st in queue')`, "#slow_queue"))
	waitText(t, first, "#slow_output", "Finished job 1")
	waitText(t, second, "#slow_output", "Finished job 1")
	waitText(t, second, "#slow_queue", "")
}

func TestCacheBySharesResultsAcrossSessions(t *testing.T) {
	onEachDeployment(t, cacheBySharesResultsAcrossSessions)
}

func cacheBySharesResultsAcrossSessions(t *testing.T, tab tabber) {
	first := tab(t, "/examples/queue")
	do(t, first, chromedp.SendKeys(chromedp.CSS("#square_input"), "3")) // "73"
	click(t, first, "#square_button")
	waitJS(t, first, fmt.Sprintf(textOf+`.startsWith('73² = 5329')`, "#square_output"))
	computed := evalJS[string](t, first, fmt.Sprintf(textOf, "#square_output"))

	second := tab(t, "/examples/queue")
	do(t, second, chromedp.SendKeys(chromedp.CSS("#square_input"), "3"))
	click(t, second, "#square_button")
	waitJS(t, second, fmt.Sprintf(textOf+`.startsWith('73²')`, "#square_output"))
	if got := evalJS[string](t, second, fmt.Sprintf(textOf, "#square_output")); got != computed {
		t.Fatalf("another session got %q, want the cached %q (same run)", got, computed)
	}
	if !strings.Contains(computed, "computed by run") {
		t.Fatalf("unexpected output %q", computed)
	}
}
