package client

import "context"

// socket is one websocket connection, its messages text frames out and text
// or binary frames in (the server's large ones): coder/websocket
// natively (socket_native.go), the browser's own WebSocket in the wasm
// (socket_js.go), which keeps net/http and what it brings (crypto/tls and
// its package inits) out of the browser's download.
type socket interface {
	write(ctx context.Context, data []byte) error
	read(ctx context.Context) ([]byte, error)
	closeNow()
}
