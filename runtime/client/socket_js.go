//go:build js

package client

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"syscall/js"
)

// dialOptions has nothing to choose in a browser: it dials as the page does.
type dialOptions struct{}

// jsSocket is the browser's WebSocket. Its event handlers run on the
// JavaScript event loop and must not block: they queue what arrives, and
// read takes it from the queue.
type jsSocket struct {
	ws       js.Value
	handlers []js.Func

	mu     sync.Mutex
	queue  [][]byte
	closed error         // set once, by onclose
	ready  chan struct{} // a message or the close arrived; room for one
}

// closeError is how a socket's close reaches read.
type closeError struct {
	code   int
	reason string
}

func (e closeError) Error() string {
	return fmt.Sprintf("websocket closed: %d %s", e.code, e.reason)
}

func dialSocket(ctx context.Context, url string, _ dialOptions) (socket, error) {
	s := &jsSocket{ws: js.Global().Get("WebSocket").New(url), ready: make(chan struct{}, 1)}
	s.ws.Set("binaryType", "arraybuffer")
	opened := make(chan struct{})
	s.on("open", func(js.Value) { close(opened) })
	s.on("message", func(e js.Value) {
		s.mu.Lock()
		s.queue = append(s.queue, messageBytes(e.Get("data")))
		s.mu.Unlock()
		s.wake()
	})
	s.on("close", func(e js.Value) {
		s.mu.Lock()
		if s.closed == nil {
			s.closed = closeError{code: e.Get("code").Int(), reason: e.Get("reason").String()}
		}
		s.mu.Unlock()
		s.wake()
	})
	for {
		select {
		case <-opened:
			return s, nil
		case <-s.ready: // closed before it opened
			s.mu.Lock()
			err := s.closed
			s.mu.Unlock()
			if err != nil {
				s.closeNow()
				return nil, err
			}
		case <-ctx.Done():
			s.closeNow()
			return nil, ctx.Err()
		}
	}
}

// messageBytes copies a message's data into Go: a text frame's string, or a
// binary frame's ArrayBuffer. The server sends its large messages as binary
// frames (PROTOCOL.md): a string crosses by TextEncoder into a buffer of its
// own and then a copy, 9 ms for a megabyte in a busy page, where a binary
// frame is one copy.
func messageBytes(data js.Value) []byte {
	if data.Type() == js.TypeString {
		return []byte(data.String())
	}
	view := js.Global().Get("Uint8Array").New(data)
	b := make([]byte, view.Get("byteLength").Int())
	js.CopyBytesToGo(b, view)
	return b
}

// on sets the socket's on<event> handler, to be released by closeNow.
func (s *jsSocket) on(event string, f func(js.Value)) {
	h := js.FuncOf(func(_ js.Value, args []js.Value) any {
		f(args[0])
		return nil
	})
	s.handlers = append(s.handlers, h)
	s.ws.Set("on"+event, h)
}

func (s *jsSocket) wake() {
	select {
	case s.ready <- struct{}{}:
	default:
	}
}

func (s *jsSocket) write(_ context.Context, data []byte) error {
	if s.ws.Get("readyState").Int() != 1 { // OPEN
		return errors.New("websocket not open")
	}
	s.ws.Call("send", string(data)) // a string: a text frame
	return nil
}

func (s *jsSocket) read(ctx context.Context) ([]byte, error) {
	for {
		s.mu.Lock()
		if len(s.queue) > 0 {
			data := s.queue[0]
			s.queue[0] = nil
			s.queue = s.queue[1:]
			s.mu.Unlock()
			return data, nil
		}
		err := s.closed
		s.mu.Unlock()
		if err != nil {
			return nil, err
		}
		select {
		case <-s.ready:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// closeNow closes the socket and lets its handlers go: unset first, so
// that no event reaches a released function.
func (s *jsSocket) closeNow() {
	for _, event := range []string{"open", "message", "close"} {
		s.ws.Set("on"+event, js.Null())
	}
	s.ws.Call("close")
	for _, h := range s.handlers {
		h.Release()
	}
	s.handlers = nil
}

// closeStatus is the close code that ended a read, or -1.
func closeStatus(err error) int {
	var c closeError
	if errors.As(err, &c) {
		return c.code
	}
	return -1
}
