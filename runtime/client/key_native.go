//go:build !js

package client

import (
	"crypto/rand"
	"encoding/base64"
)

// newKey returns 128 random bits, URL-safe.
func newKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
