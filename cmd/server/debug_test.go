package main

import (
	"github.com/longcall/longcall/runtime/host"
	"net/http"
	"strings"
	"testing"
)

// -debug-addr serves Go's profiles on their own listener, and only there:
// the public address must not hand them to anyone who asks.
func TestProfilesAreServedOnTheDebugAddressOnly(t *testing.T) {
	srv := startServer(t, "127.0.0.1:0", func(c *host.Config) { c.DebugAddr = "127.0.0.1:0" })
	if srv.DebugURL == "" {
		t.Fatal("no debug URL with -debug-addr set")
	}
	resp, body := get(t, srv.DebugURL+"/debug/pprof/")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "goroutine") {
		t.Fatalf("debug listener's /debug/pprof/: %d, %.200q", resp.StatusCode, body)
	}
	if _, heap := get(t, srv.DebugURL+"/debug/pprof/heap?debug=1"); !strings.Contains(heap, "heap profile") {
		t.Errorf("debug listener's heap profile: %.200q", heap)
	}
	_, public := get(t, srv.URL+"/debug/pprof/heap?debug=1")
	if strings.Contains(public, "heap profile") {
		t.Errorf("the public address serves the heap profile: %.200q", public)
	}
}
