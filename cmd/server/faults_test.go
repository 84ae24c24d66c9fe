package main

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/longcall/longcall/ui/examples"
)

// A handler that ignores its context is abandoned at its Timeout: the page
// shows the timeout, its running props are reset, and the output stays.
func TestATimeoutIsReportedInThePage(t *testing.T) { onEachDeployment(t, aTimeoutIsReportedInThePage) }

func aTimeoutIsReportedInThePage(t *testing.T, tab tabber) {
	ctx := tab(t, "/examples/errors")
	const errorText = `(document.querySelector('#longcall-error')?.textContent ?? '')`
	click(t, ctx, "#stuck_button")
	waitJS(t, ctx, `document.querySelector('#stuck_button').disabled`)
	waitJS(t, ctx, errorText+`.includes('errors:stuck_output.children') && `+errorText+`.includes('timed out after 1s')`)
	waitJS(t, ctx, `!document.querySelector('#stuck_button').disabled`)
	if got := evalJS[string](t, ctx, `document.querySelector('#stuck_output').textContent`); got != "Not run" {
		t.Fatalf("a timed-out job changed its output to %q", got)
	}
}

// recordViolations makes every page opened in ctx keep the Content Security
// Policy violations it meets in window.cspViolations.
const recordViolations = `window.cspViolations = [];
document.addEventListener('securitypolicyviolation', e =>
	window.cspViolations.push(e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));`

// The demo pages work under the policy: each loads its wasm, connects, runs
// its initial calls (the graph page draws its plotly figure) and meets no
// violation.
func TestEveryPageWorksUnderTheContentSecurityPolicy(t *testing.T) {
	profile := newProfile(t) // one for all: the wasm downloads and compiles once
	for _, e := range append([]examples.Example{{Path: "/"}}, examples.All...) {
		t.Run(e.Path, func(t *testing.T) {
			ctx, cancel := chromedp.NewContext(profile)
			t.Cleanup(cancel)
			ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
			t.Cleanup(cancelTimeout)
			if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: recordViolations}); err != nil {
				t.Fatal(err)
			}
			do(t, ctx, chromedp.Navigate(baseURL+e.Path))
			switch {
			case e.Path == "/":
				waitJS(t, ctx, `document.querySelector('a[href="/examples/simple"]') !== null`)
			case e.Dash.Restricted(): // behind the login: the login page, under the policy too
				waitJS(t, ctx, `location.pathname === '/login' && document.querySelector('#login_form')?.dataset.ready === 'true'`)
			default:
				waitOnline(t, ctx)
			}
			if e.Path == "/examples/graph" {
				waitJS(t, ctx, `document.querySelector('#progress_bar_graph .longcall-graph-plot')?.data?.length > 0`)
			}
			if v := evalJS[[]string](t, ctx, `window.cspViolations`); len(v) > 0 {
				t.Fatalf("violations of the Content Security Policy: %q", v)
			}
		})
	}
}
