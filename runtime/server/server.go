// Package server is longcall's server side of the protocol: the websocket
// endpoint, sessions, and the dispatch of calls to handlers (ordinary
// callbacks, at once) and to jobs.Managers (background callbacks).
package server

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime"
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
	// ReadLimit caps one incoming message; a larger one closes the
	// connection with 1009. Default 1 MiB.
	ReadLimit int64
	// ProgressInterval paces progress-only writes per connection; progress
	// arriving faster is coalesced, latest value wins. Results and other
	// events are never held back. Default 10 ms.
	ProgressInterval time.Duration
	// WriteTimeout disconnects a client that stops reading. Default 10 s.
	WriteTimeout time.Duration
	// CheckOrigin vets the websocket handshake; nil allows the same origin
	// and AllowedOrigins.
	CheckOrigin func(*http.Request) bool
	// Secret signs session tokens. Web processes that share it (and a Redis
	// manager) let a page resume its session on any of them, and after a
	// restart. Nil means a random secret: sessions end with the process.
	Secret []byte
	// AllowedOrigins lists the origins, as "https://dash.example.com",
	// whose pages may open the websocket besides the server's own. New
	// panics on an entry that is not an origin; ValidOrigin checks one.
	AllowedOrigins []string
	// SendQueue bounds the messages waiting to be written to one session:
	// past it the connection is dropped (protocol.CloseTooSlow) and the
	// session keeps them for the page's reconnect. Default 1024.
	SendQueue int
	// SessionJobs bounds one session's unfinished background jobs; a call
	// past it is answered busy. Default 16.
	SessionJobs int
	// SessionCalls bounds one session's ordinary callbacks running at once;
	// more wait, up to SessionCallQueue, and past that are answered busy.
	// Defaults 8 and 64.
	SessionCalls     int
	SessionCallQueue int
	// Metrics, when set, registers the server's Prometheus metrics
	// (docs/OPERATIONS.md). New panics if they are registered already.
	Metrics prometheus.Registerer
	// Files keeps uploads and downloads (the Files handler), and becomes
	// the process's runtime.UseFiles, which handlers open them from. Nil:
	// no uploads. With Redis workers, a RedisFiles they use too.
	Files FileStore
}

// Server serves the websocket endpoint (protocol.Path).
type Server struct {
	cfg      Config
	log      *slog.Logger
	upgrader websocket.Upgrader
	sessions *hub

	origins    origins
	metrics    *metrics
	complaints complaints
	queueFull  complaints // its own pace: see queueFullLog
	draining   atomic.Bool
	ordinary   atomic.Int64 // ordinary callbacks running or waiting, for the drain
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
		cfg.ReadLimit = defaultReadLimit
	}
	if cfg.Files != nil {
		runtime.UseFiles(cfg.Files)
	}
	origins, err := newOrigins(cfg.AllowedOrigins)
	if err != nil {
		panic("longcall/server: Config.AllowedOrigins: " + err.Error())
	}
	s := &Server{cfg: cfg, log: cfg.Logger, origins: origins, queueFull: queueFullLog()}
	s.upgrader = websocket.Upgrader{
		CheckOrigin:       s.checkOrigin,
		EnableCompression: false, // small JSON frames; compression costs more than it saves
		// A page is written to a few times a second at most: a buffer
		// lent for each write, not one held by every connection, saves
		// 4 KB a connection (40 MB for 10,000 pages).
		WriteBufferPool: &sync.Pool{},
	}
	s.sessions = newHub(cfg.SessionGrace, newTokens(cfg.Secret), s.expire, limitsOf(cfg))
	s.metrics = newMetrics(s.sessions.len, cfg.Managers)
	if cfg.Metrics != nil {
		if err := s.metrics.register(cfg.Metrics); err != nil {
			panic("longcall/server: " + err.Error())
		}
	}
	return s
}

// ServeHTTP upgrades the request to a websocket and serves it until it closes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.refuseWhileDraining(w, r) {
		return
	}
	cw := &corkingWriter{ResponseWriter: w}
	ws, err := s.upgrader.Upgrade(cw, r, nil)
	if err != nil {
		s.warn("websocket upgrade refused", "remote", r.RemoteAddr, "origin", clip(r.Header.Get("Origin")), "err", err)
		return // the upgrader has answered with an HTTP error
	}
	s.metrics.connOpened()
	c := newConn(s, ws, cw.conn, r.RemoteAddr) // reads within ReadLimit itself: see conn.read
	// The connection is ours now: serving it on a goroutine of its own
	// lets net/http's end, and with it the request's buffers and the
	// stack the handler chain grew, held for as long as a page stays
	// (4 KB and more a connection, times 10,000 pages).
	go func() {
		defer s.metrics.connClosed()
		c.serve()
	}()
}

// Shutdown drains the server (see Drain), waits for the ordinary callbacks
// still running, writes what waits for each page and closes every
// connection with "service restart" (1012), so pages reconnect; then it drops
// the sessions without cancelling their jobs: jobs belong to the managers,
// which the caller shuts down first (an in-process manager, so that running
// jobs may finish and their results reach the pages; a Redis manager's jobs
// live on for another web process to re-attach). When ctx ends first, the
// connections are closed without waiting.
func (s *Server) Shutdown(ctx context.Context) error {
	s.Drain()
	err := s.flush(ctx)
	s.sessions.closeAll()
	return err
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
