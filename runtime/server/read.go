package server

import (
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/gorilla/websocket"

	"github.com/longcall/longcall/runtime/protocol"
)

// errTooBig ends a connection whose client sent a message over ReadLimit.
var errTooBig = errors.New("message over the read limit")

// read returns the next message, of at most ReadLimit bytes. A larger one
// closes the connection with 1009 and a reason that names the limit: the
// rest of the frame would have to be read to stay in step, and a client that
// sends that much is either broken or hostile. (gorilla's own read limit
// closes with no reason at all, so it is not used.)
//
// The bytes are the connection's read buffer, valid until the next read:
// protocol.Decode copies what it keeps, and a buffer per message was two
// allocations a call.
func (c *conn) read() ([]byte, error) {
	_, r, err := c.ws.NextReader()
	if err != nil {
		return nil, err
	}
	limit := c.srv.cfg.ReadLimit
	if cap(c.rbuf) > maxKeptReadBuffer {
		c.rbuf = nil // one large message should not pin its buffer
	}
	data, err := readAll(c.rbuf[:0], r, limit+1)
	c.rbuf = data
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		c.srv.metrics.badMessage(codeTooBig)
		c.warn("message over the read limit; closing", "limit", limit)
		c.closeWith(websocket.CloseMessageTooBig, fmt.Sprintf("a message may have at most %d bytes", limit))
		return nil, errTooBig
	}
	return data, nil
}

// maxKeptReadBuffer is the largest read buffer a connection keeps between
// messages.
const maxKeptReadBuffer = 64 << 10

// readAll appends to buf what r holds, up to limit bytes. Unlike io.ReadAll
// and bytes.Buffer, it grows buf only when it is full, so that a connection
// whose messages are small keeps a small buffer.
func readAll(buf []byte, r io.Reader, limit int64) ([]byte, error) {
	if buf == nil {
		buf = make([]byte, 0, 512)
	}
	for int64(len(buf)) < limit {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		room := buf[len(buf):min(int64(cap(buf)), limit)]
		n, err := r.Read(room)
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

// codeTooBig labels oversized messages in the bad-message metric; the client
// hears of them in the close frame, not in an error message.
const codeTooBig = "too_big"

// checkHello refuses a hello that would have the server re-attach more jobs
// than a page can be waiting for.
func checkHello(m protocol.Message) *protocol.Error {
	if len(m.Attach) > maxAttach {
		return &protocol.Error{Code: protocol.CodeBadMessage, Message: fmt.Sprintf("a hello may re-attach at most %d jobs, not %d", maxAttach, len(m.Attach))}
	}
	return nil
}

// clip shortens a string the client chose before it is logged or echoed, so
// that a megabyte callback id costs a line, not a megabyte, in the logs.
func clip(s string) string {
	n := 128
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n-- // cut between runes, not inside one
	}
	return s[:n] + fmt.Sprintf("…(%d bytes)", len(s))
}
