package server

import (
	"github.com/longcall/longcall/runtime/protocol"
)

// The send queue of a session is bounded: when more than SendQueue messages
// wait to be written, its client is not keeping up (a slow network, a frozen
// tab, or a client that stopped reading), and the connection is dropped.
// Nothing is lost: the session keeps every result and set_props for the
// page's reconnect, and what keeps arriving meanwhile stays bounded because
//   - a dropped connection reads no more calls, so no more direct answers
//     (beyond the ordinary callbacks already running, SessionCalls at most);
//   - job events coalesce: progress always, set_props too once half the
//     bound waits (jobs.OutboxLimit), so each job holds a few events at most;
//   - jobs per session are bounded (SessionJobs).
//
// The write deadline (WriteTimeout) covers the other case: a client that
// reads nothing blocks the writer, whose write then fails.

// What counts is the growth of the backlog since the writer last took it
// (or since the connection attached): what a session kept while its page was
// away is written at once on the next connection and says nothing about it.

// outboxLimit is where job events start to coalesce: half the send queue,
// so that progress and set_props bursts coalesce well before the bound, and
// only what cannot coalesce (answers, results, job states) drops a client.
func (l limits) outboxLimit() int { return max(1, l.sendQueue/2) }

// backlogLocked returns how many messages wait for the session; s.mu is held.
func (s *session) backlogLocked() int { return len(s.direct) + s.outbox.Len() }

// checkBacklog drops the session's connection when more than SendQueue
// messages have piled up since its writer last took what waited. It never
// blocks: it runs on workers and on the reader.
func (s *session) checkBacklog() {
	s.mu.Lock()
	waiting := s.backlogLocked()
	grown := waiting - s.backlogBase
	c := s.conn
	s.mu.Unlock()
	if c != nil && grown > s.load.lim.sendQueue {
		c.dropSlow(s, waiting)
	}
}

// dropSlow closes a connection whose client is not keeping up, once, off the
// caller's goroutine: the close frame's write may itself wait on the client.
func (c *conn) dropSlow(s *session, waiting int) {
	if !c.dropping.CompareAndSwap(false, true) {
		return
	}
	c.srv.metrics.dropped(dropSlow)
	c.srv.warn("client not keeping up; connection dropped, its session keeps what waits",
		"session", s.short(), "remote", c.remote, "waiting", waiting)
	go c.closeWith(protocol.CloseTooSlow, "too many messages waiting: the client is not reading fast enough; reconnect")
}
