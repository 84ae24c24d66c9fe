package main

import "testing"

// A message larger than the server reads (issue 14, break 13): the page
// does not send it to be cut off with a close it cannot explain; the call
// ends with too_large in the page's error list, and the page stays online.
func TestAnOversizedCallIsExplainedInThePage(t *testing.T) {
	ctx := tab(t, "/examples/components")
	waitJS(t, ctx, `(document.querySelector('#kit_echo')?.textContent || '').includes('count=1')`)
	script(t, ctx, `(() => {
		const el = document.querySelector('#kit_notes');
		el.value = 'x'.repeat(2 << 20); // twice the default -read-limit
		el.dispatchEvent(new Event('input', {bubbles: true}));
	})()`)
	waitJS(t, ctx, `!!document.querySelector('#longcall-error .longcall-error-item[data-code="too_large"]')`)
	waitOnline(t, ctx)
	// The connection was kept: once the notes are of normal size again, the
	// same callback runs.
	script(t, ctx, `(() => {
		const el = document.querySelector('#kit_notes');
		el.value = 'short again';
		el.dispatchEvent(new Event('input', {bubbles: true}));
	})()`)
	waitJS(t, ctx, `document.querySelector('#kit_echo').textContent.includes('notes=short again')`)
}
