//go:build !js

package client

import (
	"net/http"

	"github.com/coder/websocket"
)

// SetHTTPClient makes the connection dial through h; call it before Start.
// It is a native client's way to choose how its sockets are made (the load
// generator reads the kernel's receive time of what each one gets). A page
// in a browser dials as the browser does.
func (c *Conn) SetHTTPClient(h *http.Client) { c.dial = &websocket.DialOptions{HTTPClient: h} }
