package server_test

import (
	"strings"
	"testing"

	"github.com/longcall/longcall/runtime/client"
	"github.com/longcall/longcall/runtime/server"
)

// Issue 14, break 13: a message over the server's ReadLimit closed the
// connection with 1009, which a browser reports as 1006 without the reason.
// The welcome says the limit; the client sends no larger message, and ends
// the call with a too_large error the page shows, staying connected.
func TestClientRefusesAMessageOverTheServersLimit(t *testing.T) {
	ts := serve(t, server.Config{ReadLimit: 4096})
	p := open(t, ts.url)
	p.waitFor(t, echoOut.PropID(), `""`) // the initial call
	p.Update(set(echoIn.PropID(), strings.Repeat("a", 8192)))
	eventually(t, "the too_large error", func() bool {
		v, _ := p.Store().Get(client.ErrorProp)
		return strings.Contains(string(v), `"code":"too_large"`) && strings.Contains(string(v), "at most 4096")
	})
	p.Update(set(echoIn.PropID(), "still here"))
	p.waitFor(t, echoOut.PropID(), `"STILL HERE"`)
	if got := ts.metric(t, "longcall_bad_messages_total", map[string]string{"code": "too_big"}); got != 0 {
		t.Errorf("the server read %v messages over its limit", got)
	}
}
