package server

import (
	"fmt"
	"net/http"
	"sync"

	"github.com/gorilla/websocket"
	"golang.org/x/time/rate"

	"github.com/longcall/longcall/runtime/protocol"
)

// Defaults of the per-address bounds.
const (
	defaultAddrSessions  = 64
	defaultAddrCallRate  = 50 // calls a second
	defaultAddrCallBurst = 200
)

// peers bounds what one client address may hold: websockets, sessions, and
// calls a second. Sessions cost a client nothing to open, so every bound kept
// per session is also kept per address, or one machine could open as many
// sessions as it likes and take all the workers. An address is forgotten
// when it holds neither a websocket nor a session, and with it its call
// budget, which a new session would not refill faster anyway.
type peers struct {
	conns, sessions int        // bounds; 0 means none
	callRate        rate.Limit // rate.Inf means none
	callBurst       int
	metrics         *metrics

	mu sync.Mutex
	by map[string]*peer
}

type peer struct {
	conns, sessions int
	calls           *rate.Limiter
}

func newPeers(cfg Config, m *metrics) *peers {
	p := &peers{
		conns:     bound(cfg.AddrConns, defaultAddrConns),
		sessions:  bound(cfg.AddrSessions, defaultAddrSessions),
		callRate:  rate.Limit(defaultAddrCallRate),
		callBurst: orDefaultInt(cfg.AddrCallBurst, defaultAddrCallBurst),
		metrics:   m,
		by:        map[string]*peer{},
	}
	switch {
	case cfg.AddrCallRate < 0:
		p.callRate = rate.Inf
	case cfg.AddrCallRate > 0:
		p.callRate = rate.Limit(cfg.AddrCallRate)
	}
	return p
}

// bound reads a Config bound: 0 is the default, negative is none.
func bound(n, def int) int {
	switch {
	case n < 0:
		return 0
	case n == 0:
		return def
	}
	return n
}

// get returns addr's entry, creating it; under p.mu.
func (p *peers) get(addr string) *peer {
	e := p.by[addr]
	if e == nil {
		e = &peer{calls: rate.NewLimiter(p.callRate, p.callBurst)}
		p.by[addr] = e
		p.metrics.addrs.Set(float64(len(p.by)))
	}
	return e
}

// forget drops addr's entry once it holds nothing; under p.mu.
func (p *peers) forget(addr string, e *peer) {
	if e.conns == 0 && e.sessions == 0 {
		delete(p.by, addr)
		p.metrics.addrs.Set(float64(len(p.by)))
	}
}

// connect counts a websocket of addr in, or reports that it holds its share.
func (p *peers) connect(addr string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	e := p.get(addr)
	if p.conns > 0 && e.conns >= p.conns {
		p.forget(addr, e)
		return false
	}
	e.conns++
	return true
}

func (p *peers) disconnect(addr string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if e := p.by[addr]; e != nil {
		e.conns--
		p.forget(addr, e)
	}
}

// openSession counts a new session of addr in, or reports that it holds its
// share.
func (p *peers) openSession(addr string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	e := p.get(addr)
	if p.sessions > 0 && e.sessions >= p.sessions {
		p.forget(addr, e)
		return false
	}
	e.sessions++
	return true
}

func (p *peers) endSession(addr string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if e := p.by[addr]; e != nil {
		e.sessions--
		p.forget(addr, e)
	}
}

// allowCall spends one of addr's calls, or reports that it has none left for
// now, with the error for the page.
func (p *peers) allowCall(addr, callback string) *protocol.Error {
	p.mu.Lock()
	defer p.mu.Unlock()
	e := p.by[addr]
	if e == nil || e.calls.Allow() {
		return nil // an address with no session here cannot call
	}
	return &protocol.Error{Code: protocol.CodeBusy, Message: fmt.Sprintf(
		"callback %s could not start: too many calls from your address (%g a second, bursts of %d); try again in a moment", callback, float64(p.callRate), p.callBurst)}
}

// refuseAddrConn answers an upgrade from a client address that holds its
// share of websockets with 429; otherwise the websocket is counted in, and
// the caller counts it out when it closes.
func (s *Server) refuseAddrConn(w http.ResponseWriter, client string) bool {
	if s.peers.connect(keyOf(client)) {
		return false
	}
	s.metrics.refusal(refusedAddrConns)
	s.warn("websocket refused: too many from one address", "remote", client)
	w.Header().Set("Retry-After", "10")
	http.Error(w, "too many connections from your address; close some pages and reload", http.StatusTooManyRequests)
	return true
}

// refuseAddrSession closes a connection whose hello would open a session
// past the address's AddrSessions with 1013 (try again later), which the
// page does with backoff: by then a session of the address may have ended.
func (s *Server) refuseAddrSession(c *conn) {
	s.metrics.refusal(refusedAddrSessions)
	s.warn("session refused: too many from one address", "remote", c.remote)
	c.closeWith(websocket.CloseTryAgainLater, "too many sessions from your address; close some pages")
}

// has reports whether a call has a clock: it was received before and has
// not been answered, and the page sends it again after a reconnect. Such a
// copy is not a new call: refusing it would end the first copy's call while
// its job runs on.
func (cs *clocks) has(key callKey) bool {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	return cs.calls[key] != nil
}

// refuseAddrCall answers a call past the address's AddrCallRate busy.
func (s *Server) refuseAddrCall(sess *session, req uint64, callback string) bool {
	perr := s.peers.allowCall(sess.peer, callback)
	if perr == nil {
		return false
	}
	s.refuse(sess, req, callback, refusedAddrCalls, perr)
	return true
}
