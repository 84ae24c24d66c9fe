package server

import (
	"fmt"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// A result goes to its page as one message, and waits in its session until
// the page reads it, however long the page is away: both are bounded, so
// that a handler's huge output or a page that never reads cannot take the
// server's memory. A result past a bound is not sent: its call ends with a
// too_large error that says which bound, and the page may run it again.

// bound returns res as the session may hold it for its page: res itself,
// now counted among what the session holds until it is written, or a
// too_large error.
func (s *Server) bound(sess *session, callback string, res runtime.Result) runtime.Result {
	if res.Status != protocol.StatusOK {
		return res
	}
	n := resultBytes(res.Props)
	lim := sess.load.lim
	if n > lim.result {
		s.metrics.refusal(refusedResultSize)
		s.log.Error("result over the result limit", "session", sess.short(), "callback", callback, "bytes", n, "limit", lim.result)
		return tooLarge(fmt.Sprintf("callback %s returned %d bytes; this server sends at most %d in one result", callback, n, lim.result))
	}
	if held, ok := sess.hold(n, lim.results); !ok {
		s.metrics.refusal(refusedResultsHeld)
		s.warn("session holds too many unread results", "session", sess.short(), "callback", callback, "held", held)
		return tooLarge(fmt.Sprintf("callback %s's result (%d bytes) was dropped: this page has %d bytes of results it has not read yet, and may hold %d; run it again", callback, n, held, lim.results))
	}
	return res
}

func tooLarge(msg string) runtime.Result {
	return runtime.Result{Status: protocol.StatusError, Err: &protocol.Error{Code: protocol.CodeTooLarge, Message: msg}}
}

// resultBytes is what a result's outputs weigh: their JSON, ids included.
func resultBytes(props []protocol.PropValue) int64 {
	var n int64
	for _, p := range props {
		n += int64(len(p.ID) + len(p.Prop) + len(p.Value))
	}
	return n
}

// hold counts n more bytes of results held for the page, unless that would
// pass limit; it returns what the session holds.
func (s *session) hold(n, limit int64) (int64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.held+n > limit {
		return s.held, false
	}
	s.holdLocked(n)
	return s.held, true
}

func (s *session) holdLocked(n int64) {
	s.held += n
	s.heldTotal.Add(n)
}

// unholdLocked uncounts a message's props as it is taken to be written, if
// it is a result.
func (s *session) unholdLocked(props []protocol.PropValue, typ protocol.Type) {
	if typ != protocol.TypeResult {
		return
	}
	n := resultBytes(props)
	s.held -= n
	s.heldTotal.Add(-n)
}

// dropHeld uncounts what an ending session held.
func (s *session) dropHeld() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.heldTotal.Add(-s.held)
	s.held = 0
}
