package main

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/client"
	"github.com/longcall/longcall/runtime/protocol"
)

// SIGTERM drains the server: readiness turns false and new websockets are
// refused while the job already running (the simple example's 2 s job) goes
// on; its result reaches the page; the page is told to reconnect; and the
// process exits 0, its job having finished within the grace period.
func TestSIGTERMDrainsAndTheRunningJobFinishes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server binary")
	}
	bin := filepath.Join(t.TempDir(), "server")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	var stderr strings.Builder
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-build=false", "-shutdown-grace", "10s")
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })
	base := serverURL(t, stdout, exited, &stderr)

	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	page, conn := client.Open(ctx, "ws"+strings.TrimPrefix(base, "http")+protocol.Path, dashboard(t, "simple"))
	<-conn.Welcomed()
	page.Update(protocol.PropValue{ID: "button_id", Prop: "n_clicks", Value: json.RawMessage("1")})
	waitUntil(t, "the job to start", func() bool {
		flights := page.Flights()
		return len(flights) == 1 && flights[0].Job != ""
	})

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "/readyz to say draining", func() bool { return status(base+"/readyz") == http.StatusServiceUnavailable })
	if got := status(base + "/healthz"); got != http.StatusOK {
		t.Errorf("/healthz during the drain: %d", got)
	}
	if _, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(base, "http")+protocol.Path, nil); err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("a new websocket during the drain: %v, want 503", err)
	}
	waitUntil(t, "the job's result", func() bool {
		v, _ := page.Store().Get(runtime.PropID{ID: "paragraph_id", Prop: "children"})
		return string(v) == `"Clicked 1 times"`
	})
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("the server exited with %v\n%s", err, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("the server did not exit\n%s", stderr.String())
	}
	for _, want := range []string{"draining", "stopped"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("the log does not say %q:\n%s", want, stderr.String())
		}
	}
}

// serverURL reads the address the server prints once it listens.
func serverURL(t *testing.T, stdout interface{ Read([]byte) (int, error) }, exited <-chan error, stderr *strings.Builder) string {
	t.Helper()
	line := make(chan string, 1)
	go func() {
		s := bufio.NewScanner(stdout)
		for s.Scan() {
			if _, url, ok := strings.Cut(s.Text(), ": http://"); ok {
				line <- "http://" + url
			}
		}
	}()
	select {
	case url := <-line:
		return url
	case err := <-exited:
		t.Fatalf("the server exited: %v\n%s", err, stderr.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("the server printed no address\n%s", stderr.String())
	}
	return ""
}

func dashboard(t *testing.T, name string) *runtime.Dashboard {
	t.Helper()
	for _, d := range runtime.Dashboards() {
		if d.Name() == name {
			return d
		}
	}
	t.Fatalf("no dashboard %q", name)
	return nil
}

func status(url string) int {
	resp, err := http.Get(url)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// waitUntil polls cond until it holds, failing the test after 20 s.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
