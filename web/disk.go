//go:build !embed

package web

import "io/fs"

// Embedded returns the assets compiled into the binary, or nil in a build
// without them (this one: build with -tags embed, as build.sh does).
func Embedded() fs.FS { return nil }
