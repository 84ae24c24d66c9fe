package server

import (
	"bufio"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"
)

// corkedConn is the socket under a websocket, with a cork. gorilla/websocket
// writes each message with a write(2) of its own and has no way to batch
// them, and in the load tests those system calls were a quarter to a third
// of the server's CPU. So the writer corks the socket while it writes a
// batch: the frames gorilla writes collect in a buffer, and uncork sends
// them in one write. Uncorked, writes go straight through.
//
// gorilla still serialises its writes (whole frames, control frames from
// other goroutines included), so the buffer holds frames in order; a close
// frame written while corked is sent by flushFor before the socket closes.
type corkedConn struct {
	net.Conn

	mu     sync.Mutex
	corked bool
	buf    *[]byte // while corked, from corkBuffers
	err    error   // the batch's first failed write, for uncork to report
}

// corkLimit is where a batch is written early, so that a batch of large
// messages does not pile up in memory.
const corkLimit = 64 << 10

// corkBuffers are shared by connections: only those writing a batch hold
// one, and 10,000 idle connections should not keep 10,000 buffers.
var corkBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 4<<10); return &b }}

func (c *corkedConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.corked {
		return c.Conn.Write(p)
	}
	*c.buf = append(*c.buf, p...)
	if len(*c.buf) >= corkLimit {
		if err := c.flushLocked(); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// cork starts a batch. A nil conn (a websocket not upgraded by the server)
// does not batch.
func (c *corkedConn) cork() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.corked {
		c.corked, c.err = true, nil
		c.buf = corkBuffers.Get().(*[]byte)
	}
}

// uncork ends a batch, writing what it holds in one go.
func (c *corkedConn) uncork() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.corked {
		return nil
	}
	c.flushLocked()
	err := c.err
	c.corked = false
	if cap(*c.buf) <= 4*corkLimit { // keep the pool's buffers small
		corkBuffers.Put(c.buf)
	}
	c.buf = nil
	return err
}

// flushFor writes what the cork holds, within deadline: for a close frame
// written while a batch was corked, which must reach the client before the
// socket closes.
func (c *corkedConn) flushFor(deadline time.Time) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.corked && len(*c.buf) > 0 {
		c.Conn.SetWriteDeadline(deadline)
		c.flushLocked()
	}
}

func (c *corkedConn) flushLocked() error {
	if len(*c.buf) > 0 {
		if _, err := c.Conn.Write(*c.buf); err != nil && c.err == nil {
			c.err = err
		}
		*c.buf = (*c.buf)[:0]
	}
	return c.err
}

// corkingWriter hands gorilla's upgrader a corkedConn when it hijacks the
// connection.
type corkingWriter struct {
	http.ResponseWriter
	conn *corkedConn
}

func (w *corkingWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("the response writer cannot hand over its connection (http.Hijacker)")
	}
	nc, brw, err := h.Hijack()
	if err != nil {
		return nil, nil, err
	}
	w.conn = &corkedConn{Conn: nc}
	return w.conn, brw, nil
}
