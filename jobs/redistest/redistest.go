// Package redistest starts throwaway redis-server processes for tests, as
// net/http/httptest starts HTTP servers: on a free 127.0.0.1 port, without
// persistence, gone when the test ends.
package redistest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is a running redis-server.
type Server struct {
	URL  string // redis://127.0.0.1:port/0
	Addr string // 127.0.0.1:port

	cmd    *exec.Cmd
	dir    string
	output *syncWriter // stdout and stderr
	exited chan struct{}
}

// Start starts a redis-server for the test and returns its URL; it is
// stopped at the test's cleanup. The test is skipped when redis-server is
// not installed (.ci/run installs Debian's).
func Start(t testing.TB) string {
	t.Helper()
	s, err := NewServer()
	if errors.Is(err, exec.ErrNotFound) {
		t.Skip("redis-server is not installed (apt-get install redis-server; .ci/run installs it)")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s.URL
}

// Installed reports whether redis-server is on the PATH.
func Installed() bool {
	_, err := exec.LookPath("redis-server")
	return err == nil
}

// NewServer starts a redis-server; Close stops it. An error wraps
// exec.ErrNotFound when redis-server is not installed.
func NewServer() (*Server, error) {
	path, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, fmt.Errorf("redistest: %w", err)
	}
	// A port found free may be taken before redis binds it: try again.
	for attempt := 0; ; attempt++ {
		s, err := start(path)
		if err == nil || attempt == 4 {
			return s, err
		}
	}
}

func start(path string) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "redistest-")
	if err != nil {
		return nil, fmt.Errorf("redistest: %w", err)
	}
	s := &Server{
		Addr:   "127.0.0.1:" + strconv.Itoa(port),
		dir:    dir,
		output: &syncWriter{},
		exited: make(chan struct{}),
	}
	s.URL = "redis://" + s.Addr + "/0"
	s.cmd = exec.Command(path,
		"--bind", "127.0.0.1", "--port", strconv.Itoa(port),
		"--save", "", "--appendonly", "no", "--dir", dir,
		"--loglevel", "warning", "--daemonize", "no",
	)
	s.cmd.Stdout, s.cmd.Stderr = s.output, s.output
	dieWithParent(s.cmd)
	if err := s.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("redistest: start redis-server: %w", err)
	}
	go func() { s.cmd.Wait(); close(s.exited) }()
	if err := s.waitReady(10 * time.Second); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// waitReady waits until the server answers PING.
func (s *Server) waitReady(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		if ping(s.Addr) == nil {
			return nil
		}
		select {
		case <-s.exited:
			return fmt.Errorf("redistest: redis-server on %s exited at start:\n%s", s.Addr, s.Output())
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("redistest: redis-server on %s did not answer within %s:\n%s", s.Addr, limit, s.Output())
		}
	}
}

func ping(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "+PONG") {
		return fmt.Errorf("redistest: PING answered %q", line)
	}
	return nil
}

// Output returns what the server has logged.
func (s *Server) Output() string {
	s.output.mu.Lock()
	defer s.output.mu.Unlock()
	return s.output.buf.String()
}

// Close stops the server and removes its directory.
func (s *Server) Close() error {
	s.cmd.Process.Kill()
	<-s.exited
	return os.RemoveAll(s.dir)
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("redistest: find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// syncWriter serialises redis-server's stdout and stderr into one buffer.
type syncWriter struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}
