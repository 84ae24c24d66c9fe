package server

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/longcall/longcall/runtime"
	"github.com/longcall/longcall/runtime/protocol"
)

const (
	helloTimeout = 10 * time.Second
	pingInterval = 30 * time.Second
	pongTimeout  = 75 * time.Second // two missed pings and a margin
)

// conn is one websocket: a reader goroutine that dispatches messages and a
// writer goroutine, the socket's only writer, that drains the session.
type conn struct {
	srv    *Server
	ws     *websocket.Conn
	nc     *corkedConn // the socket under ws, to batch the writer's frames
	remote string
	caller runtime.Caller // what the upgrade's request said: see Server.callerOf
	sess   *session

	rbuf []byte           // what read returns, reused: see read
	enc  protocol.Encoder // the writer's (and before it starts, serve's)

	done      chan struct{}
	closeOnce sync.Once
	// ctx ends with the connection: the work done for it alone (the
	// re-attach of its hello's jobs) stops then.
	ctx    context.Context
	cancel context.CancelFunc

	dropping   atomic.Bool   // dropSlow has begun closing it
	finishing  chan struct{} // closed to have the writer flush and close (shutdown)
	finishOnce sync.Once
}

func newConn(srv *Server, ws *websocket.Conn, nc *corkedConn, remote string, caller runtime.Caller) *conn {
	ctx, cancel := context.WithCancel(context.Background())
	return &conn{srv: srv, ws: ws, nc: nc, remote: remote, caller: caller, done: make(chan struct{}), finishing: make(chan struct{}), ctx: ctx, cancel: cancel}
}

func (c *conn) serve() {
	defer c.cancel()
	defer c.ws.Close()
	hello, err := c.readHello()
	if err != nil {
		c.srv.log.Info("websocket closed before hello", "remote", c.remote, "err", err)
		return
	}
	c.sess = c.srv.sessions.attach(hello.Session, c)
	if c.sess == nil {
		c.srv.refuseAddrSession(c)
		return
	}
	defer c.srv.sessions.detach(c.sess, c)
	log := c.srv.log.With("session", c.sess.short(), "remote", c.remote)
	log.Debug("session attached", "resumed", hello.Session == c.sess.token)
	c.srv.metrics.receivedMsg(protocol.TypeHello)

	welcome := protocol.Message{Type: protocol.TypeWelcome, Session: c.sess.token, Resumed: hello.Session == c.sess.token, MaxMessage: c.srv.cfg.ReadLimit}
	if err := c.write(welcome); err != nil {
		return
	}
	// The re-attach of the hello's jobs runs beside the reader and the
	// writer: what the session holds, and the events of the jobs found,
	// go out while the rest are looked up (a round trip each, on Redis);
	// and the reader sees the page leave, which ends it.
	var running sync.WaitGroup
	running.Go(c.writeLoop)
	if welcome.Resumed {
		running.Go(func() { c.srv.reattach(c, hello.Attach) })
	}
	c.readLoop()
	c.close("")
	running.Wait()
}

func (c *conn) readHello() (protocol.Message, error) {
	c.ws.SetReadDeadline(time.Now().Add(helloTimeout))
	data, err := c.read()
	if err != nil {
		return protocol.Message{}, err
	}
	m, err := protocol.Decode(data)
	if err == nil && m.Type != protocol.TypeHello {
		err = &protocol.Error{Code: protocol.CodeBadMessage, Message: "the first message must be hello, not " + string(m.Type)}
	}
	if err == nil {
		if perr := checkHello(m); perr != nil {
			err = perr
		}
	}
	if err != nil {
		var perr *protocol.Error
		if errors.As(err, &perr) {
			c.srv.metrics.badMessage(perr.Code)
			c.write(errorMessage(0, "", perr))
		}
		c.closeWith(websocket.ClosePolicyViolation, "expected hello")
		return protocol.Message{}, err
	}
	return m, nil
}

func (c *conn) readLoop() {
	c.ws.SetReadDeadline(time.Now().Add(pongTimeout))
	c.ws.SetPongHandler(func(string) error {
		return c.ws.SetReadDeadline(time.Now().Add(pongTimeout))
	})
	for {
		data, err := c.read()
		if err != nil {
			if !errors.Is(err, errTooBig) && !websocket.IsCloseError(err, websocket.CloseNormalClosure, websocket.CloseGoingAway) {
				c.srv.log.Debug("websocket read ended", "session", c.sess.short(), "err", err)
			}
			return
		}
		c.ws.SetReadDeadline(time.Now().Add(pongTimeout))
		m, err := protocol.Decode(data)
		if err != nil {
			var perr *protocol.Error
			errors.As(err, &perr)
			c.srv.metrics.badMessage(perr.Code)
			c.warn("bad message", "code", perr.Code, "err", clip(perr.Message))
			if perr.Code == protocol.CodeVersion {
				// The close frame carries the reason: a queued error could
				// lose the race with the close.
				c.closeWith(websocket.CloseProtocolError, perr.Message)
				return
			}
			c.sess.send(errorMessage(m.Req, clip(m.Callback), perr))
			continue
		}
		c.srv.metrics.receivedMsg(m.Type)
		c.srv.dispatch(c.sess, m)
	}
}

// writeLoop writes what the session holds, pacing progress-only batches to
// one per ProgressInterval so a fast reporter cannot flood a connection.
func (c *conn) writeLoop() {
	ping := time.NewTicker(pingInterval)
	defer ping.Stop()
	pace := time.NewTimer(0)
	defer pace.Stop()
	var lastProgress time.Time
	for {
		select {
		case <-c.done:
			return
		case <-c.finishing:
			c.flushAndClose()
			return
		case <-ping.C:
			if err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(c.srv.cfg.WriteTimeout)); err != nil {
				return
			}
			continue
		case <-c.sess.wake:
		case <-c.sess.outbox.Pending():
			if !c.pace(lastProgress, pace) {
				return
			}
		}
		msgs := c.sess.take(c)
		if err := c.writeBatch(msgs); err != nil {
			select {
			case <-c.done: // closed on purpose (replaced, dropped, shut down)
			default:
				c.srv.metrics.dropped(dropWrite)
			}
			c.close("")
			return
		}
		for _, m := range msgs {
			if m.Type == protocol.TypeProgress {
				lastProgress = time.Now()
				break
			}
		}
	}
}

// writeBatch writes msgs with one system call (several for a batch past
// corkLimit). When a write fails, the whole batch goes back to the session:
// which of its frames reached the client is unknown, and the client takes
// a message twice better than not at all (a repeated result or progress is
// stale by then, and ignored).
func (c *conn) writeBatch(msgs []protocol.Message) error {
	if len(msgs) == 0 {
		return nil
	}
	corked := len(msgs) > 1 // one frame is one write without the cork's copy
	if corked {
		c.nc.cork()
	}
	var err error
	for _, m := range msgs {
		if err = c.writeFrame(m); err != nil {
			break
		}
	}
	if corked {
		if uerr := c.nc.uncork(); err == nil {
			err = uerr
		}
	}
	if err != nil {
		c.sess.giveBack(msgs)
		return err
	}
	for _, m := range msgs {
		c.srv.metrics.written(c.sess, m)
	}
	return nil
}

// pace holds back a progress-only batch until ProgressInterval has passed
// since the last progress write; anything else that arrives meanwhile ends the
// wait. It reports false when the connection closed while waiting.
func (c *conn) pace(lastProgress time.Time, timer *time.Timer) bool {
	for {
		wait := c.srv.cfg.ProgressInterval - time.Since(lastProgress)
		if wait <= 0 || c.sess.outbox.Urgent() || c.hasDirect() {
			return true
		}
		timer.Reset(wait)
		select {
		case <-c.done:
			return false
		case <-timer.C:
			return true
		case <-c.sess.wake:
			return true
		case <-c.sess.outbox.Pending():
			timer.Stop() // more progress or an urgent event: look again
		}
	}
}

func (c *conn) hasDirect() bool {
	c.sess.mu.Lock()
	defer c.sess.mu.Unlock()
	return len(c.sess.direct) > 0
}

// write writes one message on its own.
func (c *conn) write(m protocol.Message) error {
	if err := c.writeFrame(m); err != nil {
		return err
	}
	c.srv.metrics.written(c.sess, m)
	return nil
}

// writeFrame hands one message to the websocket, which writes it, or holds
// it while the socket is corked.
func (c *conn) writeFrame(m protocol.Message) error {
	data, err := c.enc.Encode(m)
	if err != nil {
		// A value that does not encode must not leave its call unanswered.
		c.srv.log.Error("encode message", "type", m.Type, "callback", m.Callback, "err", err)
		data, err = c.enc.Encode(protocol.Message{
			Type: protocol.TypeResult, Req: m.Req, Callback: m.Callback, Job: m.Job, Status: protocol.StatusError,
			Error: &protocol.Error{Code: protocol.CodeInternal, Message: "the server could not encode a " + string(m.Type) + " message: " + err.Error()},
		})
		if err != nil || (m.Req == 0 && m.Job == "") {
			return nil
		}
	}
	c.ws.SetWriteDeadline(time.Now().Add(c.srv.cfg.WriteTimeout))
	return c.ws.WriteMessage(frameType(data), data)
}

// binaryFrom is the size from which a message goes as a binary frame, the
// same UTF-8 JSON: a browser hands a text frame to the page as a string,
// which the wasm gets by encoding it again into a buffer and copying that, 9
// ms for a megabyte in a busy page (docs/BENCHMARKS.md), where a binary
// frame is one copy. Smaller messages stay text, readable in DevTools.
const binaryFrom = 16 << 10

func frameType(data []byte) int {
	if len(data) >= binaryFrom {
		return websocket.BinaryMessage
	}
	return websocket.TextMessage
}

// close ends the connection; reason, when given, goes to the client in the
// close frame. Safe to call from any goroutine, more than once.
func (c *conn) close(reason string) {
	c.closeWith(websocket.CloseNormalClosure, reason)
}

func (c *conn) closeWith(code int, reason string) {
	c.closeOnce.Do(func() {
		close(c.done)
		c.cancel()
		deadline := time.Now().Add(time.Second)
		c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), deadline)
		c.nc.flushFor(deadline) // the close frame, if a batch corked it
		c.ws.Close()            // unblocks the reader
	})
}
