// Command server runs the longcall demo dashboard: it serves the go-app pages
// and assets, the callback websocket, and runs background jobs.
//
//	go run ./cmd/server            # builds web/app.wasm, serves on 127.0.0.1:8000
//	go run ./cmd/server -addr :9000 -workers 64
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/longcall/longcall/runtime"
)

func main() {
	runtime.RunChild() // a child process of an Isolated callback runs its call and exits here
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, func(s *serving) { fmt.Printf("longcall %s: %s\n", roleName(cfg.role), s.URL) }); err != nil {
		slog.Error("server failed", "err", err)
		os.Exit(1)
	}
}

// config is the server's command line.
type config struct {
	addr     string
	role     string
	workers  int
	build    bool
	grace    time.Duration
	logLevel slog.Level

	sessionGrace time.Duration
	secret       string
	webDir       string
	debugAddr    string

	redis redisConfig // -redis, and the roles that need it: redis.go
	ops   opsConfig   // origins and limits: ops.go
}

func parseFlags(args []string) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8000", "address to listen on")
	fs.StringVar(&cfg.role, "role", "all", "what this process does: all (serve pages and run jobs), web (serve pages, queue jobs on -redis) or worker (run jobs from -redis)")
	fs.IntVar(&cfg.workers, "workers", 128, "jobs this process may run at once (in-process, or as a Redis worker)")
	fs.BoolVar(&cfg.build, "build", true, "build web/app.wasm and install npm assets before serving (ignored in an embedded build)")
	fs.DurationVar(&cfg.grace, "shutdown-grace", 10*time.Second, "on SIGTERM, how long running jobs may finish")
	fs.DurationVar(&cfg.sessionGrace, "session-grace", 2*time.Minute, "how long a page's jobs live on while its connection is gone")
	fs.StringVar(&cfg.secret, "secret", os.Getenv("LONGCALL_SECRET"), "signs session tokens; web processes sharing it resume each other's sessions (default $LONGCALL_SECRET, else random per process)")
	fs.StringVar(&cfg.webDir, "web", "", "serve assets from this directory instead of the checkout's web/ (no build)")
	fs.StringVar(&cfg.debugAddr, "debug-addr", "", "serve Go's profiles (/debug/pprof/) on this address, apart from the pages (e.g. 127.0.0.1:6060); off when empty")
	cfg.redis.register(fs)
	cfg.ops.register(fs)
	level := fs.String("log-level", "info", "debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if err := cfg.logLevel.UnmarshalText([]byte(*level)); err != nil {
		return cfg, fmt.Errorf("-log-level: %w", err)
	}
	return cfg, cfg.redis.checkRole(cfg.role)
}
