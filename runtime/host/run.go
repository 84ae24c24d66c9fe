//go:build !js

package host

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/longcall/longcall/runtime"
)

// Run, on the server, runs the call of an Isolated callback when this
// process is its child (runtime.RunChild), or else reads the command line over the options and serves
// the app until SIGINT or SIGTERM, then drains; in dev mode (Config.Dev) it
// supervises the server instead, rebuilding and restarting it on save
// (dev.go). It prints where it serves on stdout ("longcall dashboard:
// http://127.0.0.1:8000"), and exits 2 on a bad command line, 1 when the
// server fails.
func Run(opts ...Option) {
	runtime.RunChild() // a child process of an Isolated callback runs its call and exits here
	c := Configure(append([]Option{devByDefault}, opts...)...)
	if err := c.ParseFlags(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, c, os.Args[1:]); err != nil {
		slog.Error("server failed", "err", err)
		os.Exit(1)
	}
}

// ParseFlags sets c from a command line, each flag defaulting to c's value
// as the options left it, or to its LONGCALL_* environment variable.
func (c *Config) ParseFlags(args []string) error {
	fs := flag.NewFlagSet(os.Args[0], flag.ContinueOnError)
	c.register(fs)
	level := fs.String("log-level", strings.ToLower(c.LogLevel.String()), "debug, info, warn or error")
	if err := fromEnvironment(fs); err != nil {
		return err
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := c.LogLevel.UnmarshalText([]byte(*level)); err != nil {
		return fmt.Errorf("-log-level: %w", err)
	}
	return c.Redis.checkRole(c.Role)
}

func (c *Config) register(fs *flag.FlagSet) {
	fs.StringVar(&c.Addr, "addr", c.Addr, "address to listen on")
	fs.StringVar(&c.Role, "role", c.Role, "what this process does: all (serve pages and run jobs), web (serve pages, queue jobs on -redis) or worker (run jobs from -redis)")
	fs.IntVar(&c.Workers, "workers", c.Workers, "jobs this process may run at once (in-process, or as a Redis worker)")
	fs.BoolVar(&c.Build, "build", c.Build, "build the app's wasm and install npm assets before serving (ignored by a production binary)")
	fs.DurationVar(&c.ShutdownGrace, "shutdown-grace", c.ShutdownGrace, "on SIGTERM, how long running jobs may finish")
	fs.DurationVar(&c.SessionGrace, "session-grace", c.SessionGrace, "how long a page's jobs live on while its connection is gone")
	fs.StringVar(&c.Secret, "secret", c.Secret, "signs session tokens; web processes sharing it resume each other's sessions (default $LONGCALL_SECRET, else random per process); a comma-separated list rotates it: the first signs, the others are still accepted")
	fs.StringVar(&c.WebDir, "web", c.WebDir, "serve the app's assets (app.wasm, node_modules) from this directory, as they are (no build)")
	fs.BoolVar(&c.Dev, "dev", c.Dev, "dev mode: rebuild and restart the server on save, reload the pages, show errors with their text and stack (default: on under `go run`; never in a production binary)")
	fs.StringVar(&c.DebugAddr, "debug-addr", c.DebugAddr, "serve Go's profiles (/debug/pprof/) on this address, apart from the pages (e.g. 127.0.0.1:6060); off when empty")
	fs.StringVar(&c.Domain, "domain", c.Domain, "the host name the pages are reached at (dash.example.com), for the links they give of themselves (og:url, og:image)")
	c.Redis.register(fs)
	c.Limits.register(fs)
	c.Edge.register(fs)
}

// fromEnvironment sets each flag from LONGCALL_<NAME> when it is set
// (-session-grace: LONGCALL_SESSION_GRACE); the command line overrides it.
func fromEnvironment(fs *flag.FlagSet) error {
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		name := "LONGCALL_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(name); ok && err == nil {
			if setErr := fs.Set(f.Name, v); setErr != nil {
				err = fmt.Errorf("%s: %w", name, setErr)
			}
		}
	})
	return err
}
