package server_test

import (
	"context"
	"net"
	"net/http"
	"testing"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime/client"
	"github.com/longcall/longcall/runtime/protocol"
	"github.com/longcall/longcall/runtime/server"
)

// webProcess is one server in front of a manager that outlives it, as a web
// process in front of Redis workers.
type webProcess struct {
	srv  *server.Server
	stop func()
}

func startWeb(t *testing.T, ln net.Listener, manager jobs.Manager, secret []byte) *webProcess {
	t.Helper()
	srv := server.New(server.Config{Managers: map[string]jobs.Manager{"": manager}, Secret: secret})
	hs := &http.Server{Handler: srv}
	go hs.Serve(ln)
	w := &webProcess{srv: srv, stop: func() { hs.Close(); srv.Shutdown(context.Background()) }}
	t.Cleanup(w.stop)
	return w
}

func TestWebRestartResumesTheSessionAndReattachesItsJob(t *testing.T) {
	manager := jobs.NewInProcess(jobs.Workers(4)) // stands for a manager the restart does not touch
	secret := []byte("shared by every web process")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	first := startWeb(t, ln, manager, secret)

	p := open(t, "ws://"+addr+protocol.Path)
	p.Update(set(button.PropID(), 3))
	p.waitFor(t, bar.PropID(), "3")
	<-p.conn.Welcomed()
	token := p.conn.Session()
	first.stop()

	ln2, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("the port was taken before the restart: %v", err)
	}
	startWeb(t, ln2, manager, secret)
	// The new process has never seen the session, but the signed token and
	// the job's id bring both back: the result arrives.
	gate(3) <- struct{}{}
	p.waitFor(t, out.PropID(), `"done 3"`)
	p.waitFor(t, disabled.PropID(), "false")
	if p.conn.Session() != token {
		t.Fatalf("session changed from %s to %s", token, p.conn.Session())
	}
	if v, _ := p.Store().Get(client.ErrorProp); v != nil && string(v) != "null" {
		t.Fatalf("an error was shown: %s", v)
	}
}

func TestCutSocketResumesTheSameSession(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	web := startWeb(t, ln, jobs.NewInProcess(jobs.Workers(4)), nil)
	p := open(t, "ws://"+ln.Addr().String()+protocol.Path)
	p.Update(set(button.PropID(), 4))
	p.waitFor(t, bar.PropID(), "4")
	<-p.conn.Welcomed()
	token := p.conn.Session()

	web.srv.Reconnect()
	gate(4) <- struct{}{}
	p.waitFor(t, out.PropID(), `"done 4"`)
	if p.conn.Session() != token {
		t.Fatalf("session changed from %s to %s", token, p.conn.Session())
	}
}
