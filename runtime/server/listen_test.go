package server_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/longcall/longcall/runtime/protocol"
	"github.com/longcall/longcall/runtime/server"
)

// edgeServer serves srv's websocket and a /healthz page through HTTPServer
// and Listener on 127.0.0.1, as a host does, and returns the address.
func edgeServer(t *testing.T, ts *testServer) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle(protocol.Path, ts.Server)
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := ts.HTTPServer(mux)
	go hs.Serve(ts.Listener(ln))
	t.Cleanup(func() { hs.Close() })
	return ln.Addr().String()
}

// idleConns opens n connections to addr that send nothing.
func idleConns(t *testing.T, addr string, n int) []net.Conn {
	t.Helper()
	conns := make([]net.Conn, n)
	for i := range conns {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		conns[i] = c
	}
	return conns
}

// closedByServer reports whether the server has closed c, waiting up to wait
// for it to.
func closedByServer(c net.Conn, wait time.Duration) bool {
	c.SetReadDeadline(time.Now().Add(wait))
	_, err := c.Read(make([]byte, 1))
	return err != nil && !errors.Is(err, os.ErrDeadlineExceeded)
}

// healthz gets /healthz on a connection of its own.
func healthz(t *testing.T, addr string) {
	t.Helper()
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 20 * time.Second}
	resp, err := client.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatalf("a new client was not served: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/healthz: %s", resp.Status)
	}
}

// The file limit, lowered to a cap: a flood of idle connections (opened and
// silent, as 1,100 were under ulimit -n 1024) takes the connections there
// are, and yet a new client is served and /healthz answers, because the
// oldest idle connection makes room; the server never holds more than its
// cap.
func TestIdleConnectionsDoNotLockOutNewClients(t *testing.T) {
	const maxConns = 20
	ts := serve(t, server.Config{MaxConns: maxConns, AddrConns: -1})
	addr := edgeServer(t, ts)
	flood := idleConns(t, addr, 2*maxConns)
	eventually(t, "the flood accepted", func() bool {
		return ts.metric(t, "longcall_http_connections_evicted_total", nil) >= maxConns
	})
	healthz(t, addr)
	page, _ := connect(t, "ws://"+addr+protocol.Path, "")
	page.send(call(1, "servertest:echo_out.children", value("echo_in", "value", "hi")))
	if m := page.answer(1); m.Error != nil {
		t.Fatalf("the page's call: %+v", m.Error)
	}

	closed := 0
	for _, c := range flood {
		if closedByServer(c, 10*time.Millisecond) {
			closed++
		}
	}
	if closed < maxConns {
		t.Errorf("%d of %d idle connections closed; the server holds more than its cap of %d", closed, len(flood), maxConns)
	}
	if got := ts.metric(t, "longcall_http_connections", nil); got > maxConns {
		t.Errorf("longcall_http_connections = %v, over the cap %d", got, maxConns)
	}
}

// One address past AddrConns makes room among its own idle connections: it
// cannot take another address's place, and a trusted proxy, which carries
// many clients, is not held to it.
func TestOneAddressHoldsAtMostAddrConns(t *testing.T) {
	const perAddr = 5
	ts := serve(t, server.Config{AddrConns: perAddr})
	addr := edgeServer(t, ts)
	flood := idleConns(t, addr, 3*perAddr)
	healthz(t, addr)
	open := 0
	for _, c := range flood {
		if !closedByServer(c, 10*time.Millisecond) {
			open++
		}
	}
	if open > perAddr {
		t.Errorf("one address holds %d idle connections, over AddrConns %d", open, perAddr)
	}

	proxied := serve(t, server.Config{AddrConns: perAddr, TrustedProxies: []string{"127.0.0.0/8"}})
	paddr := edgeServer(t, proxied)
	flood = idleConns(t, paddr, 3*perAddr)
	healthz(t, paddr)
	for i, c := range flood {
		if closedByServer(c, 10*time.Millisecond) {
			t.Fatalf("connection %d from a trusted proxy closed: its clients are counted by their own addresses", i)
		}
	}
}

// An idle keep-alive connection, and one that never sends a request, are
// closed after the timeouts; a websocket, once upgraded, is held to none of
// them and serves on after they passed.
func TestHTTPTimeoutsCloseIdleConnectionsButNotWebsockets(t *testing.T) {
	const timeout = 200 * time.Millisecond
	ts := serve(t, server.Config{HTTPReadHeaderTimeout: timeout, HTTPReadTimeout: timeout, HTTPWriteTimeout: timeout, HTTPIdleTimeout: timeout})
	addr := edgeServer(t, ts)
	page, _ := connect(t, "ws://"+addr+protocol.Path, "")

	silent := idleConns(t, addr, 1)[0]
	keptAlive := idleConns(t, addr, 1)[0]
	fmt.Fprintf(keptAlive, "GET /healthz HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
	resp, err := http.ReadResponse(bufio.NewReader(keptAlive), nil)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("keep-alive request: %v %v", resp, err)
	}
	resp.Body.Close()
	if !closedByServer(silent, 20*time.Second) {
		t.Error("a connection that sent nothing is still open after the header timeout")
	}
	if !closedByServer(keptAlive, 20*time.Second) {
		t.Error("an idle keep-alive connection is still open after the idle timeout")
	}

	// Both closed: the timeouts have passed for the websocket too.
	page.send(call(1, "servertest:echo_out.children", value("echo_in", "value", "still")))
	if m := page.answer(1); m.Error != nil || len(m.Props) != 1 || string(m.Props[0].Value) != `"STILL"` {
		t.Fatalf("the websocket after the HTTP timeouts: %+v", m)
	}
}

// dialFrom connects to addr from the loopback address local (Linux answers
// on all of 127.0.0.0/8), so that a test has clients of several addresses.
func dialFrom(t *testing.T, local, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Skipf("cannot dial from %s: %v", local, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// Websockets are never idle: when a few addresses hold every connection
// with them, the address holding the most gives one up (its page
// reconnects and resumes), and a newcomer is served.
func TestAFewAddressesCannotHoldEveryConnection(t *testing.T) {
	const maxConns = 6
	ts := serve(t, server.Config{MaxConns: maxConns, AddrConns: -1})
	addr := edgeServer(t, ts)
	dialer := websocket.Dialer{NetDial: func(_, a string) (net.Conn, error) { return dialFrom(t, "127.0.0.2", a), nil }}
	var held []*websocket.Conn
	for range maxConns {
		ws, _, err := dialer.Dial("ws://"+addr+protocol.Path, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ws.Close() })
		ws.WriteMessage(websocket.TextMessage, []byte(`{"v":1,"type":"hello"}`))
		if _, _, err := ws.ReadMessage(); err != nil { // welcome: a page that stays
			t.Fatal(err)
		}
		held = append(held, ws)
	}
	eventually(t, "every connection held by websockets", func() bool {
		return ts.metric(t, "longcall_connections", nil) == maxConns
	})

	newcomer := dialFrom(t, "127.0.0.3", addr)
	fmt.Fprintf(newcomer, "GET /healthz HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
	newcomer.SetReadDeadline(time.Now().Add(20 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(newcomer), nil)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("a newcomer was not served while one address held every connection: %v", err)
	}
	resp.Body.Close()
	held[0].SetReadDeadline(time.Now().Add(20 * time.Second))
	if _, _, err := held[0].ReadMessage(); !websocket.IsUnexpectedCloseError(err) && !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("the oldest websocket of the greediest address: %v, want it closed", err)
	}
}
