package host

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/longcall/longcall/runtime"
)

// Config is everything the host does, set by options in code and, on the
// server, by the flag of each field's name (docs/OPERATIONS.md) and the
// environment variable LONGCALL_<FLAG> (-session-grace: LONGCALL_SESSION_GRACE).
type Config struct {
	// Name is the app's short name, Title the pages' title, Description
	// what search engines and the install prompt say.
	Name, Title, Description string
	// WasmPackage is the package built for the browser: by default the
	// running main package, which is what a one-file app wants.
	WasmPackage string

	Addr    string // -addr: where to listen
	Role    string // -role: all, web (pages, jobs queued on Redis) or worker (jobs from Redis)
	Workers int    // -workers: jobs this process runs at once
	// Build: -build: build the wasm and install npm libraries at start-up
	// (ignored by a production binary, which carries them).
	Build         bool
	ShutdownGrace time.Duration // -shutdown-grace: on SIGTERM, how long running jobs may finish
	SessionGrace  time.Duration // -session-grace: how long a page's jobs live on without its connection
	Secret        string        // -secret: signs session tokens; web processes sharing it resume each other's sessions
	WebDir        string        // -web: serve the app's assets from this directory, as they are
	DebugAddr     string        // -debug-addr: Go's profiles on a listener of their own
	Domain        string        // -domain: the host name the pages are reached at, for their og:url and og:image
	LogLevel      slog.Level    // -log-level
	// Dev: -dev: dev mode, as Dash's debug=True (docs/GETTING-STARTED.md):
	// Run watches the module, rebuilds the wasm and the server on save,
	// restarts the server and reloads the open pages; pages read each
	// error's text and a panic's stack. On by default under `go run`, off
	// otherwise, and never on in a production binary (cmd/longcall build).
	// Serve itself only sends errors in detail.
	Dev bool

	Redis  Redis
	Limits Limits
	Edge   Edge

	routes   []route
	checks   []func() error
	managers map[string]int
	devDirs  []string // a dev mode child's web directories, built by its supervisor

	// Who is calling (auth.go): set in code only.
	authenticate  func(*http.Request) (runtime.Principal, error)
	callerHeaders []string
	callerCookies []string
	login         string
	handlers      []handler
}

// Redis is a deployment on Redis: web processes and workers meet in one
// Redis (docs/DEPLOY.md).
type Redis struct {
	URL     string        // -redis (or REDIS_URL): jobs on Redis workers; empty: in this process
	Queue   string        // -queue: the asynq queue and the prefix of longcall's keys
	Retries int           // -retries: runs again of a job whose worker was lost; 0: never
	Lease   time.Duration // -lease: how long a silent worker keeps its jobs
	Poll    time.Duration // -poll: how often an idle worker asks for a job
}

// Limits keep one client from taking what others need
// (docs/OPERATIONS.md); each is the flag of its name.
type Limits struct {
	AllowOrigins       []string      // -allow-origin: origins besides the server's own whose pages may connect
	ReadLimit          int64         // -read-limit
	WriteTimeout       time.Duration // -write-timeout
	SendQueue          int           // -send-queue
	SessionJobs        int           // -session-jobs
	SessionCalls       int           // -session-calls
	SessionCallQueue   int           // -session-call-queue
	QueueSize          int           // -queue-size
	SessionWorkers     int           // -session-workers: 0, an eighth of Workers (at least 4)
	ResultLimit        int64         // -result-limit: bytes of one result's outputs
	SessionResultBytes int64         // -session-result-bytes: results one session may hold unread
	JobTimeout         time.Duration // -job-timeout
}

// Edge is the network's edge (docs/OPERATIONS.md): which hosts the server
// answers to, which proxies it believes, HTTP timeouts and the bounds on
// connections, sessions and calls per client address. Each is the flag of
// its name; zero values mean runtime/server's defaults.
type Edge struct {
	AllowHosts     []string      // -allow-host
	TrustedProxies []string      // -trusted-proxy
	TokenLifetime  time.Duration // -token-lifetime

	HTTPReadHeaderTimeout time.Duration // -http-read-header-timeout
	HTTPReadTimeout       time.Duration // -http-read-timeout
	HTTPWriteTimeout      time.Duration // -http-write-timeout
	HTTPIdleTimeout       time.Duration // -http-idle-timeout

	MaxConns      int     // -max-conns
	AddrConns     int     // -addr-conns
	AddrSessions  int     // -addr-sessions
	AddrCallRate  float64 // -addr-call-rate
	AddrCallBurst int     // -addr-call-burst
}

// Defaults is the configuration before options and flags.
func Defaults() Config {
	return Config{
		Name:          "longcall",
		Title:         "longcall dashboard",
		Description:   "A dashboard with background callbacks: progress, cancel and results pushed over one websocket.",
		Addr:          "127.0.0.1:8000",
		Role:          "all",
		Workers:       128,
		Build:         true,
		ShutdownGrace: 10 * time.Second,
		SessionGrace:  2 * time.Minute,
		LogLevel:      slog.LevelInfo,
		Redis: Redis{
			Queue:   "longcall",
			Retries: 1,
			Lease:   5 * time.Second,
			Poll:    5 * time.Millisecond,
		},
		Limits: Limits{
			ReadLimit:          1 << 20,
			WriteTimeout:       10 * time.Second,
			SendQueue:          1024,
			SessionJobs:        16,
			SessionCalls:       8,
			SessionCallQueue:   64,
			QueueSize:          4096,
			ResultLimit:        8 << 20,
			SessionResultBytes: 32 << 20,
		},
		Edge: Edge{
			TokenLifetime:         24 * time.Hour,
			HTTPReadHeaderTimeout: 10 * time.Second,
			HTTPReadTimeout:       time.Minute,
			HTTPWriteTimeout:      5 * time.Minute,
			HTTPIdleTimeout:       time.Minute,
			AddrConns:             128,
			AddrSessions:          64,
			AddrCallRate:          50,
			AddrCallBurst:         200,
		},
	}
}
