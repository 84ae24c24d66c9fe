package server

import (
	"context"
	"net/http"
	"time"

	"github.com/gorilla/websocket"
)

// Draining, in order: Drain turns readiness off and refuses new websockets
// (a load balancer stops sending pages here, and pages that reconnect go to
// another process); the caller lets the managers finish their jobs, whose
// results flow to the pages still connected; Shutdown then waits for the
// ordinary callbacks still running, has every connection's writer write what
// waits and close with "service restart" (1012), so that pages reconnect
// elsewhere, and drops the sessions.

// Drain stops the server from taking new connections. Connections already
// open keep working.
func (s *Server) Drain() {
	if s.draining.CompareAndSwap(false, true) {
		s.log.Info("draining: new connections are refused")
	}
}

// Ready reports whether the server takes new connections: false once
// draining.
func (s *Server) Ready() bool { return !s.draining.Load() }

// refuseWhileDraining answers an upgrade during a drain with 503 and a hint
// to retry, which pages do with backoff, reaching another process.
func (s *Server) refuseWhileDraining(w http.ResponseWriter, r *http.Request) bool {
	if s.Ready() {
		return false
	}
	s.metrics.refusal(refusedDraining)
	w.Header().Set("Retry-After", "1")
	http.Error(w, "this server is shutting down; reconnect", http.StatusServiceUnavailable)
	return true
}

// flush waits for the ordinary callbacks still running, then has every
// connection write what waits for its session and close with 1012. It gives
// up when ctx ends; the sockets are then closed regardless.
func (s *Server) flush(ctx context.Context) error {
	if err := s.waitCalls(ctx); err != nil {
		return err
	}
	conns := s.sessions.conns()
	for _, c := range conns {
		c.finish()
	}
	for _, c := range conns {
		select {
		case <-c.done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// waitCalls waits until no ordinary callback runs. It polls, as
// http.Server.Shutdown polls its idle connections: this runs once, at
// shutdown, and a handler has no way to say it is done but to return.
func (s *Server) waitCalls(ctx context.Context) error {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for s.ordinary.Load() > 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
	return nil
}

// finish asks the connection's writer to write what waits and close.
func (c *conn) finish() {
	c.finishOnce.Do(func() { close(c.finishing) })
}

// flushAndClose writes what waits for the session, then closes with "service
// restart" (1012): the page reconnects and resumes, elsewhere or here after a
// restart. A few rounds at most: the reader still dispatches, and a client
// that keeps sending must not keep the server up.
func (c *conn) flushAndClose() {
	for range 4 {
		msgs := c.sess.take(c)
		if len(msgs) == 0 {
			break
		}
		if err := c.writeBatch(msgs); err != nil {
			c.close("")
			return
		}
	}
	c.closeWith(websocket.CloseServiceRestart, "server restarting; reconnect")
}
