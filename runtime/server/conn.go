package server

import (
	"errors"
	"sync"
	"time"

	"github.com/gorilla/websocket"

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
	remote string
	sess   *session

	done      chan struct{}
	closeOnce sync.Once
}

func newConn(srv *Server, ws *websocket.Conn, remote string) *conn {
	return &conn{srv: srv, ws: ws, remote: remote, done: make(chan struct{})}
}

func (c *conn) serve() {
	defer c.ws.Close()
	hello, err := c.readHello()
	if err != nil {
		c.srv.log.Info("websocket closed before hello", "remote", c.remote, "err", err)
		return
	}
	c.sess = c.srv.sessions.attach(hello.Session, c)
	defer c.srv.sessions.detach(c.sess, c)
	log := c.srv.log.With("session", c.sess.short(), "remote", c.remote)
	log.Debug("session attached", "resumed", hello.Session == c.sess.token)

	if err := c.write(protocol.Message{Type: protocol.TypeWelcome, Session: c.sess.token}); err != nil {
		return
	}
	writerDone := make(chan struct{})
	go func() { defer close(writerDone); c.writeLoop() }()
	c.readLoop()
	c.close("")
	<-writerDone
}

func (c *conn) readHello() (protocol.Message, error) {
	c.ws.SetReadDeadline(time.Now().Add(helloTimeout))
	_, data, err := c.ws.ReadMessage()
	if err != nil {
		return protocol.Message{}, err
	}
	m, err := protocol.Decode(data)
	if err == nil && m.Type != protocol.TypeHello {
		err = &protocol.Error{Code: protocol.CodeBadMessage, Message: "the first message must be hello, not " + string(m.Type)}
	}
	if err != nil {
		var perr *protocol.Error
		if errors.As(err, &perr) {
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
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			if !websocket.IsCloseError(err, websocket.CloseNormalClosure, websocket.CloseGoingAway) {
				c.srv.log.Debug("websocket read ended", "session", c.sess.short(), "err", err)
			}
			return
		}
		c.ws.SetReadDeadline(time.Now().Add(pongTimeout))
		m, err := protocol.Decode(data)
		if err != nil {
			var perr *protocol.Error
			errors.As(err, &perr)
			c.srv.log.Warn("bad message", "session", c.sess.short(), "code", perr.Code, "err", perr.Message)
			c.sess.send(errorMessage(m.Req, m.Callback, perr))
			if perr.Code == protocol.CodeVersion {
				return
			}
			continue
		}
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
		case <-ping.C:
			if err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(c.srv.cfg.WriteTimeout)); err != nil {
				return
			}
			continue
		case <-c.sess.wake:
		case <-c.sess.outbox.Pending():
			if wait := c.srv.cfg.ProgressInterval - time.Since(lastProgress); wait > 0 && !c.sess.outbox.Urgent() && !c.hasDirect() {
				pace.Reset(wait)
				select {
				case <-c.done:
					return
				case <-pace.C:
				case <-c.sess.wake: // a direct message; send everything now
				}
			}
		}
		msgs := c.sess.take()
		for i, m := range msgs {
			if err := c.write(m); err != nil {
				c.sess.giveBack(msgs[i:])
				c.close("")
				return
			}
			if m.Type == protocol.TypeProgress {
				lastProgress = time.Now()
			}
		}
	}
}

func (c *conn) hasDirect() bool {
	c.sess.mu.Lock()
	defer c.sess.mu.Unlock()
	return len(c.sess.direct) > 0
}

func (c *conn) write(m protocol.Message) error {
	data, err := protocol.Encode(m)
	if err != nil {
		c.srv.log.Error("encode message", "type", m.Type, "err", err)
		return nil // drop what cannot be encoded rather than the connection
	}
	c.ws.SetWriteDeadline(time.Now().Add(c.srv.cfg.WriteTimeout))
	return c.ws.WriteMessage(websocket.TextMessage, data)
}

// close ends the connection; reason, when given, goes to the client in the
// close frame. Safe to call from any goroutine, more than once.
func (c *conn) close(reason string) {
	c.closeWith(websocket.CloseNormalClosure, reason)
}

func (c *conn) closeWith(code int, reason string) {
	c.closeOnce.Do(func() {
		close(c.done)
		c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(time.Second))
		c.ws.Close() // unblocks the reader
	})
}
