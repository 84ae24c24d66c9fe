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
	// PreviousSecrets are accepted but sign nothing: to rotate the secret,
	// move it here and set a new Secret; drop it after TokenLifetime.
	PreviousSecrets [][]byte
	// TokenLifetime is how long after its session opened a token may open
	// it on a process that does not hold it (another web process, after a
	// restart). A process that holds the session resumes it whatever the
	// token's age; once the session ended here, or was revoked (Revoke),
	// its token is refused. Default 24 hours.
	TokenLifetime time.Duration
	// AllowedOrigins lists the origins, as "https://dash.example.com",
	// whose pages may open the websocket besides the server's own. New
	// panics on an entry that is not an origin; ValidOrigin checks one.
	AllowedOrigins []string
	// AllowedHosts lists the names, besides localhost and IP addresses,
	// that requests may carry in their Host header: "dash.example.com",
	// ".example.com" for a domain and its subdomains, "*" for any. Other
	// hosts are refused with 403 (DNS rebinding), the websocket by ServeHTTP
	// and pages by CheckHost. An entry's port is ignored, so the address
	// the server listens on may be listed as it is. New panics on an entry
	// that is not a host; ValidHost checks one.
	AllowedHosts []string
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

	// The HTTP server's timeouts, for HTTPServer's http.Server: reading a
	// request's header, the whole request, writing an answer, and how long
	// a keep-alive connection may wait for its next request. A websocket is
	// held to none of them once upgraded. Defaults 10 s, 1 min, 5 min and
	// 1 min.
	HTTPReadHeaderTimeout time.Duration
	HTTPReadTimeout       time.Duration
	HTTPWriteTimeout      time.Duration
	HTTPIdleTimeout       time.Duration
	// MaxConns caps the connections Listener holds, websockets included;
	// past it the oldest idle connection is closed, or else the new one.
	// Default: the process's file limit (ulimit -n) less an eighth of it,
	// at least 64, for its other files. Negative: no cap.
	MaxConns int
	// TrustedProxies lists the reverse proxies, as addresses ("10.0.0.7")
	// or networks ("10.0.0.0/8"), whose X-Forwarded-For names the client.
	// Nobody else's is believed. New panics on an entry that is neither;
	// ValidProxy checks one.
	TrustedProxies []string
	// Bounds per client address (ClientAddr; an IPv6 address's /64):
	// AddrConns connections (TCP connections from it at the Listener, and
	// websockets behind a trusted proxy), AddrSessions live sessions
	// (attached or in their grace period), and AddrCallRate calls a
	// second, in bursts of AddrCallBurst. Past them a connection is closed,
	// an upgrade answered 429, a new session closed with 1013, a call
	// answered busy. Defaults 128, 64, 50 and 200; a negative AddrConns,
	// AddrSessions or AddrCallRate: no bound.
	AddrConns     int
	AddrSessions  int
	AddrCallRate  float64
	AddrCallBurst int
	// ResultLimit bounds one result sent to a page, in bytes of its
	// outputs' JSON: a larger one ends its call with a too_large error
	// instead. Default 8 MiB.
	ResultLimit int64
	// SessionResultBytes bounds the results one session holds, in the same
	// bytes, that its page has not read yet (a slow page, or one away in its
	// grace period): a result past it ends its call with a too_large error,
	// and the page may run it again once it has read the others. Default
	// 32 MiB.
	SessionResultBytes int64
	// Metrics, when set, registers the server's Prometheus metrics
	// (docs/OPERATIONS.md). New panics if they are registered already.
	Metrics prometheus.Registerer
	// Files keeps uploads and downloads (the Files handler), and becomes
	// the process's runtime.UseFiles, which handlers open them from. Nil:
	// no uploads. With Redis workers, a RedisFiles they use too.
	Files FileStore

	// Authenticate decides who opens a websocket, from the upgrade's
	// request (a cookie, a header). An error refuses the upgrade with 401
	// and the error's text (403 when it wraps ErrForbidden); the anonymous
	// visitor of a server where pages need no login is the zero Principal
	// and a nil error. Nil: the principal a middleware set (WithPrincipal),
	// or the anonymous one. Handlers read it with Call.Principal; the
	// dashboards' and callbacks' rules (runtime.DashboardAllow,
	// runtime.Allow) are checked against it at each call.
	Authenticate func(*http.Request) (runtime.Principal, error)
	// CallerHeaders and CallerCookies name the headers and cookies of the
	// upgrade that handlers may read (Call.Header, Call.Cookie). What is
	// named travels with every background job (to Redis, to Isolated
	// children), so name only what handlers need, and not the cookie that
	// authenticates: the principal says who it is. CallerHeaders nil means
	// User-Agent and Accept-Language; CallerCookies nil means none.
	CallerHeaders []string
	CallerCookies []string
	// DevErrors sends pages the text of every error and a panic's stack,
	// for a developer's own machine (host's dev mode). Off, a page reads a
	// short message and an error id in place of a handler's error, panic
	// or crash, whose details only the log has.
	DevErrors bool
}

// Server serves the websocket endpoint (protocol.Path).
type Server struct {
	cfg      Config
	log      *slog.Logger
	upgrader websocket.Upgrader
	sessions *hub

	origins    origins
	hosts      hosts
	proxies    proxies
	conns      *connTable // what Listener holds
	peers      *peers     // what each client address holds
	metrics    *metrics
	complaints complaints
	queueFull  complaints // its own pace: see queueFullLog
	draining   atomic.Bool
	held       atomic.Int64 // bytes of results every session holds unwritten
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
	cfg.HTTPReadHeaderTimeout = orDefault(cfg.HTTPReadHeaderTimeout, defaultHTTPReadHeaderTimeout)
	cfg.HTTPReadTimeout = orDefault(cfg.HTTPReadTimeout, defaultHTTPReadTimeout)
	cfg.HTTPWriteTimeout = orDefault(cfg.HTTPWriteTimeout, defaultHTTPWriteTimeout)
	cfg.HTTPIdleTimeout = orDefault(cfg.HTTPIdleTimeout, defaultHTTPIdleTimeout)
	if cfg.CallerHeaders == nil {
		cfg.CallerHeaders = defaultCallerHeaders
	}
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
	hosts, err := newHosts(cfg.AllowedHosts)
	if err != nil {
		panic("longcall/server: Config.AllowedHosts: " + err.Error())
	}
	proxies, err := newProxies(cfg.TrustedProxies)
	if err != nil {
		panic("longcall/server: Config.TrustedProxies: " + err.Error())
	}
	s := &Server{cfg: cfg, log: cfg.Logger, origins: origins, hosts: hosts, proxies: proxies, queueFull: queueFullLog()}
	s.upgrader = websocket.Upgrader{
		CheckOrigin:       s.checkOrigin,
		EnableCompression: false, // small JSON frames; compression costs more than it saves
		// A page is written to a few times a second at most: a buffer
		// lent for each write, not one held by every connection, saves
		// 4 KB a connection (40 MB for 10,000 pages).
		WriteBufferPool: &sync.Pool{},
	}
	s.sessions = newHub(cfg.SessionGrace, newTokens(cfg.Secret, cfg.PreviousSecrets, cfg.TokenLifetime), s.expire, limitsOf(cfg), &s.held)
	s.metrics = newMetrics(s.sessions.len, s.held.Load, cfg.Managers)
	s.conns = newConnTable(bound(cfg.MaxConns, defaultMaxConns()), bound(cfg.AddrConns, defaultAddrConns), proxies, s.metrics)
	s.peers = newPeers(cfg, s.metrics)
	s.sessions.peers = s.peers
	if cfg.Metrics != nil {
		if err := s.metrics.register(cfg.Metrics); err != nil {
			panic("longcall/server: " + err.Error())
		}
	}
	return s
}

// ServeHTTP upgrades the request to a websocket and serves it until it closes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.refuseHost(w, r) || s.refuseWhileDraining(w, r) {
		return
	}
	client := s.ClientAddr(r)
	principal, refused := s.refuseUnauthenticated(w, r, client)
	if refused || s.refuseAddrConn(w, client) {
		return
	}
	caller := s.callerOf(r, principal, client)
	cw := &corkingWriter{ResponseWriter: w}
	ws, err := s.upgrader.Upgrade(cw, r, nil)
	if err != nil {
		s.peers.disconnect(keyOf(client))
		s.warn("websocket upgrade refused", "remote", client, "origin", clip(r.Header.Get("Origin")), "err", err)
		return // the upgrader has answered with an HTTP error
	}
	s.metrics.connOpened()
	c := newConn(s, ws, cw.conn, client, caller) // reads within ReadLimit itself: see conn.read
	// The connection is ours now: serving it on a goroutine of its own
	// lets net/http's end, and with it the request's buffers and the
	// stack the handler chain grew, held for as long as a page stays
	// (4 KB and more a connection, times 10,000 pages).
	go func() {
		defer s.metrics.connClosed()
		defer s.peers.disconnect(keyOf(client))
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
		cancelFor(ref.manager, id, sess.token)
	}
	s.log.Info("session expired", "session", sess.short())
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}
