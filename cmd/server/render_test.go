package main

import (
	"testing"

	"github.com/longcall/longcall/ui/examples"
)

// TestAnUpdateRendersItsComponentAlone: a click, an answer or a progress
// value renders the component whose props it changed, and not the
// components around it: neither the layout between it and its dashboard
// (ui.Bound.RendersAlone), nor the page around the dashboard (whose status
// line renders when the connection's state changed, not at every call's
// loading state). go-app's Dispatch renders every component above the one it was
// called for: before, each of a progress stream's 300 messages rendered the
// whole page again.
func TestAnUpdateRendersItsComponentAlone(t *testing.T) {
	ctx := tab(t, examples.LatencyPath)
	waitOnline(t, ctx)
	const renders = `['#latency_page', '#latency_layout'].map(s => Number(document.querySelector(s).dataset.renders))`
	before := evalJS[[]int](t, ctx, renders)
	for _, want := range []string{"1", "2", "3"} {
		click(t, ctx, "#latency_ordinary")
		waitJS(t, ctx, `document.querySelector('#latency_ordinary_out').textContent === '`+want+`'`)
	}
	click(t, ctx, "#latency_stream")
	waitJS(t, ctx, `document.querySelector('#latency_stream_out').textContent === 'streamed 1'`)
	after := evalJS[[]int](t, ctx, renders)
	if after[0] != before[0] || after[1] != before[1] {
		t.Fatalf("three clicks answered and a progress stream rendered the page %d times and the layout in it %d times, want none: only the components they changed",
			after[0]-before[0], after[1]-before[1])
	}
}
