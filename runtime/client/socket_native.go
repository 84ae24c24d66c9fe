//go:build !js

package client

import (
	"context"

	"github.com/coder/websocket"
)

// dialOptions are coder/websocket's; nil dials with its defaults.
type dialOptions = *websocket.DialOptions

type nativeSocket struct{ ws *websocket.Conn }

func dialSocket(ctx context.Context, url string, opts dialOptions) (socket, error) {
	ws, _, err := websocket.Dial(ctx, url, opts)
	if err != nil {
		return nil, err
	}
	ws.SetReadLimit(maxMessage)
	return nativeSocket{ws}, nil
}

func (s nativeSocket) write(ctx context.Context, data []byte) error {
	return s.ws.Write(ctx, websocket.MessageText, data)
}

func (s nativeSocket) read(ctx context.Context) ([]byte, error) {
	_, data, err := s.ws.Read(ctx)
	return data, err
}

func (s nativeSocket) closeNow() { s.ws.CloseNow() }

// closeStatus is the close code of the close frame that ended a read, or
// -1.
func closeStatus(err error) int { return int(websocket.CloseStatus(err)) }
