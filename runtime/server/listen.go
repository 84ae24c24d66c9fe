package server

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// HTTP timeouts, the defaults of the Config fields of the same names. A page
// load is a handful of requests, app.wasm the largest: a minute to read a
// request and five to write an answer leave room for a slow phone.
const (
	defaultHTTPReadHeaderTimeout = 10 * time.Second
	defaultHTTPReadTimeout       = time.Minute
	defaultHTTPWriteTimeout      = 5 * time.Minute
	defaultHTTPIdleTimeout       = time.Minute
	defaultAddrConns             = 128
	fallbackMaxConns             = 10_000 // where the file limit cannot be read
)

// HTTPServer returns an http.Server for h with the server's timeouts
// (Config.HTTPReadHeaderTimeout and the others) and a ConnState hook that
// tells Listener which connections are idle. A websocket is not held to the
// timeouts once upgraded: gorilla/websocket clears the deadlines net/http
// set, and the connection keeps its own (pings, WriteTimeout).
func (s *Server) HTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: s.cfg.HTTPReadHeaderTimeout,
		ReadTimeout:       s.cfg.HTTPReadTimeout,
		WriteTimeout:      s.cfg.HTTPWriteTimeout,
		IdleTimeout:       s.cfg.HTTPIdleTimeout,
		ConnState:         s.conns.state,
	}
}

// Listener wraps ln with the server's caps on connections: MaxConns in all
// and AddrConns per client address (a trusted proxy's are not counted per
// address). A connection past a cap closes the oldest idle one in its way, a
// keep-alive connection between requests or one that has not sent a
// request yet, so that a flood of idle connections cannot shut new clients
// out. Past MaxConns with none idle, the address holding the most
// connections gives up its oldest, a websocket as well (its page reconnects
// and resumes), so that a few addresses cannot hold every connection; only
// when the new connection's address holds as many is it closed at once.
// Serve it with HTTPServer's http.Server, whose ConnState tells which are
// idle; a TLS listener goes around it (tls.NewListener(srv.Listener(ln),
// cfg)).
func (s *Server) Listener(ln net.Listener) net.Listener {
	return &listener{Listener: ln, conns: s.conns}
}

type listener struct {
	net.Listener
	conns *connTable
}

// Accept returns the next connection within the caps. It does not block on
// a cap: the kernel's backlog would fill with clients waiting behind the
// flood.
func (l *listener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if tc := l.conns.admit(c); tc != nil {
			return tc, nil
		}
	}
}

// connTable follows the server's HTTP connections, from accept to close.
type connTable struct {
	max, perAddr int
	proxies      proxies
	metrics      *metrics

	mu     sync.Mutex
	open   map[*trackedConn]struct{}
	byAddr map[string]int
}

func newConnTable(max, perAddr int, p proxies, m *metrics) *connTable {
	return &connTable{max: max, perAddr: perAddr, proxies: p, metrics: m, open: map[*trackedConn]struct{}{}, byAddr: map[string]int{}}
}

// trackedConn is a connection the table counts until it closes.
type trackedConn struct {
	net.Conn
	table *connTable
	addr  string // "" when not counted per address

	// under table.mu
	state    http.ConnState
	accepted time.Time
	since    time.Time // when it last became idle
	counted  bool
}

// admit counts c in, closing idle connections to make room, or closes c
// when there is none and returns nil.
func (t *connTable) admit(c net.Conn) *trackedConn {
	now := time.Now()
	tc := &trackedConn{Conn: c, table: t, state: http.StateNew, accepted: now, since: now}
	addr, perAddr := t.proxies.netAddrKey(c.RemoteAddr())
	if perAddr {
		tc.addr = addr
	}
	t.mu.Lock()
	var victims []*trackedConn
	reason := ""
	if tc.addr != "" && t.perAddr > 0 && t.byAddr[tc.addr] >= t.perAddr {
		reason = refusedAddrConns
		victims = t.makeRoom(tc.addr, &reason)
	}
	if reason == "" && t.max > 0 && len(t.open) >= t.max {
		reason = refusedMaxConns
		victims = append(victims, t.makeRoom("", &reason)...)
		if reason != "" {
			victims = append(victims, t.takeFromTheGreediest(tc.addr, &reason)...)
		}
	}
	if reason == "" {
		t.add(tc)
	}
	t.mu.Unlock()

	for _, v := range victims {
		v.Conn.Close() // counted out already
		t.metrics.evicted.Inc()
	}
	if reason != "" {
		c.Close()
		t.metrics.refusal(reason)
		return nil
	}
	return tc
}

// makeRoom removes the oldest idle connection, of addr or of anyone (""),
// from the table and returns it for closing; it clears *reason when it found
// one, the caller's cause to refuse.
func (t *connTable) makeRoom(addr string, reason *string) []*trackedConn {
	var oldest *trackedConn
	for c := range t.open {
		if (addr == "" || c.addr == addr) && c.idle() && (oldest == nil || c.since.Before(oldest.since)) {
			oldest = c
		}
	}
	if oldest == nil {
		return nil
	}
	t.remove(oldest)
	*reason = ""
	return []*trackedConn{oldest}
}

// takeFromTheGreediest removes the oldest connection of the address that
// holds the most, if it holds more than addr would with the new one; it
// clears *reason when it found one.
func (t *connTable) takeFromTheGreediest(addr string, reason *string) []*trackedConn {
	greediest, most := "", t.byAddr[addr]+1
	for a, n := range t.byAddr {
		if n > most {
			greediest, most = a, n
		}
	}
	if greediest == "" {
		return nil
	}
	var oldest *trackedConn
	for c := range t.open {
		if c.addr == greediest && (oldest == nil || c.accepted.Before(oldest.accepted)) {
			oldest = c
		}
	}
	t.remove(oldest)
	*reason = ""
	return []*trackedConn{oldest}
}

func (c *trackedConn) idle() bool { return c.state == http.StateNew || c.state == http.StateIdle }

func (t *connTable) add(c *trackedConn) {
	c.counted = true
	t.open[c] = struct{}{}
	if c.addr != "" {
		t.byAddr[c.addr]++
	}
	t.metrics.httpConns.Inc()
}

func (t *connTable) remove(c *trackedConn) {
	if !c.counted {
		return
	}
	c.counted = false
	delete(t.open, c)
	if c.addr != "" {
		if t.byAddr[c.addr]--; t.byAddr[c.addr] <= 0 {
			delete(t.byAddr, c.addr)
		}
	}
	t.metrics.httpConns.Dec()
}

// state is http.Server.ConnState: it follows which connections are idle.
func (t *connTable) state(c net.Conn, state http.ConnState) {
	if tlsConn, ok := c.(interface{ NetConn() net.Conn }); ok {
		c = tlsConn.NetConn() // *tls.Conn around a trackedConn
	}
	tc, ok := c.(*trackedConn)
	if !ok {
		return // served from a listener of another kind
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	tc.state = state
	switch state {
	case http.StateIdle:
		tc.since = time.Now()
	case http.StateClosed:
		t.remove(tc)
	}
}

// Close counts the connection out, however it closes: by net/http, by a
// websocket ending, or evicted.
func (c *trackedConn) Close() error {
	c.table.mu.Lock()
	c.table.remove(c)
	c.table.mu.Unlock()
	return c.Conn.Close()
}
