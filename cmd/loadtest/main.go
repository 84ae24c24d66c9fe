// Command loadtest puts a longcall server under load over the real protocol:
// N sessions, each a native client of the load dashboard (ui/examples/load)
// on its own websocket, run background jobs that report timestamped progress.
// It reports the latency from trigger to job start, from progress report to
// receipt and from job end to result, jobs per second, errors, lost progress,
// and the server's CPU and peak RSS.
//
//	go run ./cmd/loadtest -spawn -sessions 100 -length 1s -rate 0
//	go run ./cmd/loadtest -spawn -sessions 1000 -jobs 0 -duration 30s -length 10s -rate 10
//	go run ./cmd/loadtest -url ws://127.0.0.1:8000/_longcall/ws -server-pid $(pgrep -n server)
//
// The run is bounded (-timeout) and closes every connection it opened. It
// exits 0 when the run was clean (every session connected, every job
// answered with an ok result, no progress lost, no errors), 3 when the run
// completed but was not, 1 when it could not run, 2 on a bad command line.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
)

func main() {
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "loadtest:", err)
		}
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := run(ctx, cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
	if err := writeReport(cfg, rep); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
	if !rep.clean() {
		os.Exit(3)
	}
}

// run starts the target server if asked, loads it, stops it, and reports.
func run(ctx context.Context, cfg config) (rep report, err error) {
	t, err := startTarget(ctx, cfg)
	if err != nil {
		return rep, err
	}
	defer func() {
		if serr := t.stop(); serr != nil {
			err = errors.Join(err, serr)
		}
	}()
	if cfg.cpuProfile != "" {
		stopProfile, err := startProfile(cfg.cpuProfile)
		if err != nil {
			return rep, err
		}
		defer stopProfile()
	}
	rec := newRecorder()
	out, err := runLoad(ctx, cfg, t, rec)
	if err != nil {
		return rep, err
	}
	return newReport(cfg, t, rec, out), nil
}

func startProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("-cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("-cpuprofile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

func writeReport(cfg config, rep report) error {
	if !cfg.jsonOut {
		writeTable(os.Stdout, rep)
		return nil
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		return fmt.Errorf("write the report: %w", err)
	}
	return nil
}
