// Package server is longcall's server side of the protocol: the websocket
// endpoint, sessions, and the dispatch of calls to handlers (ordinary
// callbacks, at once) and to jobs.Managers (background callbacks).
package server

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gorilla/websocket"

	"github.com/longcall/longcall/jobs"
)

// Config configures a Server. The zero value serves, with an in-process
// manager created on first use.
type Config struct {
	// Managers maps the names used by runtime.Manager and
	// runtime.DefaultManager to managers. The "" entry is the default.
	Managers map[string]jobs.Manager
	// Logger receives structured logs; nil means slog.Default().
	Logger *slog.Logger
	// SessionGrace is how long a session's jobs live on after its socket
	// closes, waiting for the page to come back. Default 2 minutes.
	SessionGrace time.Duration
	// ReadLimit caps one incoming message. Default 1 MiB.
	ReadLimit int64
	// ProgressInterval paces progress-only writes per connection; progress
	// arriving faster is coalesced, latest value wins. Results and other
	// events are never held back. Default 10 ms.
	ProgressInterval time.Duration
	// WriteTimeout disconnects a client that stops reading. Default 10 s.
	WriteTimeout time.Duration
	// CheckOrigin vets the websocket handshake; nil allows the same origin.
	CheckOrigin func(*http.Request) bool
	// Secret signs session tokens. Web processes that share it (and a Redis
	// manager) let a page resume its session on any of them, and after a
	// restart. Nil means a random secret: sessions end with the process.
	Secret []byte
}

// Server serves the websocket endpoint (protocol.Path).
type Server struct {
	cfg      Config
	log      *slog.Logger
	upgrader websocket.Upgrader
	sessions *hub
}

// New returns a Server for cfg.
func New(cfg Config) *Server {
	if cfg.Managers == nil {
		cfg.Managers = map[string]jobs.Manager{}
	}
	if cfg.Managers[""] == nil {
		cfg.Managers[""] = jobs.NewInProcess()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.SessionGrace = orDefault(cfg.SessionGrace, 2*time.Minute)
	cfg.ProgressInterval = orDefault(cfg.ProgressInterval, 10*time.Millisecond)
	cfg.WriteTimeout = orDefault(cfg.WriteTimeout, 10*time.Second)
	if cfg.ReadLimit <= 0 {
		cfg.ReadLimit = 1 << 20
	}
	s := &Server{cfg: cfg, log: cfg.Logger}
	s.upgrader = websocket.Upgrader{
		CheckOrigin:       cfg.CheckOrigin, // nil: gorilla's same-origin check
		EnableCompression: false,           // small JSON frames; compression costs more than it saves
	}
	s.sessions = newHub(cfg.SessionGrace, newTokens(cfg.Secret), s.expire)
	return s
}

// ServeHTTP upgrades the request to a websocket and serves it until it closes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		s.log.Warn("websocket upgrade refused", "remote", r.RemoteAddr, "err", err)
		return // the upgrader has answered with an HTTP error
	}
	ws.SetReadLimit(s.cfg.ReadLimit)
	c := newConn(s, ws, r.RemoteAddr)
	c.serve()
}

// Shutdown closes every connection with "service restart" (1012), so pages
// reconnect, and drops the sessions without cancelling their jobs: jobs
// belong to the managers, which the caller shuts down (an in-process manager
// first, so running jobs may finish; a Redis manager's jobs live on for
// another web process to re-attach).
func (s *Server) Shutdown(ctx context.Context) error {
	s.sessions.closeAll()
	return ctx.Err()
}

// Reconnect closes every connection with "service restart" (1012) and keeps
// the sessions: pages reconnect, resume, and lose nothing. For handing
// clients to another process, or for draining this one.
func (s *Server) Reconnect() {
	for _, c := range s.sessions.conns() {
		c.closeWith(websocket.CloseServiceRestart, "reconnect")
	}
}

// Sessions returns how many sessions are live, attached or in their grace
// period.
func (s *Server) Sessions() int { return s.sessions.len() }

// expire ends a session whose grace period ran out: its jobs are cancelled.
func (s *Server) expire(sess *session) {
	for id, ref := range sess.unfinished() {
		ref.manager.Cancel(id)
	}
	s.log.Info("session expired", "session", sess.short())
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}
