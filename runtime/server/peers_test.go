package server_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/longcall/longcall/runtime/protocol"
	"github.com/longcall/longcall/runtime/server"
)

// from dials as the client forwardedFor, per X-Forwarded-For, says hello and
// returns the connection and the server's first answer (a welcome, or the
// close that refused it).
func from(t *testing.T, url, forwardedFor string) (*wire, error) {
	t.Helper()
	header := http.Header{}
	if forwardedFor != "" {
		header.Set("X-Forwarded-For", forwardedFor)
	}
	w, err := dial(t, url, header)
	if err != nil {
		return nil, err
	}
	w.send(protocol.Message{Type: protocol.TypeHello})
	if _, _, err := w.ws.ReadMessage(); err != nil {
		return nil, err
	}
	return w, nil
}

func wantSessionRefused(t *testing.T, err error, what string) {
	t.Helper()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != websocket.CloseTryAgainLater {
		t.Fatalf("%s: got %v, want a 1013 close", what, err)
	}
}

// Sessions cost nothing, so they are bounded per address: past AddrSessions
// a new session is refused with 1013 (the page retries with backoff), while
// resuming one the address holds is not a new one.
func TestOneAddressHoldsAtMostAddrSessions(t *testing.T) {
	ts := serve(t, server.Config{AddrSessions: 3})
	var token string
	for i := range 3 {
		_, welcome := connect(t, ts.url, "")
		if i == 0 {
			token = welcome.Session
		}
	}
	_, err := from(t, ts.url, "")
	wantSessionRefused(t, err, "a fourth session from one address")
	if _, welcome := connect(t, ts.url, token); !welcome.Resumed {
		t.Error("resuming a session the address holds was refused")
	}
	if got := ts.metric(t, "longcall_refused_total", map[string]string{"reason": "addr_sessions"}); got != 1 {
		t.Errorf("refused sessions counted %v, want 1", got)
	}
}

// Calls are bounded per address, whatever the number of its sessions: past
// the burst they are answered busy, in every session of the address.
func TestOneAddressCallsAreRateLimited(t *testing.T) {
	ts := serve(t, server.Config{AddrCallRate: 0.001, AddrCallBurst: 3})
	first, _ := connect(t, ts.url, "")
	second, _ := connect(t, ts.url, "")
	for req := uint64(1); req <= 3; req++ {
		first.send(call(req, "servertest:echo_out.children", value("echo_in", "value", "x")))
		if m := first.answer(req); m.Error != nil {
			t.Fatalf("call %d within the burst: %+v", req, m.Error)
		}
	}
	first.send(call(4, "servertest:echo_out.children", value("echo_in", "value", "x")))
	wantError(t, first.answer(4), protocol.CodeBusy, "your address")
	second.send(call(1, "servertest:echo_out.children", value("echo_in", "value", "x")))
	wantError(t, second.answer(1), protocol.CodeBusy, "your address")
	if got := ts.metric(t, "longcall_refused_total", map[string]string{"reason": "addr_calls"}); got != 2 {
		t.Errorf("refused calls counted %v, want 2", got)
	}
}

// X-Forwarded-For is anyone's to write: without TrustedProxies it changes
// nothing, so a client cannot pass for many; from a trusted proxy it names
// the client, read from the right so that what the client wrote itself is
// not believed.
func TestForwardedForIsBelievedOnlyFromTrustedProxies(t *testing.T) {
	direct := serve(t, server.Config{AddrSessions: 1})
	if _, err := from(t, direct.url, "198.51.100.1"); err != nil {
		t.Fatal(err)
	}
	_, err := from(t, direct.url, "198.51.100.2")
	wantSessionRefused(t, err, "a second session with a made-up X-Forwarded-For")

	proxied := serve(t, server.Config{AddrSessions: 1, TrustedProxies: []string{"127.0.0.1", "10.0.0.0/8"}})
	for _, client := range []string{"198.51.100.1", "198.51.100.2", "203.0.113.9, 198.51.100.3, 10.1.2.3"} {
		if _, err := from(t, proxied.url, client); err != nil {
			t.Fatalf("X-Forwarded-For %q through a trusted proxy: %v", client, err)
		}
	}
	_, err = from(t, proxied.url, "198.51.100.1")
	wantSessionRefused(t, err, "a second session of one client behind the proxy")
	_, err = from(t, proxied.url, "198.51.100.99, 198.51.100.3") // the client wrote the first
	wantSessionRefused(t, err, "a second session of a client that wrote its own X-Forwarded-For")
}

// Behind a proxy every websocket comes from the proxy's address, so the
// per-address connection bound is kept per client, at the upgrade (429).
func TestOneClientBehindAProxyHoldsAtMostAddrConnsWebsockets(t *testing.T) {
	ts := serve(t, server.Config{AddrConns: 2, TrustedProxies: []string{"127.0.0.1"}})
	for range 2 {
		if _, err := from(t, ts.url, "198.51.100.1"); err != nil {
			t.Fatal(err)
		}
	}
	_, err := from(t, ts.url, "198.51.100.1")
	var he *handshakeError
	if !errors.As(err, &he) || he.status != http.StatusTooManyRequests {
		t.Fatalf("a third websocket of one client: got %v, want 429", err)
	}
	if _, err := from(t, ts.url, "198.51.100.2"); err != nil {
		t.Fatalf("another client behind the proxy: %v", err)
	}
}

func TestTrustedProxiesMustBeAddresses(t *testing.T) {
	for _, bad := range []string{"proxy.example.com", "10.0.0.0/33", "", "*"} {
		if server.ValidProxy(bad) == nil {
			t.Errorf("ValidProxy(%q) accepted it", bad)
		}
	}
	for _, good := range []string{"10.0.0.7", "10.0.0.0/8", "::1", "fd00::/8"} {
		if err := server.ValidProxy(good); err != nil {
			t.Errorf("ValidProxy(%q): %v", good, err)
		}
	}
}

// A call the page sends again after a reconnect (the same req and key) is
// the first copy's, already counted: the rate does not refuse it, which
// would end the call while its job runs on.
func TestACallSentAgainIsNotChargedTwice(t *testing.T) {
	ts := serve(t, server.Config{AddrCallRate: 0.001, AddrCallBurst: 1})
	page, welcome := connect(t, ts.url, "")
	n := fresh()
	first := call(1, holdA.ID(), value("hold_a", "value", n))
	page.send(first)
	page.until("the job", func(m protocol.Message) bool { return m.Type == protocol.TypeJob })
	page.ws.Close()

	back, _ := connect(t, ts.url, welcome.Session)
	back.send(first)
	release(n)
	if got := back.answer(1); got.Status != protocol.StatusOK {
		t.Fatalf("the call sent again: %s %+v, want its job's result", got.Status, got.Error)
	}
}
