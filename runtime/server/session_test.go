package server_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/longcall/longcall/jobs"
	"github.com/longcall/longcall/runtime/client"
	"github.com/longcall/longcall/runtime/protocol"
	"github.com/longcall/longcall/runtime/server"
)

// serveOn serves a fresh server on ln until the returned stop is called.
func serveOn(ln net.Listener) (stop func()) {
	manager := jobs.NewInProcess(jobs.Workers(4))
	srv := server.New(server.Config{Managers: map[string]jobs.Manager{"": manager}})
	hs := &http.Server{Handler: srv}
	go hs.Serve(ln)
	return func() {
		hs.Close()
		srv.Shutdown(context.Background())
		ended, cancel := context.WithCancel(context.Background())
		cancel()
		manager.Shutdown(ended) // the process dies: its jobs with it
	}
}

func TestServerRestartEndsLostCallsWithAnError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	stop := serveOn(ln)

	p := open(t, "ws://"+addr+protocol.Path)
	<-p.conn.Welcomed()
	first := p.conn.Session()
	p.Update(set(button.PropID(), 5))
	p.waitFor(t, bar.PropID(), "5") // the job runs on the first server
	stop()

	ln2, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("the port was taken before the restart: %v", err)
	}
	t.Cleanup(serveOn(ln2))

	p.waitFor(t, client.ErrorProp, `{"callback":"servertest:out.children","code":"session_lost","message":"the server restarted or forgot this page's session while the call ran; run it again"}`)
	p.waitFor(t, disabled.PropID(), "false") // running props reset
	if p.conn.Session() == first {
		t.Fatal("the restarted server resumed a session it cannot know")
	}
	// The page works on the new server.
	p.Update(set(echoIn.PropID(), "again"))
	p.waitFor(t, echoOut.PropID(), `"AGAIN"`)
}

func TestWrongProtocolVersionIsRefusedWithTheReason(t *testing.T) {
	url := startServer(t)
	ws, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	ws.WriteMessage(websocket.TextMessage, []byte(`{"v":1,"type":"hello"}`))
	if _, _, err := ws.ReadMessage(); err != nil { // welcome
		t.Fatal(err)
	}
	ws.WriteMessage(websocket.TextMessage, []byte(`{"v":99,"type":"call","req":1,"callback":"x"}`))
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		_, data, err := ws.ReadMessage()
		if err == nil {
			t.Logf("message before close: %s", data)
			continue
		}
		var closeErr *websocket.CloseError
		if !errors.As(err, &closeErr) || closeErr.Code != websocket.CloseProtocolError || !strings.Contains(closeErr.Text, "version 99") {
			t.Fatalf("got %v, want a protocol-error close naming version 99", err)
		}
		return
	}
}

// A duplicated tab starts with the token of the tab it copies: the session
// goes to the newer connection, and the older one takes a fresh session
// instead of taking the first back.
func TestReplacedConnectionStartsAFreshSession(t *testing.T) {
	url := startServer(t)
	older := open(t, url)
	<-older.conn.Welcomed()
	token := older.conn.Session()

	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	_, newerConn := client.Resume(ctx, url, testDash, token)
	<-newerConn.Welcomed()
	if newerConn.Session() != token {
		t.Fatalf("the newer connection got %s, want the session %s", newerConn.Session(), token)
	}
	deadline := time.Now().Add(5 * time.Second)
	for older.conn.Session() == token || older.conn.Status() != client.StatusOnline {
		if time.Now().After(deadline) {
			t.Fatalf("the older connection still has the session %s (status %s)", older.conn.Session(), older.conn.Status())
		}
		time.Sleep(2 * time.Millisecond)
	}
	if newerConn.Session() != token || newerConn.Status() != client.StatusOnline {
		t.Fatalf("the older connection took the session back")
	}
}
