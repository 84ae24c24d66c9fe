package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/longcall/longcall/runtime/protocol"
	"github.com/longcall/longcall/ui/examples/load"
)

// config is the load generator's command line.
type config struct {
	// Where the server is: at url, or started here (spawn, inProcess).
	url        string
	spawn      bool
	inProcess  bool
	serverPID  int
	serverArgs string
	workers    int

	// The load.
	sessions       int
	jobs           int           // per session; 0: as many as fit in duration
	duration       time.Duration // no job starts after it; 0: jobs decides
	length         time.Duration // of one job
	rate           float64       // progress reports per second of each job
	ramp           time.Duration // connects are spread over it
	stagger        time.Duration // first jobs are spread over it
	connectTimeout time.Duration
	timeout        time.Duration // the whole run, hard; 0: from the load

	jsonOut    bool
	cpuProfile string
}

const defaultURL = "ws://127.0.0.1:8000" + protocol.Path

func parseFlags(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.StringVar(&c.url, "url", defaultURL, "websocket endpoint of the server under load")
	fs.BoolVar(&c.spawn, "spawn", false, "build ./cmd/server and load it as a child process on a free port (run from the checkout)")
	fs.BoolVar(&c.inProcess, "inprocess", false, "serve the load dashboard from this process (runtime/server and the in-process manager): for -cpuprofile")
	fs.IntVar(&c.serverPID, "server-pid", 0, "process to report CPU and RSS of, for a server started elsewhere (set by -spawn and -inprocess)")
	fs.StringVar(&c.serverArgs, "server-args", "", "more flags for the -spawn server, space-separated (e.g. \"-redis redis://127.0.0.1:6379\" for the Redis manager)")
	fs.IntVar(&c.workers, "workers", 0, "job workers of a -spawn or -inprocess server (default: one per session, at least 128, so that jobs run at once rather than queue)")
	fs.IntVar(&c.sessions, "sessions", 10, "sessions (pages, each its own websocket)")
	fs.IntVar(&c.jobs, "jobs", 1, "jobs each session runs, one after another (0: as many as -duration allows)")
	fs.DurationVar(&c.duration, "duration", 0, "run jobs until this long after the first, then let the last ones finish (0: -jobs decides)")
	fs.DurationVar(&c.length, "length", time.Second, "how long one job runs")
	fs.Float64Var(&c.rate, "rate", 10, "progress reports per second of each job (0: none)")
	fs.DurationVar(&c.ramp, "ramp", time.Second, "spread the sessions' connects over this")
	fs.DurationVar(&c.stagger, "stagger", 0, "spread the sessions' first jobs over this (0: all at once)")
	fs.DurationVar(&c.connectTimeout, "connect-timeout", 30*time.Second, "how long after its turn in the ramp a session may take to be welcomed")
	fs.DurationVar(&c.timeout, "timeout", 0, "hard bound on the whole run; jobs unanswered by then are errors (default: twice the planned load plus a minute)")
	fs.BoolVar(&c.jsonOut, "json", false, "print the report as JSON")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "write this process's CPU profile here (with -inprocess it covers the server too)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if c.workers == 0 {
		c.workers = max(128, c.sessions)
	}
	if c.timeout == 0 {
		c.timeout = 2*c.planned() + time.Minute
	}
	return c, c.validate()
}

func (c config) validate() error {
	var errs []error
	check := func(ok bool, msg string) {
		if !ok {
			errs = append(errs, errors.New(msg))
		}
	}
	check(c.sessions > 0, "-sessions must be at least 1")
	check(c.jobs >= 0, "-jobs must not be negative")
	check(c.jobs > 0 || c.duration > 0, "-jobs 0 needs a -duration, or the run would never end")
	check(c.duration >= 0 && c.length >= 0 && c.ramp >= 0 && c.stagger >= 0, "durations must not be negative")
	check(c.rate >= 0, "-rate must not be negative")
	if err := c.job().Check(); err != nil {
		check(false, "-length and -rate: "+err.Error())
	}
	check(c.connectTimeout > 0 && c.timeout > 0, "-connect-timeout and -timeout must be positive")
	check(!(c.spawn && c.inProcess), "-spawn and -inprocess are exclusive")
	check(c.serverArgs == "" || c.spawn, "-server-args needs -spawn")
	return errors.Join(errs...)
}

// planned is how long the load should take if the server keeps up.
func (c config) planned() time.Duration {
	work := time.Duration(c.jobs) * c.length
	if c.duration > 0 {
		work = c.duration + c.length
	}
	return c.ramp + c.stagger + work
}

// job is the work each job does, as the load dashboard's config prop.
func (c config) job() load.Config {
	return load.Config{DurationMS: c.length.Milliseconds(), ProgressHz: c.rate}
}

// more reports whether a session that has run done jobs starts another at
// now, the first job having started at begin.
func (c config) more(done int, begin, now time.Time) bool {
	if c.jobs > 0 && done >= c.jobs {
		return false
	}
	return c.duration == 0 || now.Sub(begin) < c.duration
}
