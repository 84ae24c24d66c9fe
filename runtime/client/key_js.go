//go:build js

package client

import (
	"encoding/base64"
	"syscall/js"
)

// newKey returns 128 random bits, URL-safe, from the browser's
// crypto.getRandomValues, as crypto/rand reads them there: without
// crypto/rand, which links Go's FIPS 140 module into the wasm.
func newKey() string {
	random := js.Global().Get("Uint8Array").New(16)
	js.Global().Get("crypto").Call("getRandomValues", random)
	b := make([]byte, 16)
	js.CopyBytesToGo(b, random)
	return base64.RawURLEncoding.EncodeToString(b)
}
