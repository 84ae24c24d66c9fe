package main

import (
	"context"
	"fmt"
	"os"
)

// target is the server under load: where sessions dial, which process to
// watch, and how to stop it when the load generator started it.
type target struct {
	kind string // "spawned", "in-process" or "external"
	url  string
	pid  int // 0: nothing to watch
	stop func() error
}

// startTarget starts the server cfg asks for, or takes the one at cfg.url.
func startTarget(ctx context.Context, cfg config) (*target, error) {
	switch {
	case cfg.spawn:
		s, err := spawnServer(ctx, cfg.workers, cfg.serverArgs)
		if err != nil {
			return nil, err
		}
		return &target{kind: "spawned", url: s.url, pid: s.pid(), stop: s.stop}, nil
	case cfg.inProcess:
		p, err := startInProcess(cfg.workers)
		if err != nil {
			return nil, err
		}
		return &target{kind: "in-process", url: p.url, pid: os.Getpid(), stop: p.stop}, nil
	default:
		if cfg.url == "" {
			return nil, fmt.Errorf("no server: give -url, -spawn or -inprocess")
		}
		return &target{kind: "external", url: cfg.url, pid: cfg.serverPID, stop: func() error { return nil }}, nil
	}
}
