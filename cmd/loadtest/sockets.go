package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"
)

// openSockets counts this process's open sockets, from /proc/self/fd. The
// client closes a connection when its context ends, but on its own goroutine
// and without telling anyone, so this is how the load generator checks that it
// closed every connection it opened.
func openSockets() (int, error) {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return 0, fmt.Errorf("count open sockets: %w", err)
	}
	n := 0
	for _, e := range entries {
		// An fd may close between ReadDir and Readlink: it is no socket then.
		if target, err := os.Readlink("/proc/self/fd/" + e.Name()); err == nil && strings.HasPrefix(target, "socket:") {
			n++
		}
	}
	return n, nil
}

// awaitSockets waits until at most want sockets are open, looking every
// 10 ms, until ctx ends. It returns how many are left open above want.
func awaitSockets(ctx context.Context, want int) (int, error) {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		n, err := openSockets()
		if err != nil {
			return 0, err
		}
		if n <= want {
			return 0, nil
		}
		select {
		case <-ctx.Done():
			return n - want, nil
		case <-tick.C:
		}
	}
}
