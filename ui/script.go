package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// withScript runs ready now if the page has the JavaScript global that the
// script at src defines, else once the script has loaded: it adds the
// script to the page unless a component did already. Large libraries
// (plotly.js, markdown-it) are loaded this way by the first component that
// needs them, so that pages without one do not download, parse and run
// them before their first render.
func withScript(ctx app.Context, src, global string, ready func(app.Context)) {
	if app.Window().Get(global).Truthy() {
		ready(ctx)
		return
	}
	doc := app.Window().Get("document")
	script := doc.Call("querySelector", `script[src="`+src+`"]`)
	if !script.Truthy() {
		script = doc.Call("createElement", "script")
		script.Set("src", src)
		doc.Get("head").Call("appendChild", script)
	}
	var loaded app.Func
	loaded = app.FuncOf(func(app.Value, []app.Value) any {
		loaded.Release()
		ctx.Dispatch(ready)
		return nil
	})
	script.Call("addEventListener", "load", loaded, map[string]any{"once": true})
}
