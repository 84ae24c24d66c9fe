// Package runtime is longcall's callback model, shared by the browser and the
// server: typed props, callback declarations with their options, the
// dashboards that register them, and the Call a handler works through.
//
// The same declarations compile into the WebAssembly client and the server.
// The client reads a callback's Spec (what triggers it, what to set while it
// runs, what cancels it, where progress goes); the server runs its handler.
// A handler may be attached from a file built only for the server
// (//go:build !js), so that server-only code never reaches the browser.
//
// The wire format lives in runtime/protocol, the server side in
// runtime/server and the browser side in runtime/client.
package runtime
