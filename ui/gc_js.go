//go:build js

package ui

import "runtime/debug"

// gcPercent is the browser's Go heap growth between collections. Go runs on
// the page's one thread, so a collection's marking delays whatever the page
// does meanwhile: at Go's default, with the 4 MB heap of a dashboard's
// page, a click every 20 ms met one every 1.3 s, some of them 5–15 ms long.
// Four times the heap between collections means a quarter as many, each as
// long as before: what they mark is the live heap, under a megabyte.
const gcPercent = 400

func init() { debug.SetGCPercent(gcPercent) }
