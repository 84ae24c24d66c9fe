package client

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

// Status values of StatusProp.
const (
	StatusConnecting = "connecting"
	StatusOnline     = "online"
	StatusOffline    = "offline"
)

// maxMessage bounds one incoming message; figures can be large.
const maxMessage = 64 << 20

// Peer is what a Conn reports to: a Client, or whatever routes to one.
type Peer interface {
	// Handle receives every server message after welcome, on one goroutine.
	Handle(protocol.Message)
	// Status hears the connection's state: StatusConnecting, StatusOnline or
	// StatusOffline.
	Status(string)
	// Waiting lists the jobs the peer waits for, sent in each hello so that
	// the server re-attaches them.
	Waiting() []protocol.JobRef
	// Welcome reports each welcome, before the calls queued while offline
	// (unsent, by req) go out. When resumed is false after an earlier
	// session, the calls sent before will never be answered. When it is
	// true, calls sent but never acknowledged may have been lost in the drop.
	Welcome(session string, resumed bool, unsent map[uint64]bool)
}

// Conn is the page's one websocket to the server. It says hello with the
// session token it was given before, so that a reconnect resumes the same
// session and its jobs; it reconnects with backoff and jitter; and messages
// sent while it is down wait and go out, in order, once it is back.
type Conn struct {
	url     string
	peer    Peer
	session string
	dial    dialOptions // the zero value: the defaults; natively, SetHTTPClient

	mu      sync.Mutex
	ws      socket
	pending []protocol.Message
	status  string
	started bool  // a welcome came before: later calls may have been sent
	max     int64 // the largest message the server reads, from its welcome; 0: unknown

	welcomed chan struct{}
	once     sync.Once
}

// Dial starts connecting to url (ws:// or wss://) and keeps the connection up
// until ctx ends, reporting to peer. session, when not empty, is the token of
// the session to resume: a reloaded page's.
func Dial(ctx context.Context, url string, peer Peer, session string) *Conn {
	c := NewConn(url, peer, session)
	c.Start(ctx)
	return c
}

// NewConn returns a connection that does nothing until Start: so that what
// it reports to, and what sends through it, can be wired first.
func NewConn(url string, peer Peer, session string) *Conn {
	return &Conn{url: url, peer: peer, session: session, welcomed: make(chan struct{})}
}

// Start connects, and keeps the connection up until ctx ends.
func (c *Conn) Start(ctx context.Context) { go c.run(ctx) }

// Session returns the session token once welcomed, else "".
func (c *Conn) Session() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.session
}

// Status returns the connection's state, as last told to the peer.
func (c *Conn) Status() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.status
}

func (c *Conn) setStatus(s string) {
	c.mu.Lock()
	c.status = s
	c.mu.Unlock()
	c.peer.Status(s)
}

// Welcomed is closed after the first welcome from the server.
func (c *Conn) Welcomed() <-chan struct{} { return c.welcomed }

// Send sends m now, or when the connection is back. A message larger than
// the server reads is not sent (see sendLocked).
func (c *Conn) Send(m protocol.Message) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ws == nil || len(c.pending) > 0 {
		c.pending = append(c.pending, m)
		return
	}
	if err := c.sendLocked(c.ws, m); err != nil {
		c.pending = append(c.pending, m) // the reader will see the failure and reconnect
	}
}

// sendLocked writes m, unless it is larger than the server reads (its
// welcome says how large): the server would close the connection, and a
// browser reports that close as 1006, without the server's reason. A call
// ends instead, at once, with a too_large error the page shows.
func (c *Conn) sendLocked(ws socket, m protocol.Message) error {
	data, err := protocol.Encode(m)
	if err != nil {
		return fmt.Errorf("encode %s: %w", m.Type, err)
	}
	if c.max > 0 && int64(len(data)) > c.max {
		if m.Type == protocol.TypeCall {
			// Off this goroutine: Handle may send, and c.mu is held.
			go c.peer.Handle(tooLarge(m, len(data), c.max))
		}
		return nil
	}
	return write(ws, data)
}

func tooLarge(m protocol.Message, size int, limit int64) protocol.Message {
	return protocol.Message{Type: protocol.TypeResult, Req: m.Req, Callback: m.Callback, Status: protocol.StatusError, Error: &protocol.Error{
		Code:    protocol.CodeTooLarge,
		Message: fmt.Sprintf("callback %s was not called: its inputs and states take %d bytes, and the server reads at most %d in one message", m.Callback, size, limit),
	}}
}

func (c *Conn) run(ctx context.Context) {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		c.setStatus(StatusConnecting)
		err := c.connectOnce(ctx)
		c.mu.Lock()
		c.ws = nil
		c.mu.Unlock()
		if ctx.Err() != nil {
			return
		}
		c.setStatus(StatusOffline)
		if errors.Is(err, errWelcomed) {
			backoff = 100 * time.Millisecond // it worked for a while: retry soon
		}
		// Full jitter keeps a restarted server from a thundering herd.
		wait := time.Duration(rand.Int64N(int64(backoff))) + 50*time.Millisecond
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		backoff = min(2*backoff, 10*time.Second)
	}
}

var errWelcomed = errors.New("connection closed after welcome")

// connectOnce runs one connection from dial to close.
func (c *Conn) connectOnce(ctx context.Context) error {
	ws, err := dialSocket(ctx, c.url, c.dial)
	if err != nil {
		return fmt.Errorf("dial %s: %w", c.url, err)
	}
	defer ws.closeNow()

	hello, err := protocol.Encode(protocol.Message{Type: protocol.TypeHello, Session: c.Session(), Attach: c.peer.Waiting()})
	if err != nil {
		return fmt.Errorf("encode hello: %w", err)
	}
	if err := write(ws, hello); err != nil {
		return err
	}
	welcome, err := read(ctx, ws)
	if err != nil {
		return err
	}
	if welcome.Type != protocol.TypeWelcome {
		return fmt.Errorf("expected welcome, got %s", welcome.Type)
	}
	if err := c.online(ws, welcome); err != nil {
		return err
	}
	c.setStatus(StatusOnline)
	c.once.Do(func() { close(c.welcomed) })
	for {
		m, err := read(ctx, ws)
		if err != nil {
			if closeStatus(err) == protocol.CloseReplaced {
				// Another page (a duplicated tab) has this session now.
				c.mu.Lock()
				c.session = ""
				c.mu.Unlock()
			}
			return errors.Join(errWelcomed, err)
		}
		if m.Type == protocol.TypeCookie {
			c.cookie(m) // the connection's, not the page's: see cookie
			continue
		}
		c.peer.Handle(m)
	}
}

// online records the session and flushes what waited, before any new Send.
func (c *Conn) online(ws socket, welcome protocol.Message) error {
	c.mu.Lock()
	unsent := map[uint64]bool{}
	for _, m := range c.pending {
		if m.Type == protocol.TypeCall {
			unsent[m.Req] = true
		}
	}
	// A page's very first session resumes nothing, and loses nothing either.
	first := !c.started && c.session == ""
	c.started = true
	c.mu.Unlock()
	// Outside the lock: the peer may Send, which queues while ws is unset.
	c.peer.Welcome(welcome.Session, welcome.Resumed || first, unsent)

	c.mu.Lock()
	defer c.mu.Unlock()
	c.session = welcome.Session
	c.max = welcome.MaxMessage
	for len(c.pending) > 0 {
		if err := c.sendLocked(ws, c.pending[0]); err != nil {
			return err
		}
		c.pending = c.pending[1:]
	}
	c.ws = ws
	return nil
}

func write(ws socket, data []byte) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return ws.write(ctx, data)
}

func read(ctx context.Context, ws socket) (protocol.Message, error) {
	data, err := ws.read(ctx)
	if err != nil {
		return protocol.Message{}, err
	}
	m, err := protocol.Decode(data)
	if err != nil {
		// A server of another protocol version, or a broken one: reconnecting
		// cannot help until the page is reloaded, but it does no harm either.
		return protocol.Message{}, fmt.Errorf("decode server message: %w", err)
	}
	return m, nil
}

// Open connects a new Client of dash, with its own store, to the server at
// url: the way to drive a server from Go (tests, benchmarks, load tools).
// Call Start on the client for the initial calls, if wanted.
func Open(ctx context.Context, url string, dash *runtime.Dashboard) (*Client, *Conn) {
	return Resume(ctx, url, dash, "")
}

// Resume is Open resuming the session with token session.
func Resume(ctx context.Context, url string, dash *runtime.Dashboard, session string) (*Client, *Conn) {
	conn := NewConn(url, nil, session)
	c := New(dash, NewStore(), conn.Send)
	conn.peer = c
	conn.Start(ctx)
	return c, conn
}
