package server_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/longcall/longcall/runtime/protocol"
	"github.com/longcall/longcall/runtime/server"
)

// PROTOCOL.md: when the grace period ends the session is removed and its
// token stops working. A token presented after that opens a new session; it
// neither resumes the old one nor reads its finished results again.
func TestATokenStopsWorkingWhenItsSessionEnded(t *testing.T) {
	ts := serve(t, server.Config{SessionGrace: 50 * time.Millisecond})
	n := fresh()
	release(n)
	page, welcome := connect(t, ts.url, "")
	page.send(call(1, holdA.ID(), value("hold_a", "value", n)))
	done := page.answer(1)
	if done.Status != protocol.StatusOK || done.Job == "" {
		t.Fatalf("the job: %+v", done)
	}
	page.ws.Close()
	eventually(t, "the session to end", func() bool { return ts.Sessions() == 0 })

	_, again := connect(t, ts.url, welcome.Session, protocol.JobRef{Req: 1, Callback: holdA.ID(), Job: done.Job})
	if again.Resumed || again.Session == welcome.Session {
		t.Fatalf("a token presented after its session ended resumed it (welcome %+v)", again)
	}
}

// clock is a time tests move by hand.
type clock struct{ at atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.at.Store(time.Now().UnixNano())
	return c
}

func (c *clock) now() time.Time                   { return time.Unix(0, c.at.Load()) }
func (c *clock) advance(d time.Duration)          { c.at.Add(int64(d)) }
func (ts *testServer) clock(c *clock) *testServer { server.SetTokenClock(ts.Server, c.now); return ts }

// A token opens its session on a process that does not hold it (another web
// process, a restart) only within its lifetime from the session's start.
func TestATokenExpiresAfterItsLifetime(t *testing.T) {
	secret := []byte("shared secret")
	c := newClock()
	first := serve(t, server.Config{Secret: secret}).clock(c)
	_, welcome := connect(t, first.url, "")

	second := serve(t, server.Config{Secret: secret, TokenLifetime: time.Hour}).clock(c)
	c.advance(time.Hour - time.Second)
	if _, again := connect(t, second.url, welcome.Session); !again.Resumed {
		t.Fatal("a token within its lifetime was refused by another process")
	}
	third := serve(t, server.Config{Secret: secret, TokenLifetime: time.Hour}).clock(c)
	c.advance(2 * time.Second)
	if _, again := connect(t, third.url, welcome.Session); again.Resumed {
		t.Fatal("a token past its lifetime opened its session on another process")
	}
	// The process that holds the session resumes it whatever the token's age.
	if _, again := connect(t, second.url, welcome.Session); !again.Resumed {
		t.Fatal("a live session was not resumed by its own token")
	}
}

// Rotating the secret: the new one signs, the old one is still accepted, and
// a process that no longer lists the old one refuses its tokens.
func TestSecretsRotate(t *testing.T) {
	old, renewed := []byte("old secret"), []byte("new secret")
	before := serve(t, server.Config{Secret: old})
	_, oldToken := connect(t, before.url, "")

	during := serve(t, server.Config{Secret: renewed, PreviousSecrets: [][]byte{old}})
	if _, again := connect(t, during.url, oldToken.Session); !again.Resumed {
		t.Fatal("a token of the previous secret was refused during the rotation")
	}
	_, newToken := connect(t, during.url, "")

	after := serve(t, server.Config{Secret: renewed})
	if _, again := connect(t, after.url, newToken.Session); !again.Resumed {
		t.Fatal("the new secret did not sign new tokens")
	}
	if _, again := connect(t, after.url, oldToken.Session); again.Resumed {
		t.Fatal("a token of a secret no longer listed was accepted")
	}
}

// Revoke ends a session at once: its connection closes with the reason, its
// jobs are cancelled, and its token opens nothing again.
func TestARevokedTokenStopsWorking(t *testing.T) {
	ts := serve(t, server.Config{})
	page, welcome := connect(t, ts.url, "")
	n := fresh()
	page.send(call(1, holdA.ID(), value("hold_a", "value", n)))
	page.until("the job running", func(m protocol.Message) bool { return m.Type == protocol.TypeJob && m.State == protocol.JobRunning })

	if err := ts.Revoke(welcome.Session); err != nil {
		t.Fatal(err)
	}
	page.wantClose(websocket.ClosePolicyViolation, "session revoked")
	eventually(t, "the revoked session's job to end", func() bool {
		return ts.metric(t, "longcall_jobs", nil) == 0
	})
	if _, again := connect(t, ts.url, welcome.Session); again.Resumed {
		t.Fatal("a revoked token resumed its session")
	}
	if err := ts.Revoke("made.up"); err == nil {
		t.Error("Revoke accepted a token the server did not sign")
	}
}
