//go:build !js

package host

import (
	"bufio"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// What a dev mode supervisor tells its child, in the environment: that it
// is one (its address goes to file descriptor 3, not to stdout), and which
// web directories the supervisor built for it.
const (
	envDevChild = "LONGCALL_DEV_CHILD"
	envDevWeb   = "LONGCALL_DEV_WEB"
)

// childStart bounds a child's start: loading its assets on a busy 2-core
// machine takes seconds, not minutes.
const childStart = 3 * time.Minute

// childStop is how long a stopped child may drain before it is killed.
const childStop = 30 * time.Second

// devChildEnv is a dev mode child's side of its supervisor's environment.
type devChildEnv struct{ dirs []string }

func devChildFromEnv() (devChildEnv, bool) {
	if os.Getenv(envDevChild) == "" {
		return devChildEnv{}, false
	}
	e := devChildEnv{dirs: filepath.SplitList(os.Getenv(envDevWeb))}
	// Not for the processes it starts: an Isolated callback's child is no
	// dev mode child.
	os.Unsetenv(envDevChild)
	os.Unsetenv(envDevWeb)
	return e, true
}

// serve serves c in dev mode, from the supervisor's web directories, and
// tells the supervisor its address once it listens.
func (e devChildEnv) serve(ctx context.Context, c Config) error {
	c.Dev, c.devDirs = true, e.dirs
	ready := os.NewFile(3, "longcall-dev-ready")
	return Serve(ctx, c, func(s *Serving) {
		fmt.Fprintln(ready, s.URL)
		ready.Close()
	})
}

// devChild is a server the supervisor runs: one build of the app.
type devChild struct {
	build  int
	url    *url.URL
	cmd    *exec.Cmd
	exited chan struct{} // closed when the process has ended
	stderr *tailBuffer
	owned  string      // its binary, when the supervisor built it: removed once it ends
	quiet  atomic.Bool // replaced: its drain's log is not for the terminal
}

// startChild starts bin as a dev mode child and waits until it serves. A
// child that exits first, or does not listen within childStart, is an
// error with the end of what it printed.
func startChild(ctx context.Context, bin string, build int, args, env []string) (*devChild, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("dev mode: start the server: %w", err)
	}
	defer r.Close()
	ch := &devChild{build: build, exited: make(chan struct{}), stderr: &tailBuffer{max: 16 << 10}}
	ch.cmd = exec.Command(bin, args...)
	ch.cmd.Env = env
	ch.cmd.Stdout = os.Stdout
	ch.cmd.Stderr = &childOutput{ch}
	ch.cmd.ExtraFiles = []*os.File{w}
	endWithParent(ch.cmd)
	err = ch.cmd.Start()
	w.Close()
	if err != nil {
		return nil, fmt.Errorf("dev mode: start the server: %w", err)
	}
	go func() { ch.cmd.Wait(); close(ch.exited) }()

	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n') // EOF when the child exits
		line <- strings.TrimSpace(s)
	}()
	timer := time.NewTimer(childStart)
	defer timer.Stop()
	select {
	case s := <-line:
		if ch.url, err = url.Parse(s); err == nil && s != "" {
			return ch, nil
		}
		<-ch.exited
		return nil, fmt.Errorf("the server exited at start-up (%v):\n%s", ch.cmd.ProcessState, ch.stderr)
	case <-timer.C:
		err = fmt.Errorf("the server did not listen within %s:\n%s", childStart, ch.stderr)
	case <-ctx.Done():
		err = ctx.Err()
	}
	r.Close()
	ch.stop()
	return nil, err
}

// stop drains the child, as SIGTERM does, and kills it after childStop.
func (ch *devChild) stop() {
	ch.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-ch.exited:
	case <-time.After(childStop):
		ch.cmd.Process.Kill()
		<-ch.exited
	}
}

// childOutput is a child's stderr: the terminal's, and kept for a report
// of its failure.
type childOutput struct{ ch *devChild }

func (o *childOutput) Write(p []byte) (int, error) {
	o.ch.stderr.Write(p)
	if !o.ch.quiet.Load() {
		os.Stderr.Write(p)
	}
	return len(p), nil
}

// tailBuffer keeps the last max bytes written to it: what a child said
// before it failed to start.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}
