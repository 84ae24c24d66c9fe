//go:build loadtest

package main

// The load dashboard, for cmd/loadtest -spawn only: its caller chooses what
// each job costs, so a normal build does not serve it.
import _ "github.com/longcall/longcall/ui/examples/load"
