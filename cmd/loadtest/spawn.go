package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/longcall/longcall/runtime/protocol"
	"github.com/longcall/longcall/web/appbuild"
)

// spawned is the demo server, built from the checkout and run as a child
// process, so that the load generator and the server have a process each
// and the server's CPU and memory are its own.
type spawned struct {
	cmd *exec.Cmd
	dir string // the temporary directory of its binary
	url string // websocket endpoint

	exited  chan struct{} // closed when the process has exited
	waitErr error         // how it exited, once exited is closed
}

// readyLine is what the server prints on stdout once it listens.
var readyLine = regexp.MustCompile(`^longcall [^:]+: (http://\S+)$`)

// startTimeout bounds the build and the start: a first build of the server
// compiles its dependencies.
const startTimeout = 5 * time.Minute

// spawnServer builds ./cmd/server with the load dashboard (-tags loadtest:
// a normal build does not serve it) and starts it on a free loopback port with
// workers job workers and extra flags.
func spawnServer(ctx context.Context, workers int, extra string) (*spawned, error) {
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	root, err := moduleRoot(ctx)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "longcall-loadtest-")
	if err != nil {
		return nil, fmt.Errorf("spawn server: %w", err)
	}
	s := &spawned{dir: dir, exited: make(chan struct{})}
	bin := filepath.Join(dir, "longcall-server")
	if err := goBuild(ctx, root, bin); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	// The server serves its own app.wasm, built here rather than read from
	// the checkout's web/, which a concurrent build may be rewriting (or no
	// build has written yet, in a fresh clone).
	webDir := filepath.Join(dir, "web")
	if err := appbuild.BuildWasm(ctx, io.Discard, root, "./cmd/app", filepath.Join(webDir, appbuild.WasmFile)); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	args := append([]string{"-addr", "127.0.0.1:0", "-web", webDir, "-workers", strconv.Itoa(workers), "-log-level", "warn",
		"-addr-conns", "-1", "-addr-sessions", "-1", "-addr-call-rate", "-1"}, // every session comes from 127.0.0.1
		strings.Fields(extra)...)
	if err := s.start(ctx, root, bin, args); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

// moduleRoot is the directory of the checkout's go.mod: the server finds
// web/ there.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("find the module root (go env GOMOD): %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("-spawn builds ./cmd/server: run the load generator inside the longcall checkout")
	}
	return filepath.Dir(gomod), nil
}

func goBuild(ctx context.Context, root, bin string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-tags", "loadtest", "-o", bin, "./cmd/server")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build -tags loadtest ./cmd/server: %w\n%s", err, out)
	}
	return nil
}

// start runs the binary and waits for its ready line. Its stderr (warnings:
// slow clients, failed jobs) goes to ours.
func (s *spawned) start(ctx context.Context, root, bin string, args []string) error {
	s.cmd = exec.Command(bin, args...)
	s.cmd.Dir = root
	s.cmd.Stderr = os.Stderr
	dieWithParent(s.cmd)
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("spawn server: %w", err)
	}
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", bin, err)
	}
	go func() {
		s.waitErr = s.cmd.Wait()
		close(s.exited)
	}()

	found := make(chan string, 1)
	go scanReady(stdout, found)
	select {
	case u, ok := <-found:
		if !ok {
			<-s.exited
			return fmt.Errorf("server exited before it listened: %v", s.waitErr)
		}
		s.url = "ws://" + strings.TrimPrefix(u, "http://") + protocol.Path
		return nil
	case <-ctx.Done():
		return fmt.Errorf("server did not say where it listens: %w", ctx.Err())
	}
}

// scanReady sends the URL of the ready line, or closes found if stdout ends
// without one. Either way it keeps reading, so the server never blocks on a
// full pipe.
func scanReady(stdout io.Reader, found chan<- string) {
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if m := readyLine.FindStringSubmatch(sc.Text()); m != nil {
			found <- m[1]
			io.Copy(io.Discard, stdout)
			return
		}
	}
	close(found)
}

func (s *spawned) pid() int { return s.cmd.Process.Pid }

// stop asks the server to shut down as an operator would (SIGTERM) and kills
// it if it is still there after its shutdown grace; then removes its binary.
func (s *spawned) stop() error {
	defer os.RemoveAll(s.dir)
	if s.cmd == nil || s.cmd.Process == nil {
		return nil
	}
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("stop server: %w", err)
	}
	select {
	case <-s.exited:
		if s.waitErr != nil {
			return fmt.Errorf("server exited: %w", s.waitErr)
		}
		return nil
	case <-time.After(15 * time.Second): // the server's shutdown grace is 10 s
		s.cmd.Process.Kill()
		<-s.exited
		return errors.New("stop server: still running 15 s after SIGTERM; killed")
	}
}
