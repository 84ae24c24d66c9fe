package main

import (
	"regexp"
	"testing"

	"github.com/longcall/longcall/runtime/host"
)

const errorItems = `[...document.querySelectorAll('#longcall-error .longcall-error-item')]`

var errorID = regexp.MustCompile(`^e-[0-9a-f]{12}$`)

// In dev mode (the demo's tests run as `go run ./cmd/server` does) a
// panicking handler's error shows its stack, down to the handler's file,
// and the id the server logged it under.
func TestDevModeShowsAPanicsStack(t *testing.T) {
	ctx := tab(t, "/examples/errors")
	click(t, ctx, "#panic_button")
	waitJS(t, ctx, errorItems+`.some(e => e.dataset.code === 'panic' && (e.querySelector('.longcall-error-stack')?.textContent ?? '').includes('ui/examples/handlers.go'))`)
	text := evalJS[string](t, ctx, errorItems+`.find(e => e.dataset.code === 'panic').textContent`)
	id := evalJS[string](t, ctx, errorItems+`.find(e => e.dataset.code === 'panic').dataset.id`)
	if !errorID.MatchString(id) || !regexp.MustCompile(`assignment to entry in nil map.*\(error id `+id+`\)`).MatchString(text) {
		t.Fatalf("the panic reads %q, id %q: want its text, then its error id", text, id)
	}
}

// In production a handler's error and a panic show a short message and
// the error's id, never their text or a stack.
func TestProductionShowsErrorIDs(t *testing.T) {
	srv := startServer(t, "127.0.0.1:0", func(c *host.Config) { c.Dev = false })
	ctx := openTab(t, newProfile(t), srv.URL+"/examples/errors")
	waitOnline(t, ctx)
	click(t, ctx, "#fail_button")
	waitJS(t, ctx, errorItems+`.length === 1 && !document.querySelector('#fail_button').disabled`)
	click(t, ctx, "#panic_button")
	waitJS(t, ctx, errorItems+`.length === 2`)
	items := evalJS[[]map[string]string](t, ctx, errorItems+`.map(e => ({code: e.dataset.code, id: e.dataset.id, text: e.textContent, stack: String(!!e.querySelector('.longcall-error-stack'))}))`)
	codes := map[string]bool{}
	for _, item := range items {
		codes[item["code"]] = true
		if !errorID.MatchString(item["id"]) || !regexp.MustCompile(`its log has the details under this error's id \(error id `+item["id"]+`\)$`).MatchString(item["text"]) ||
			regexp.MustCompile(`nil map|data source|goroutine`).MatchString(item["text"]) || item["stack"] != "false" {
			t.Fatalf("a production page shows the error %q", item)
		}
	}
	if !codes["handler"] || !codes["panic"] {
		t.Fatalf("the page shows the errors %v, want a handler's error and a panic", items)
	}
}
