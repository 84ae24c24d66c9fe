//go:build !js

package host

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/longcall/longcall/web/appbuild"
)

// supervisor is dev mode's parent process (dev.go): it builds, runs the
// server as a child behind its proxy, and starts a new one after a change.
type supervisor struct {
	c       Config
	args    []string // the command line, which every child gets
	env     []string // the children's environment
	hub     *devHub
	builder *devBuilder
	builds  int       // the builds that served: the first is 1
	child   *devChild // serving now; nil before the first build serves
	stops   sync.WaitGroup
}

// supervise runs dev mode until ctx ends: the app at c.Addr, served by a
// child rebuilt and restarted at each change in the module.
func supervise(ctx context.Context, c Config, args []string) error {
	cwd, err := os.Getwd()
	if err != nil {
		return err
	}
	m, err := appbuild.FindModule(ctx, cwd)
	if err != nil {
		return fmt.Errorf("dev mode: %w", err)
	}
	t, err := c.target(m, cwd)
	if err != nil {
		return err
	}
	builder, err := newDevBuilder(m, t, cwd)
	if err != nil {
		return err
	}
	defer builder.close()
	watcher, err := watchModule(m.Root) // before the first build: a save during it counts
	if err != nil {
		return err
	}
	defer watcher.Close()
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.Addr, err)
	}
	s := &supervisor{c: c, args: args, hub: newDevHub(), builder: builder}
	s.env = childEnv(c, webDirs(m, t))
	hs := &http.Server{Handler: s.hub, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)

	s.first(ctx, m, t)
	fmt.Printf("longcall dashboard: http://%s\n", ln.Addr())
	fmt.Fprintf(os.Stderr, "longcall: dev mode: watching %s; a save rebuilds the app, restarts the server and reloads the pages (-dev=false: off)\n", m.Root)
	s.loop(ctx, watcher)
	// The proxy first, not Shutdown (the pages' event streams never end by
	// themselves): a page that reconnected through it would hold up the
	// child's drain.
	hs.Close()
	s.stopAll()
	return nil
}

// first builds as a server's start does (the wasm, npm libraries,
// compression) and starts this very program as the first child: `go run`
// has just built it.
func (s *supervisor) first(ctx context.Context, m appbuild.Module, t appbuild.Target) {
	if err := appbuild.Prepare(ctx, os.Stderr, m, t); err != nil {
		s.report(fmt.Errorf("build failed: %w", err))
		return
	}
	self, err := os.Executable()
	if err != nil {
		s.report(err)
		return
	}
	s.start(ctx, self, "")
}

// loop rebuilds at each change, until ctx ends. A change during a build
// cancels it: its result would be stale.
func (s *supervisor) loop(ctx context.Context, watcher *devWatcher) {
	type built struct {
		devBuilt
		err   error
		start time.Time
	}
	var cancel context.CancelFunc = func() {}
	var done chan built
	for {
		select {
		case <-ctx.Done():
			cancel()
			if done != nil {
				<-done
			}
			return
		case files := <-watcher.Changes():
			cancel()
			if done != nil {
				<-done
			}
			fmt.Fprintf(os.Stderr, "longcall: %s changed: rebuilding…\n", strings.Join(files, ", "))
			s.hub.building()
			var buildCtx context.Context
			buildCtx, cancel = context.WithCancel(ctx)
			done = make(chan built, 1)
			go func(done chan<- built, start time.Time) {
				b, err := s.build(buildCtx)
				done <- built{b, err, start}
			}(done, time.Now())
		case b := <-done:
			done = nil
			if b.err != nil {
				s.report(fmt.Errorf("build failed%s: %w", s.servingOn(), b.err))
				continue
			}
			started := time.Now()
			if s.start(ctx, b.bin, b.bin) {
				fmt.Fprintf(os.Stderr, "longcall: rebuilt (wasm %s, server %s), the new server up in %s: reloading the pages %s after the save\n",
					b.wasm, b.server, since(started), since(b.start))
			}
		case <-s.exited():
			child := s.child
			s.child = nil
			// A child that drained and exited 0 was stopped by a signal:
			// ^C reaches it with the supervisor, maybe before it.
			if ctx.Err() == nil && !child.cmd.ProcessState.Success() {
				s.report(fmt.Errorf("the server exited (%v); save a change to start it again:\n%s", child.cmd.ProcessState, child.stderr))
			}
		}
	}
}

// build builds the app after a change: the wasm and the server, or, when
// the first build failed, everything a start builds.
func (s *supervisor) build(ctx context.Context) (devBuilt, error) {
	if s.builds == 0 {
		if err := appbuild.Prepare(ctx, os.Stderr, s.builder.module, s.builder.wasm); err != nil {
			return devBuilt{}, err
		}
	}
	return s.builder.build(ctx, s.builds+1)
}

// start starts bin as the next child; once it serves, the proxy sends
// every request to it, the pages reload, and the child before drains.
// owned is bin when it is the supervisor's to delete after the child ends.
func (s *supervisor) start(ctx context.Context, bin, owned string) bool {
	child, err := startChild(ctx, bin, s.builds+1, s.childArgs(), s.env)
	if err != nil {
		if owned != "" {
			os.Remove(owned)
		}
		s.report(fmt.Errorf("the new server did not start%s: %w", s.servingOn(), err))
		return false
	}
	s.builds++
	child.owned = owned
	old := s.child
	s.child = child
	s.hub.serve(child)
	if old != nil {
		old.quiet.Store(true)
		s.stops.Go(func() {
			old.stop()
			if old.owned != "" {
				os.Remove(old.owned)
			}
		})
	}
	return true
}

// exited is the serving child's end: one that exits by itself (a crash,
// os.Exit in a handler) is reported as a failed build is.
func (s *supervisor) exited() <-chan struct{} {
	if s.child == nil {
		return nil
	}
	return s.child.exited
}

func (s *supervisor) stopAll() {
	if s.child != nil {
		s.child.stop()
	}
	s.stops.Wait()
}

// servingOn says, after a failure, that the last good build still serves.
func (s *supervisor) servingOn() string {
	if s.child == nil {
		return ""
	}
	return fmt.Sprintf(" (build %d serves on)", s.child.build)
}

// report tells the terminal and the pages of a build that failed, or of a
// server that would not start or stopped: a child serving goes on serving.
func (s *supervisor) report(err error) {
	fmt.Fprintf(os.Stderr, "longcall: %v\n", err)
	s.hub.failed(err.Error())
}

// childArgs is the command line with what makes the child one: it listens
// on a port of its own behind the proxy, answers to the proxy's host,
// leaves -debug-addr to nobody (two children overlap during a restart), and
// ends its jobs soon after it is replaced (they are lost on a dev reload).
func (s *supervisor) childArgs() []string {
	return append(append([]string(nil), s.args...),
		"-addr=127.0.0.1:0", "-allow-host="+s.c.Addr, "-debug-addr=", "-shutdown-grace=100ms")
}

// childEnv is the children's environment: the supervisor's, a dev mode
// child's marks, and, unless the app sets its own, a secret they share, so
// that a page's session resumes across a restart.
func childEnv(c Config, dirs []string) []string {
	env := append(os.Environ(), envDevChild+"=1", envDevWeb+"="+strings.Join(dirs, string(filepath.ListSeparator)))
	if c.Secret == "" {
		key := make([]byte, 32)
		rand.Read(key)
		env = append(env, "LONGCALL_SECRET="+base64.RawURLEncoding.EncodeToString(key))
	}
	return env
}

func since(t time.Time) time.Duration { return time.Since(t).Round(10 * time.Millisecond) }
